package dev.symbiosis.core.loop;

import java.util.SortedMap;

/** Events of a loop run, for progress displays and logs. Every method has an empty default. */
public interface LoopListener {

    /** A strategy starts (or resumes) at {@code fromIteration} of {@code iterations}. */
    default void strategyStarted(String strategy, int fromIteration, int iterations) {}

    /** Progress of a long step, (done, total) units. */
    default void stepProgress(String strategy, int iteration, String step, long done, long total) {}

    /** An iteration's record was written; {@code seconds} holds the wall-clock time of each step. */
    default void iterationFinished(IterationRecord record, SortedMap<String, Double> seconds) {}

    /** A strategy ended: {@code "done"}, {@code "plateau"} or {@code "resumed-complete"}. */
    default void strategyFinished(String strategy, String reason) {}
}
