package dev.symbiosis.core.loop;

import dev.symbiosis.core.Describable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One way of producing the Student's training data each iteration: Symbiosis or a baseline. Every strategy runs
 * through the same {@link SymbiosisLoop}, gets the same token budget, and writes the same records.
 *
 * <p>A strategy keeps its cross-iteration state in memory and persists it with {@link #saveState} /
 * {@link #restoreState} so that an interrupted run resumes exactly.
 */
public interface Strategy extends Describable {

    /**
     * Short name, used in records and as a folder name: lowercase letters, digits and dashes (parts may be joined by
     * {@code +}, a combination such as {@code symbiosis+rest}).
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
}
