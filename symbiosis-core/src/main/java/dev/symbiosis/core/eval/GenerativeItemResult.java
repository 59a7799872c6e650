package dev.symbiosis.core.eval;

import java.util.List;
import java.util.Objects;

/**
 * What the evaluator found for one generative item, kept so that two models can be compared item by item.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises and reads back as is.
 *
 * @param id item id
 * @param task task name
 * @param completions the sampled completions, in sample order (the first is the greedy one when one sample is drawn)
 * @param answers per completion, what the checker judged (the extracted answer for exact match)
 * @param correct per completion, the checker's verdict
 * @param correctCount number of correct completions
 */
public record GenerativeItemResult(String id, String task, List<String> completions, List<String> answers,
        List<Boolean> correct, int correctCount) {

    public GenerativeItemResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        completions = List.copyOf(completions);
        answers = List.copyOf(answers);
        correct = List.copyOf(correct);
        if (answers.size() != completions.size() || correct.size() != completions.size()) {
            throw new IllegalArgumentException("item '" + id + "': " + completions.size() + " completions, "
                    + answers.size() + " answers and " + correct.size() + " verdicts");
        }
    }

    /** Number of samples drawn. */
    public int samples() {
        return completions.size();
    }

    /** Whether the first completion is right (what exact-match accuracy counts). */
    public boolean firstCorrect() {
        return correct.get(0);
    }
}
