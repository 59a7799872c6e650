package dev.symbiosis.core.eval;

import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a {@link MultipleChoiceEvaluator} run: per task accuracy and acc_norm with 95% Wilson intervals,
 * their macro average (unweighted mean over tasks) over the headline tasks, and per item which choice was picked.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises and reads back as is ({@code NaN} never occurs,
 * since a suite has no empty task).
 *
 * @param tasks one result per task, in suite order
 * @param macroTasks the tasks averaged in the macro figures (all tasks unless restricted), in suite order
 * @param macroAccuracy mean of the macro tasks' acc
 * @param macroAccNorm mean of the macro tasks' acc_norm
 * @param macroChance mean of the macro tasks' chance levels
 * @param normalization what acc_norm divided by
 * @param items one result per item, in suite order
 */
public record EvalResult(List<TaskResult> tasks, List<String> macroTasks, double macroAccuracy, double macroAccNorm,
        double macroChance, LengthNormalization normalization, List<ItemResult> items) {

    public EvalResult {
        tasks = List.copyOf(tasks);
        macroTasks = List.copyOf(macroTasks);
        Objects.requireNonNull(normalization, "normalization");
        items = List.copyOf(items);
    }

    /** The result of task {@code name}, if it was evaluated. */
    public Optional<TaskResult> task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst();
    }

    /**
     * Mean acc over {@code names} (e.g. another headline set).
     *
     * @throws IllegalArgumentException if {@code names} is empty or names a task not evaluated
     */
    public double macroAccuracy(Collection<String> names) {
        return select(names).stream().mapToDouble(t -> t.accuracy().value()).average().orElseThrow();
    }

    /** Mean acc_norm over {@code names}; errors as {@link #macroAccuracy(Collection)}. */
    public double macroAccNorm(Collection<String> names) {
        return select(names).stream().mapToDouble(t -> t.accNorm().value()).average().orElseThrow();
    }

    private List<TaskResult> select(Collection<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no task names given for a macro average");
        }
        List<TaskResult> out = new ArrayList<>();
        for (String n : names) {
            out.add(task(n).orElseThrow(() -> new IllegalArgumentException("task '" + n
                    + "' was not evaluated; tasks are " + tasks.stream().map(TaskResult::task).toList())));
        }
        return out;
    }

    /**
     * Every figure by dotted name, for run records: {@code acc.macro}, {@code acc_norm.macro}, {@code chance.macro},
     * and per task {@code acc.<task>}, {@code acc.<task>.lower95}, {@code acc.<task>.upper95}, {@code acc_norm.<task>},
     * {@code chance.<task>}, {@code n.<task>}.
     */
    public ImmutableSortedMap<String, Double> figures() {
        ImmutableSortedMap.Builder<String, Double> b = ImmutableSortedMap.naturalOrder();
        b.put("acc.macro", macroAccuracy);
        b.put("acc_norm.macro", macroAccNorm);
        b.put("chance.macro", macroChance);
        for (TaskResult t : tasks) {
            b.put("acc." + t.task(), t.accuracy().value());
            b.put("acc." + t.task() + ".lower95", t.accuracy().lower());
            b.put("acc." + t.task() + ".upper95", t.accuracy().upper());
            b.put("acc_norm." + t.task(), t.accNorm().value());
            b.put("chance." + t.task(), t.chance());
            b.put("n." + t.task(), (double) t.n());
        }
        return b.build();
    }
}
