package dev.symbiosis.core.eval;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One generate-and-check question: a prompt the model continues, and one or more reference answers any of which
 * counts as right (GSM8K's final number, the alternatives of a quiz answer ...).
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises and reads back as is. Validation failures are
 * {@link IllegalArgumentException}s naming the item and field.
 *
 * @param id non-blank identifier, unique within its task file
 * @param task non-blank task name (e.g. {@code "gsm8k"}, {@code "quiz-gen"})
 * @param prompt the text the model continues; non-blank
 * @param references at least one non-blank reference answer, in their original order
 * @param source non-blank name of where the item came from; readers default it to the task
 * @param metadata free string attributes, sorted by key (e.g. {@code "extract": "first_number"}, read by
 *     {@link ExactMatch}); empty when there are none
 */
public record GenerativeItem(String id, String task, String prompt, List<String> references, String source,
        Map<String, String> metadata) {

    /** Metadata key naming the {@link AnswerExtractor} the default checker applies to this item's completions. */
    public static final String EXTRACT = "extract";

    public GenerativeItem {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
        String where = "item '" + id + "': ";
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException(where + "task must not be blank");
        }
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException(where + "prompt must not be blank");
        }
        if (references == null || references.isEmpty()) {
            throw new IllegalArgumentException(where + "needs at least one reference answer");
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i) == null || references.get(i).isBlank()) {
                throw new IllegalArgumentException(where + "reference answer " + i + " is blank");
            }
        }
        references = List.copyOf(references);
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(where + "source must not be blank");
        }
        Map<String, String> sorted = new TreeMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, where + "metadata '" + k + "' is null")));
        }
        metadata = Collections.unmodifiableMap(sorted);
        String extract = metadata.get(EXTRACT);
        if (extract != null) {
            AnswerExtractor.named(extract); // fail at construction, not mid-evaluation
        }
    }

    /** An item without metadata. */
    public GenerativeItem(String id, String task, String prompt, List<String> references, String source) {
        this(id, task, prompt, references, source, Map.of());
    }
}
