package dev.symbiosis.core.strategy;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.loop.TokenBudget;
import dev.symbiosis.core.model.TrainingText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;

/**
 * Controls for co-evolution: one large synthetic set is generated once by Generator 0 (in the first iteration,
 * {@code sizeInBudgets} times the per-iteration budget), and every iteration trains the Student on a random subset
 * of it of the usual budget.
 */
public final class StaticSynthetic implements Strategy {

    private final int sizeInBudgets;
    private List<TrainingText> staticSet = List.of();

    /** @param sizeInBudgets size of the static set in per-iteration budgets, {@code >= 1} */
    public StaticSynthetic(int sizeInBudgets) {
        if (sizeInBudgets < 1) {
            throw new IllegalArgumentException("sizeInBudgets must be >= 1, got " + sizeInBudgets);
        }
        this.sizeInBudgets = sizeInBudgets;
    }

    /** The size of the static set in budgets. */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("sizeInBudgets", sizeInBudgets);
    }

    @Override
    public String name() {
        return "static-synthetic";
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        IterationContext.Synthesized generated = null;
        if (staticSet.isEmpty()) {
            generated = ctx.synthesize(ctx.generator(), ctx.topicPrompts("static set"),
                    ctx.config().tokenBudget() * sizeInBudgets, 1.0, "generate static set");
            staticSet = generated.texts();
        }
        List<TrainingText> shuffled = new ArrayList<>(staticSet);
        Collections.shuffle(shuffled, new Random(ctx.seed("static subset")));
        List<TrainingText> subset = new TokenBudget(ctx.config().tokenBudget(), ctx.student()::countTokens)
                .fillFrom(shuffled.iterator()).texts();
        // The synthetic data of the iteration is the subset the Student sees; the samples are released once.
        return new IterationData(subset, generated == null ? List.of() : generated.samples(), false);
    }

    @Override
    public void saveState(Path dir) throws IOException {
        TextsFile.writeTexts(dir.resolve("static-set.jsonl"), staticSet);
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        Path f = dir.resolve("static-set.jsonl");
        staticSet = Files.exists(f) ? TextsFile.readTexts(f) : List.of();
    }
}
