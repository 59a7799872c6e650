package dev.symbiosis.core.feedback;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * The result of one round of feedback mining (Step C).
 *
 * @param iteration the loop iteration, {@code >= 0}
 * @param poolSize how many pool documents were examined, {@code >= 0}
 * @param hardExamples the selected examples, hardest first
 * @param poolMeanEntropy mean of the per-document mean entropy over the examined pool ({@code NaN} if empty)
 * @param poolMeanLogProb mean of the per-document mean log-likelihood over the examined pool ({@code NaN} if empty)
 */
public record Feedback(
        int iteration, int poolSize, ImmutableList<HardExample> hardExamples, double poolMeanEntropy,
        double poolMeanLogProb) {

    public Feedback {
        if (iteration < 0 || poolSize < 0) {
            throw new IllegalArgumentException("iteration and poolSize must be >= 0");
        }
        Objects.requireNonNull(hardExamples, "hardExamples");
        if (hardExamples.size() > poolSize) {
            throw new IllegalArgumentException(
                    hardExamples.size() + " hard examples from a pool of only " + poolSize);
        }
    }

    /** Feedback from nothing: iteration {@code t}, no examples. */
    public static Feedback none(int iteration) {
        return new Feedback(iteration, 0, ImmutableList.of(), Double.NaN, Double.NaN);
    }

    public boolean isEmpty() {
        return hardExamples.isEmpty();
    }
}
