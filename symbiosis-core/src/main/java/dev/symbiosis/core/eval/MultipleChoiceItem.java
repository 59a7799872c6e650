package dev.symbiosis.core.eval;

import java.util.List;
import java.util.Objects;

/**
 * One multiple-choice question: a context and at least two choices, one of them right. A choice is scored as the
 * continuation {@code " " + choice} of the context (see {@link #scoredText(int)}).
 *
 * <p>Immutable and thread-safe. Validation failures are {@link IllegalArgumentException}s naming the item and field.
 *
 * @param id non-blank identifier, unique within its suite
 * @param task non-blank task name (e.g. {@code "cloze"}, {@code "arc_easy"})
 * @param context the question or text to continue; non-blank
 * @param choices at least two non-empty choices, in their original order
 * @param answer index of the right choice, {@code 0 <= answer < choices.size()}
 * @param source non-blank name of where the item came from (e.g. {@code "austen"}); readers default it to the task
 */
public record MultipleChoiceItem(String id, String task, String context, List<String> choices, int answer,
        String source) {

    /** What separates the context from a choice in the scored text, as lm-evaluation-harness's default. */
    public static final String DELIMITER = " ";

    public MultipleChoiceItem {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
        String where = "item '" + id + "': ";
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException(where + "task must not be blank");
        }
        if (context == null || context.isBlank()) {
            throw new IllegalArgumentException(where + "context must not be blank");
        }
        if (choices == null || choices.size() < 2) {
            throw new IllegalArgumentException(where + "needs at least 2 choices, got "
                    + (choices == null ? 0 : choices.size()));
        }
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i) == null || choices.get(i).isEmpty()) {
                throw new IllegalArgumentException(where + "choice " + i + " is empty");
            }
        }
        choices = List.copyOf(choices);
        if (answer < 0 || answer >= choices.size()) {
            throw new IllegalArgumentException(where + "answer index " + answer + " is out of range for "
                    + choices.size() + " choices");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(where + "source must not be blank");
        }
    }

    /** The text scored for choice {@code i}: {@code context + " " + choices[i]}. */
    public String scoredText(int i) {
        return context + DELIMITER + choices.get(i);
    }

    /** The right choice. */
    public String answerText() {
        return choices.get(answer);
    }

    /** A copy with the choices reordered: new choice {@code k} is old choice {@code order[k]}; the answer follows. */
    public MultipleChoiceItem permuted(int[] order) {
        if (order.length != choices.size()) {
            throw new IllegalArgumentException("order has " + order.length + " entries for " + choices.size()
                    + " choices");
        }
        String[] c = new String[order.length];
        int newAnswer = -1;
        boolean[] used = new boolean[order.length];
        for (int k = 0; k < order.length; k++) {
            int o = order[k];
            if (o < 0 || o >= order.length || used[o]) {
                throw new IllegalArgumentException("order is not a permutation of 0.." + (order.length - 1));
            }
            used[o] = true;
            c[k] = choices.get(o);
            if (o == answer) {
                newAnswer = k;
            }
        }
        return new MultipleChoiceItem(id, task, context, List.of(c), newAnswer, source);
    }
}
