package dev.symbiosis.core.loop;

import dev.symbiosis.core.model.SamplingConfig;
import java.util.Objects;

/**
 * Sizes and seeds of a loop run, shared by every strategy so that they compare fairly.
 *
 * <p>Immutable. Build with {@link #builder()}; every option has a documented default.
 *
 * @param iterations number of iterations T, {@code >= 1}
 * @param tokenBudget Student training tokens per iteration, the same for every strategy, {@code >= 1}
 * @param generationBatch prompts per generation call, {@code >= 1}
 * @param sampling sampler of Step A and Step D (its seed is not used: every generated row has its own seed, derived
 *     from the master seed, the iteration, the step and the row, see {@link IterationContext#rowSeed})
 * @param poolSample pool documents mined per iteration (a seeded draw), {@code >= 1}
 * @param teachingShare share of Step A prompts that re-use the last iteration's teaching prompts (Symbiosis
 *     only), in {@code [0, 1]}
 * @param patience stop a strategy after this many iterations without improvement of the headline by at least
 *     {@code minDelta}; {@code 0} disables early stopping
 * @param minDelta minimum improvement of the headline figure that counts, {@code >= 0}
 * @param seed master seed; every random choice of the loop derives from it
 */
public record LoopConfig(
        int iterations, int tokenBudget, int generationBatch, SamplingConfig sampling, int poolSample,
        double teachingShare, int patience, double minDelta, long seed) {

    public LoopConfig {
        check(iterations >= 1, "iterations must be >= 1, got " + iterations);
        check(tokenBudget >= 1, "tokenBudget must be >= 1, got " + tokenBudget);
        check(generationBatch >= 1, "generationBatch must be >= 1, got " + generationBatch);
        Objects.requireNonNull(sampling, "sampling");
        check(poolSample >= 1, "poolSample must be >= 1, got " + poolSample);
        check(teachingShare >= 0 && teachingShare <= 1, "teachingShare must be in [0, 1], got " + teachingShare);
        check(patience >= 0, "patience must be >= 0, got " + patience);
        check(minDelta >= 0 && Double.isFinite(minDelta), "minDelta must be finite and >= 0, got " + minDelta);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The seed of one random choice: a mix of the master seed, the iteration and a step label, so that every
     * strategy sees the same draw for the same step and iteration (paired comparisons) and resumption replays it.
     */
    public long seedFor(int iteration, String step) {
        long h = seed * 0x9E3779B97F4A7C15L + iteration * 0xBF58476D1CE4E5B9L;
        for (int i = 0; i < step.length(); i++) {
            h = (h ^ step.charAt(i)) * 0x94D049BB133111EBL;
        }
        return h ^ (h >>> 31);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of {@link LoopConfig}. */
    public static final class Builder {
        private int iterations = 5;
        private int tokenBudget = 16_384;
        private int generationBatch = 16;
        private SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(96);
        private int poolSample = 128;
        private double teachingShare = 0.5;
        private int patience = 0;
        private double minDelta = 0.0;
        private long seed = 42;

        private Builder() {}

        /** Iterations T. Default 5. */
        public Builder optIterations(int v) {
            iterations = v;
            return this;
        }

        /** Student training tokens per iteration. Default 16,384. */
        public Builder optTokenBudget(int v) {
            tokenBudget = v;
            return this;
        }

        /** Prompts per generation call. Default 16. */
        public Builder optGenerationBatch(int v) {
            generationBatch = v;
            return this;
        }

        /** Sampler. Default temperature 1, no filters, 96 new tokens. */
        public Builder optSampling(SamplingConfig v) {
            sampling = v;
            return this;
        }

        /** Pool documents mined per iteration. Default 128. */
        public Builder optPoolSample(int v) {
            poolSample = v;
            return this;
        }

        /** Share of Step A prompts taken from the last teaching prompts (Symbiosis). Default 0.5. */
        public Builder optTeachingShare(double v) {
            teachingShare = v;
            return this;
        }

        /** Early-stopping patience in iterations; 0 disables. Default 0. */
        public Builder optPatience(int v) {
            patience = v;
            return this;
        }

        /** Minimum headline improvement. Default 0. */
        public Builder optMinDelta(double v) {
            minDelta = v;
            return this;
        }

        /** Master seed. Default 42. */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public LoopConfig build() {
            return new LoopConfig(iterations, tokenBudget, generationBatch, sampling, poolSample, teachingShare,
                    patience, minDelta, seed);
        }
    }
}
