package dev.symbiosis.core.eval;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Accuracy of one generative task.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises and reads back as is.
 *
 * @param task task name
 * @param n number of items
 * @param samples completions drawn per item
 * @param exactMatch items whose first completion is right (the greedy one with one sample), with a 95% Wilson
 *     interval
 * @param passAtK per k, the mean over items of the unbiased pass@k estimate ({@link PassAtK}); sorted by k
 */
public record GenerativeTaskResult(String task, int n, int samples, Proportion exactMatch,
        Map<Integer, Double> passAtK) {

    public GenerativeTaskResult {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(exactMatch, "exactMatch");
        passAtK = java.util.Collections.unmodifiableMap(new TreeMap<>(passAtK));
    }
}
