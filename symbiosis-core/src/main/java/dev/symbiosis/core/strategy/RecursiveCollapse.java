package dev.symbiosis.core.strategy;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.loop.TokenBudget;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;

/**
 * The negative control (Shumailov et al. 2023): the Student of generation {@code t+1} trains on samples of the
 * Student of generation {@code t}; the first generation's data come from Generator 0.
 *
 * <ul>
 *   <li>{@link Mode#REPLACE}: each generation trains on its parent's fresh samples only (the classic collapse
 *       setup);</li>
 *   <li>{@link Mode#ACCUMULATE} (Gerstgrasser et al. 2024): the training budget is drawn from the original real
 *       seed data plus every synthetic set so far.</li>
 * </ul>
 * With {@code fromInitialWeights} each generation starts from Student 0's weights instead of continuing.
 */
public final class RecursiveCollapse implements Strategy {

    /** How synthetic sets are used across generations. */
    public enum Mode {
        REPLACE,
        ACCUMULATE
    }

    private final Mode mode;
    private final boolean fromInitialWeights;
    private final List<Document> seedData;
    private List<TrainingText> accumulated = new ArrayList<>();

    private RecursiveCollapse(Mode mode, boolean fromInitialWeights, List<Document> seedData) {
        this.mode = Objects.requireNonNull(mode);
        this.fromInitialWeights = fromInitialWeights;
        this.seedData = List.copyOf(seedData);
        if (mode == Mode.ACCUMULATE && seedData.isEmpty()) {
            throw new IllegalArgumentException("the accumulate variant needs the real seed data");
        }
    }

    /** Replace, continuing from the parent's weights. */
    public static RecursiveCollapse replace() {
        return new RecursiveCollapse(Mode.REPLACE, false, List.of());
    }

    /** Replace, each generation from Student 0's weights. */
    public static RecursiveCollapse replaceFromInitialWeights() {
        return new RecursiveCollapse(Mode.REPLACE, true, List.of());
    }

    /** Accumulate over the real seed data and all synthetic sets so far, continuing from the parent's weights. */
    public static RecursiveCollapse accumulate(List<Document> seedData) {
        return new RecursiveCollapse(Mode.ACCUMULATE, false, seedData);
    }

    @Override
    public String name() {
        return "recursive-" + mode.name().toLowerCase() + (fromInitialWeights ? "-from-initial" : "");
    }

    /** The mode, the starting weights and the number of real seed documents. */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("mode", mode.name(), "fromInitialWeights", fromInitialWeights,
                "seedDocuments", seedData.size());
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        Generator source = ctx.iteration() == 1 ? ctx.generator() : ctx.student();
        IterationContext.Synthesized fresh = ctx.synthesize(source, ctx.topicPrompts("step-a"),
                ctx.config().tokenBudget(), 1.0, "sample parent");
        if (fromInitialWeights) {
            ctx.resetStudent();
        }
        if (mode == Mode.REPLACE) {
            return new IterationData(fresh.texts(), fresh.samples(), false);
        }
        accumulated.addAll(fresh.texts());
        List<TrainingText> all = new ArrayList<>(accumulated);
        for (Document d : seedData) {
            all.add(TrainingText.of(d.text(), d.provenance().with("doc", d.id())
                    .with(IterationContext.ORIGIN, IterationContext.REAL)));
        }
        Collections.shuffle(all, new Random(ctx.seed("accumulate draw")));
        List<TrainingText> drawn = new TokenBudget(ctx.config().tokenBudget(), ctx.student()::countTokens)
                .fillFrom(all.iterator()).texts();
        return new IterationData(drawn, fresh.samples(), false);
    }

    @Override
    public void saveState(Path dir) throws IOException {
        if (mode == Mode.ACCUMULATE) {
            TextsFile.writeTexts(dir.resolve("accumulated.jsonl"), accumulated);
        }
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        Path f = dir.resolve("accumulated.jsonl");
        accumulated = mode == Mode.ACCUMULATE && Files.exists(f) ? TextsFile.readTexts(f) : new ArrayList<>();
    }
}
