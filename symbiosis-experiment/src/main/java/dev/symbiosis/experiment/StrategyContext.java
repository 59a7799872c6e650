package dev.symbiosis.experiment;

import dev.symbiosis.core.text.Document;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link StrategyRegistry.StrategyFactory} may use to make a strategy for one run seed.
 *
 * <p>The seed documents are read on first use (only {@code recursive-accumulate} among the standard strategies
 * needs them). Thread-safe.
 */
public final class StrategyContext {

    private final ExperimentConfig config;
    private final long runSeed;
    private final Supplier<List<Document>> seedDocuments;

    /**
     * @param config the experiment's configuration
     * @param runSeed the run seed the strategy will run under
     * @param seedDocuments supplies the real seed documents (called at most once)
     */
    public StrategyContext(ExperimentConfig config, long runSeed, Supplier<List<Document>> seedDocuments) {
        this.config = Objects.requireNonNull(config, "config");
        this.runSeed = runSeed;
        Objects.requireNonNull(seedDocuments, "seedDocuments");
        this.seedDocuments = new Supplier<>() {
            private List<Document> value;

            @Override
            public synchronized List<Document> get() {
                if (value == null) {
                    value = List.copyOf(seedDocuments.get());
                }
                return value;
            }
        };
    }

    /** The experiment's configuration. */
    public ExperimentConfig config() {
        return config;
    }

    /** The run seed. */
    public long runSeed() {
        return runSeed;
    }

    /**
     * The real seed documents (the configuration's {@code data.seed}, or the embedded seed split, or what the
     * runner was given), read on first call.
     */
    public List<Document> seedDocuments() {
        return seedDocuments.get();
    }
}
