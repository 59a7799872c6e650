package dev.symbiosis.core.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model whose trainable state can be written to and restored from a directory.
 *
 * <p>Contract: after {@code save(dir)} and any further training, {@code restore(dir)} brings the model back to
 * exactly the saved state (same scores, same samples for the same seed). Implementations write atomically: a
 * crash during {@code save} leaves either the previous content of {@code dir} or the new one, never a mix.
 */
public interface Checkpointable {

    /**
     * Writes the state into {@code dir} (created if absent).
     *
     * @throws IOException if writing fails; the previous content of {@code dir} is then left intact
     */
    void save(Path dir) throws IOException;

    /**
     * Replaces the current state with the one saved in {@code dir}.
     *
     * @throws IOException if {@code dir} cannot be read, or holds a state of another architecture (the message
     *     names the file and field at fault)
     */
    void restore(Path dir) throws IOException;
}
