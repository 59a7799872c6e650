package dev.symbiosis.core.eval;

import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a {@link GenerativeEvaluator} run: per task exact-match accuracy with a 95% Wilson interval and
 * pass@k, their macro average over tasks, and per item the completions, extracted answers and verdicts.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises and reads back as is.
 *
 * @param tasks one result per task, in order of first appearance
 * @param macroExactMatch unweighted mean of the tasks' exact-match accuracy
 * @param items one result per item, in input order
 */
public record GenerativeResult(List<GenerativeTaskResult> tasks, double macroExactMatch,
        List<GenerativeItemResult> items) {

    public GenerativeResult {
        tasks = List.copyOf(tasks);
        items = List.copyOf(items);
    }

    /** The result of task {@code name}, if it was evaluated. */
    public Optional<GenerativeTaskResult> task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst();
    }

    /**
     * Every figure by dotted name, for run records: {@code em.macro}, and per task {@code em.<task>},
     * {@code em.<task>.lower95}, {@code em.<task>.upper95}, {@code pass@<k>.<task>} for every k, {@code n.<task>}.
     */
    public ImmutableSortedMap<String, Double> figures() {
        ImmutableSortedMap.Builder<String, Double> b = ImmutableSortedMap.naturalOrder();
        b.put("em.macro", macroExactMatch);
        for (GenerativeTaskResult t : tasks) {
            b.put("em." + t.task(), t.exactMatch().value());
            b.put("em." + t.task() + ".lower95", t.exactMatch().lower());
            b.put("em." + t.task() + ".upper95", t.exactMatch().upper());
            for (Map.Entry<Integer, Double> e : t.passAtK().entrySet()) {
                b.put("pass@" + e.getKey() + "." + t.task(), e.getValue());
            }
            b.put("n." + t.task(), (double) t.n());
        }
        return b.build();
    }
}
