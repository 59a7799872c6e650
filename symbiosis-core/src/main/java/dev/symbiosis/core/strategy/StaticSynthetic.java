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
 * Controls for co-evolution: one large synthetic set is generated once (in the first iteration,
 * {@code sizeInBudgets} times the per-iteration budget), and every iteration trains the Student on a random subset
 * of it of the usual budget. The set is written by Generator 0 ({@code static-synthetic}), or, as a control of the
 * teacher's strength, by Student 0 itself ({@link #fromStudent0}, {@code static-synthetic-student0}: the Student
 * trains on its own samples, drawn once, before any training). {@link #bestOfK} ({@code static-synthetic-best-of-k})
 * is the matched-compute control of Student-rewarded teaching: each row of the set written by Generator 0 is the
 * most likely of {@code k} samples by Generator 0's own likelihood ({@link BestOfK#byLikelihood}).
 *
 * <p>Not thread-safe; the static set is saved with the checkpoint.
 */
public final class StaticSynthetic implements Strategy {

    private final int sizeInBudgets;
    private final boolean fromStudent0;
    /** Samples per row, best by the Generator's likelihood; 0 = one sample per row. */
    private final int bestOfK;
    private List<TrainingText> staticSet = List.of();

    /**
     * The set written by Generator 0.
     *
     * @param sizeInBudgets size of the static set in per-iteration budgets, {@code >= 1}
     */
    public StaticSynthetic(int sizeInBudgets) {
        this(sizeInBudgets, false);
    }

    private StaticSynthetic(int sizeInBudgets, boolean fromStudent0) {
        this(sizeInBudgets, fromStudent0, 0);
    }

    private StaticSynthetic(int sizeInBudgets, boolean fromStudent0, int bestOfK) {
        if (sizeInBudgets < 1) {
            throw new IllegalArgumentException("sizeInBudgets must be >= 1, got " + sizeInBudgets);
        }
        this.sizeInBudgets = sizeInBudgets;
        this.fromStudent0 = fromStudent0;
        this.bestOfK = bestOfK;
    }

    /**
     * The set written by Generator 0, each row the most likely of {@code k} samples under Generator 0
     * ({@code static-synthetic-best-of-k}).
     *
     * @param sizeInBudgets size of the static set in per-iteration budgets, {@code >= 1}
     * @param k samples per row, in {@code [2, }{@link StudentReward#MAX_CANDIDATES}{@code ]}
     */
    public static StaticSynthetic bestOfK(int sizeInBudgets, int k) {
        if (k < 2 || k > StudentReward.MAX_CANDIDATES) {
            throw new IllegalArgumentException("best-of-k needs k in [2, " + StudentReward.MAX_CANDIDATES
                    + "], got " + k);
        }
        return new StaticSynthetic(sizeInBudgets, false, k);
    }

    /** The set written by Student 0 (sampled in the first iteration before the Student trains). */
    public static StaticSynthetic fromStudent0(int sizeInBudgets) {
        return new StaticSynthetic(sizeInBudgets, true);
    }

    /** The size of the static set in budgets and its writer; with best-of-k rows also {@code bestOfK} and its rule. */
    @Override
    public SortedMap<String, Object> settings() {
        if (bestOfK > 0) {
            return Describable.settingsOf("sizeInBudgets", sizeInBudgets, "writer", "generator-0", "bestOfK",
                    bestOfK, "bestOfKChoice", BestOfK.GENERATOR_LIKELIHOOD);
        }
        return Describable.settingsOf("sizeInBudgets", sizeInBudgets, "writer",
                fromStudent0 ? "student-0" : "generator-0");
    }

    @Override
    public String name() {
        return bestOfK > 0 ? "static-synthetic-best-of-k"
                : fromStudent0 ? "static-synthetic-student0" : "static-synthetic";
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        IterationContext.Synthesized generated = null;
        if (staticSet.isEmpty()) {
            // prepare() runs before the iteration's training, so in iteration 1 the Student is still Student 0
            int tokens = ctx.config().tokenBudget() * sizeInBudgets;
            generated = bestOfK > 0
                    ? ctx.synthesize(ctx.generator(), ctx.topicPrompts("static set"), tokens, 1.0,
                            "generate static set", bestOfK, BestOfK.byLikelihood(ctx.generator()))
                    : ctx.synthesize(fromStudent0 ? ctx.student() : ctx.generator(), ctx.topicPrompts("static set"),
                            tokens, 1.0, "generate static set");
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
    public void resetState() {
        staticSet = List.of();
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        Path f = dir.resolve("static-set.jsonl");
        staticSet = Files.exists(f) ? TextsFile.readTexts(f) : List.of();
    }
}
