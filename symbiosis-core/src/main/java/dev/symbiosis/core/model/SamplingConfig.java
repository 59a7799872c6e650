package dev.symbiosis.core.model;

/**
 * How a {@link Generator} samples continuations.
 *
 * <p>Immutable and thread-safe. Use {@link #defaults()} and the {@code withXxx} methods.
 *
 * @param temperature softmax temperature, {@code >= 0}; {@code 0} means greedy decoding (argmax)
 * @param topK keep only the {@code topK} most likely tokens before sampling; {@code 0} disables the filter
 * @param topP nucleus sampling: keep the smallest set of tokens whose probability sums to at least {@code topP},
 *     in {@code (0, 1]}; {@code 1} disables the filter
 * @param repetitionPenalty CTRL-style penalty {@code >= 1} dividing positive (multiplying negative) logits of
 *     tokens already present in the sequence; {@code 1} disables it
 * @param maxNewTokens maximum number of tokens generated after the prompt, {@code >= 1}; generation also stops at
 *     the model's end-of-text token
 * @param seed seed of the sampler; the same seed, model and prompts give the same samples on CPU
 */
public record SamplingConfig(
        double temperature, int topK, double topP, double repetitionPenalty, int maxNewTokens, long seed) {

    public SamplingConfig {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 disables), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty >= 1) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be finite and >= 1, got " + repetitionPenalty);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
    }

    /** Temperature 1, no top-k/top-p filter, no repetition penalty, 64 new tokens, seed 0. */
    public static SamplingConfig defaults() {
        return new SamplingConfig(1.0, 0, 1.0, 1.0, 64, 0L);
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens. */
    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(0.0, 0, 1.0, 1.0, maxNewTokens, 0L);
    }

    public boolean isGreedy() {
        return temperature == 0.0;
    }

    public SamplingConfig withTemperature(double value) {
        return new SamplingConfig(value, topK, topP, repetitionPenalty, maxNewTokens, seed);
    }

    public SamplingConfig withTopK(int value) {
        return new SamplingConfig(temperature, value, topP, repetitionPenalty, maxNewTokens, seed);
    }

    public SamplingConfig withTopP(double value) {
        return new SamplingConfig(temperature, topK, value, repetitionPenalty, maxNewTokens, seed);
    }

    public SamplingConfig withRepetitionPenalty(double value) {
        return new SamplingConfig(temperature, topK, topP, value, maxNewTokens, seed);
    }

    public SamplingConfig withMaxNewTokens(int value) {
        return new SamplingConfig(temperature, topK, topP, repetitionPenalty, value, seed);
    }

    public SamplingConfig withSeed(long value) {
        return new SamplingConfig(temperature, topK, topP, repetitionPenalty, maxNewTokens, value);
    }
}
