package dev.symbiosis.experiment;

import dev.symbiosis.core.testing.CharBigramModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Runners of the harness on test-double models (character bigram models): seconds, not minutes. */
final class TestDoubleRuns {

    private TestDoubleRuns() {}

    /**
     * A runner of {@code config} into {@code out}, one unit at a time, without the measurement, counting in
     * {@code opened} the models it opens.
     */
    static ExperimentRunner.Builder runner(ExperimentConfig config, Path out, AtomicInteger opened) {
        return ExperimentRunner.builder(config).optOutput(out).optNoMeasure().optParallelism(1)
                .optGenerator(seed -> {
                    opened.incrementAndGet();
                    return CharBigramModel.trainedOn("g", List.of("The law of the land is old."));
                })
                .optStudent(seed -> {
                    opened.incrementAndGet();
                    return CharBigramModel.trainedOn("s", List.of("The sea is wide."));
                });
    }
}
