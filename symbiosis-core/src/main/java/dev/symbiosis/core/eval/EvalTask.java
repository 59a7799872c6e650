package dev.symbiosis.core.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named set of multiple-choice items scored together (one accuracy per task).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name non-blank task name; every item's {@link MultipleChoiceItem#task()} equals it
 * @param items at least one item, ids unique
 */
public record EvalTask(String name, List<MultipleChoiceItem> items) {

    public EvalTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(items, "items");
        if (name.isBlank()) {
            throw new IllegalArgumentException("task name must not be blank");
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("task '" + name + "' has no items");
        }
        items = List.copyOf(items);
        Set<String> ids = new HashSet<>();
        for (MultipleChoiceItem it : items) {
            if (!it.task().equals(name)) {
                throw new IllegalArgumentException("item '" + it.id() + "' belongs to task '" + it.task()
                        + "', not '" + name + "'");
            }
            if (!ids.add(it.id())) {
                throw new IllegalArgumentException("task '" + name + "' has duplicate item id '" + it.id() + "'");
            }
        }
    }

    /** Number of items. */
    public int size() {
        return items.size();
    }
}
