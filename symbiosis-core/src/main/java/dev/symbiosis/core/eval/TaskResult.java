package dev.symbiosis.core.eval;

import java.util.Objects;

/**
 * Accuracy of one task.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises as is.
 *
 * @param task task name
 * @param n number of items
 * @param accuracy acc: items whose highest-likelihood choice is right, with a 95% Wilson interval
 * @param accNorm acc_norm: the same with length-normalised likelihoods, with a 95% Wilson interval
 * @param chance expected accuracy of random guessing ({@link ChanceLevel})
 */
public record TaskResult(String task, int n, Proportion accuracy, Proportion accNorm, double chance) {

    public TaskResult {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(accuracy, "accuracy");
        Objects.requireNonNull(accNorm, "accNorm");
    }
}
