package dev.symbiosis.core.loop;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.model.Student;
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
}
