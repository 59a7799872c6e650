package dev.symbiosis.core.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A corpus or task file that cannot be read as its format requires: malformed JSON, a missing or mistyped field,
 * invalid UTF-8, an empty file, a line over the length limit, corrupt gzip data.
 *
 * <p>The message always starts with the location, {@code file:line:column: } where line and column are 1-based;
 * the line is left out ({@code file: }) when the problem concerns the whole file (for example an empty file), and
 * the column is left out when unknown. During iteration of a {@link CorpusReader} this exception arrives wrapped in
 * an {@link java.io.UncheckedIOException}.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class CorpusFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file at fault, as given to the reader (not made absolute). */
    private final transient Path file;
    private final long line;
    private final int column;
    private final String problem;

    /**
     * @param file the file at fault
     * @param line 1-based line, or 0 when the problem concerns the whole file
     * @param column 1-based column in characters, or 0 when unknown
     * @param problem what is wrong, without the location
     */
    public CorpusFormatException(Path file, long line, int column, String problem) {
        this(file, line, column, problem, null);
    }

    /** As {@link #CorpusFormatException(Path, long, int, String)} with an underlying cause (or null). */
    public CorpusFormatException(Path file, long line, int column, String problem, Throwable cause) {
        super(location(file, line, column) + ": " + problem, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = Math.max(0, line);
        this.column = Math.max(0, column);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** An error about the whole file (no line). */
    public static CorpusFormatException ofFile(Path file, String problem) {
        return new CorpusFormatException(file, 0, 0, problem);
    }

    /** An error at a line (no column). */
    public static CorpusFormatException atLine(Path file, long line, String problem) {
        return new CorpusFormatException(file, line, 0, problem);
    }

    private static String location(Path file, long line, int column) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem concerns the whole file. */
    public long line() {
        return line;
    }

    /** 1-based column in characters, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The problem without the location prefix. */
    public String problem() {
        return problem;
    }
}
