package dev.symbiosis.djl.model;

/**
 * Optimisation settings of one training call: AdamW (betas 0.9/0.999, eps 1e-8, decoupled weight decay on
 * matrices only) with linear warm-up then cosine decay to 10% of the peak over the call's steps, global-norm
 * gradient clipping.
 *
 * <p>Immutable and thread-safe.
 *
 * @param learningRate peak learning rate, {@code > 0}
 * @param warmupSteps linear warm-up steps, {@code >= 0}
 * @param weightDecay decoupled weight decay, {@code >= 0}
 * @param batchSize sequences per optimizer step, {@code >= 1}
 * @param epochs passes over the data per call, {@code >= 1}
 * @param clip maximum global gradient L2 norm, {@code > 0}; {@code Double.POSITIVE_INFINITY} disables clipping
 * @param seed seed of shuffling and dropout; the same seed, state and data give the same result on CPU
 */
public record TrainerConfig(double learningRate, int warmupSteps, double weightDecay, int batchSize, int epochs,
        double clip, long seed) {

    public TrainerConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (warmupSteps < 0 || batchSize < 1 || epochs < 1) {
            throw new IllegalArgumentException("warmupSteps >= 0, batchSize >= 1, epochs >= 1 required, got "
                    + warmupSteps + ", " + batchSize + ", " + epochs);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("clip must be > 0, got " + clip);
        }
    }

    /** Learning rate 2e-4, 10 warm-up steps, weight decay 0.01, batch 8, 1 epoch, clip 1.0, seed 42. */
    public static TrainerConfig defaults() {
        return new TrainerConfig(2e-4, 10, 0.01, 8, 1, 1.0, 42L);
    }

    public TrainerConfig withLearningRate(double v) {
        return new TrainerConfig(v, warmupSteps, weightDecay, batchSize, epochs, clip, seed);
    }

    public TrainerConfig withWarmupSteps(int v) {
        return new TrainerConfig(learningRate, v, weightDecay, batchSize, epochs, clip, seed);
    }

    public TrainerConfig withWeightDecay(double v) {
        return new TrainerConfig(learningRate, warmupSteps, v, batchSize, epochs, clip, seed);
    }

    public TrainerConfig withBatchSize(int v) {
        return new TrainerConfig(learningRate, warmupSteps, weightDecay, v, epochs, clip, seed);
    }

    public TrainerConfig withEpochs(int v) {
        return new TrainerConfig(learningRate, warmupSteps, weightDecay, batchSize, v, clip, seed);
    }

    public TrainerConfig withClip(double v) {
        return new TrainerConfig(learningRate, warmupSteps, weightDecay, batchSize, epochs, v, seed);
    }

    public TrainerConfig withSeed(long v) {
        return new TrainerConfig(learningRate, warmupSteps, weightDecay, batchSize, epochs, clip, v);
    }

    /**
     * Learning rate at optimizer step {@code step} (0-based) of {@code total}: linear warm-up from
     * {@code lr / warmup} to {@code lr}, then cosine decay to {@code 0.1 * lr} at the last step.
     */
    public static double schedule(double lr, int warmup, int step, int total) {
        if (warmup > 0 && step < warmup) {
            return lr * (step + 1) / warmup;
        }
        int decaySteps = Math.max(1, total - warmup);
        double progress = Math.min(1.0, (double) (step - warmup) / decaySteps);
        return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
