package dev.symbiosis.core.loop;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import java.util.Collections;
import java.util.SortedMap;
import org.jspecify.annotations.NullMarked;

/**
 * Evaluates a Student on the held-out suite (the proposal's D_eval) after each iteration.
 *
 * <p>An implementation used by a loop that runs strategies concurrently is called from several threads at once,
 * each call with its own Student and context; it must then keep no per-call state in fields.
 */
@NullMarked
@FunctionalInterface
public interface StudentEvaluator extends Describable {

    /**
     * Evaluates without changing the Student.
     *
     * @param student the Student to evaluate
     * @param context the strategy and iteration evaluated, and the sink of (done, total) progress
     * @return the figures, and per-item results when the evaluator has items ({@link Evaluation#items()})
     */
    Evaluation evaluate(Student student, EvaluationContext context);

    /**
     * Records an evaluation this evaluator made of the same model for another strategy as if it had been made in
     * {@code context}: the loop evaluates Student 0 once per run, not once per strategy (every strategy starts from
     * the same Student 0). An evaluator that writes per-strategy files writes them here. Default: returns it.
     */
    default Evaluation reuse(Evaluation evaluation, EvaluationContext context) {
        return evaluation;
    }

    /**
     * Figures of the loop's current Generator on the same held-out data (the proposal's Generator must stay a good
     * model of real text while it is fine-tuned), recorded with the prefix {@value SymbiosisLoop#GENERATOR_PREFIX}
     * in every iteration's figures. The loop calls it for Generator 0 at iteration 0 and after every iteration,
     * at most once per Generator state (an unchanged Generator is not scored again). Must not change the model.
     *
     * <p>Called only when {@link #evaluatesGenerator()}. Default: no figures.
     *
     * @param generator the Generator to score (its scorer view; thread-confined to this call)
     * @param context the strategy and iteration, and the sink of (done, total) progress
     * @return the figures, without prefix; empty for none
     */
    default SortedMap<String, Double> evaluateGenerator(TextScorer generator, EvaluationContext context) {
        return Collections.emptySortedMap();
    }

    /**
     * Whether {@link #evaluateGenerator} gives figures; when false the loop never loads a Generator to score it.
     * Default false.
     */
    default boolean evaluatesGenerator() {
        return false;
    }
}
