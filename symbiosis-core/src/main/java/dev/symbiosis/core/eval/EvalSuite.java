package dev.symbiosis.core.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The held-out evaluation suite: tasks in a fixed order.
 *
 * <p>Immutable and thread-safe. An empty suite cannot be built.
 *
 * @param tasks at least one task; names unique; item ids unique across the whole suite
 */
public record EvalSuite(List<EvalTask> tasks) {

    public EvalSuite {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("an evaluation suite needs at least one task");
        }
        tasks = List.copyOf(tasks);
        Map<String, String> idToTask = new HashMap<>();
        Map<String, Boolean> names = new HashMap<>();
        for (EvalTask t : tasks) {
            if (names.put(t.name(), Boolean.TRUE) != null) {
                throw new IllegalArgumentException("duplicate task name '" + t.name() + "'");
            }
            for (MultipleChoiceItem it : t.items()) {
                String prev = idToTask.put(it.id(), t.name());
                if (prev != null) {
                    throw new IllegalArgumentException("duplicate item id '" + it.id() + "' in tasks '" + prev
                            + "' and '" + t.name() + "'");
                }
            }
        }
    }

    /** A suite of the given items, grouped into tasks in order of first appearance. */
    public static EvalSuite of(List<MultipleChoiceItem> items) {
        Map<String, List<MultipleChoiceItem>> byTask = new LinkedHashMap<>();
        for (MultipleChoiceItem it : items) {
            byTask.computeIfAbsent(it.task(), k -> new ArrayList<>()).add(it);
        }
        List<EvalTask> tasks = new ArrayList<>();
        byTask.forEach((name, list) -> tasks.add(new EvalTask(name, list)));
        return new EvalSuite(tasks);
    }

    /** The task called {@code name}, if any. */
    public Optional<EvalTask> task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Task names in order. */
    public List<String> taskNames() {
        return tasks.stream().map(EvalTask::name).toList();
    }

    /** All items, task by task. */
    public List<MultipleChoiceItem> items() {
        List<MultipleChoiceItem> all = new ArrayList<>();
        tasks.forEach(t -> all.addAll(t.items()));
        return all;
    }

    /** Total number of items. */
    public int size() {
        return tasks.stream().mapToInt(EvalTask::size).sum();
    }
}
