package dev.symbiosis.core.loop;

import java.util.Objects;
import org.jspecify.annotations.NullMarked;

/**
 * What the loop tells a {@link StudentEvaluator} about one evaluation: whose Student it is and when, so that an
 * evaluator can file per-item results or logs by strategy and iteration without listening to progress events.
 *
 * @param strategy the strategy whose Student is evaluated ({@link Strategy#name()})
 * @param iteration 0 for Student 0 before any training, then 1..T
 * @param progress receives (done, total) units of work as the evaluation proceeds; {@link ProgressSink#NONE} to
 *     ignore
 */
@NullMarked
public record EvaluationContext(String strategy, int iteration, ProgressSink progress) {

    public EvaluationContext {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(progress, "progress");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
    }

    /** A context without progress reports (for evaluations outside a loop, e.g. of a checkpoint). */
    public static EvaluationContext of(String strategy, int iteration) {
        return new EvaluationContext(strategy, iteration, ProgressSink.NONE);
    }
}
