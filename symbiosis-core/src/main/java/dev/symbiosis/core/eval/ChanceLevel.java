package dev.symbiosis.core.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The accuracy expected from guessing uniformly at random: the mean over items of {@code 1 / number of choices}
 * (0.25 for a task of four-way items). A model is only interesting above it.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChanceLevel {

    private ChanceLevel() {}

    /** Expected accuracy of random guessing on {@code task}, in (0, 0.5]. */
    public static double of(EvalTask task) {
        double s = 0;
        for (MultipleChoiceItem it : task.items()) {
            s += 1.0 / it.choices().size();
        }
        return s / task.size();
    }

    /** Chance level of every task, in suite order. */
    public static Map<String, Double> perTask(EvalSuite suite) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (EvalTask t : suite.tasks()) {
            out.put(t.name(), of(t));
        }
        return out;
    }

    /** Unweighted mean of the tasks' chance levels (the chance level of a macro-averaged accuracy). */
    public static double macro(EvalSuite suite) {
        return suite.tasks().stream().mapToDouble(ChanceLevel::of).average().orElseThrow();
    }
}
