package dev.symbiosis.core.loop;

import dev.symbiosis.core.Describable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One way of producing the Student's training data each iteration: Symbiosis or a baseline. Every strategy runs
 * through the same {@link SymbiosisLoop}, gets the same token budget, and writes the same records.
 *
 * <p>A strategy keeps its cross-iteration state in memory and persists it with {@link #saveState} /
 * {@link #restoreState} so that an interrupted run resumes exactly; {@link #resetState} empties it before a fresh
 * start, so that one strategy object run twice (two run folders, or a strategy begun again) gives the records of
 * a new object.
 */
public interface Strategy extends Describable {

    /**
     * Short name, used in records and as a folder name: lowercase letters, digits and dashes, parts joined by
     * {@code +} for arms named as a combination of components (e.g. {@code symbiosis+gap+reset}).
     */
    String name();

    /** Whether the strategy fine-tunes its Generator (then the loop checkpoints the Generator too). */
    default boolean evolvesGenerator() {
        return false;
    }

    /** Builds the Student's training data of the context's iteration (Step A, or the baseline's data). */
    IterationData prepare(IterationContext ctx);

    /** Runs after the Student trained on the prepared data (Steps C and D for Symbiosis). */
    default void afterTraining(IterationContext ctx, IterationData data) {}

    /** Writes cross-iteration state into {@code dir} (exists, empty). */
    default void saveState(Path dir) throws IOException {}

    /** Reads the state written by {@link #saveState}. */
    default void restoreState(Path dir) throws IOException {}

    /**
     * Returns the cross-iteration state to what a new object holds. The loop calls it before iteration 1 when the
     * strategy starts from the beginning (not when it resumes from a checkpoint).
     */
    default void resetState() {}
}
