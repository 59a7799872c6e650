package dev.symbiosis.metrics.semantic;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A vector file ({@code .csv} or {@code .npy}) that cannot be read: the message names the file and, for CSV, the
 * line (1-based).
 */
public final class VectorFormatException extends IOException {

    private final transient Path file;
    private final long line;

    /**
     * @param file the file
     * @param line 1-based line, or 0 when not applicable
     * @param message what is wrong
     */
    public VectorFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line, 0 when not applicable. */
    public long line() {
        return line;
    }
}
