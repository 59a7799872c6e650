package dev.symbiosis.core.loop;

import dev.symbiosis.core.model.Student;

/** Evaluates a Student on the held-out suite (the proposal's D_eval) after each iteration. */
@FunctionalInterface
public interface StudentEvaluator {

    /**
     * Evaluates without changing the Student.
     *
     * @param student the Student to evaluate
     * @param progress receives (done, total) units of work as evaluation proceeds
     */
    Evaluation evaluate(Student student, ProgressSink progress);
}
