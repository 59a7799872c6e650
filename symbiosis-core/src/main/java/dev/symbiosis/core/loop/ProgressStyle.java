package dev.symbiosis.core.loop;

import java.util.Locale;

/**
 * How long work reports progress on a console: a bar redrawn in place ({@code \r}) for a person at a terminal, or
 * whole lines for a log file or a pipe, where redraws would pile up into one endless line.
 */
public enum ProgressStyle {
    /** One line redrawn in place with carriage returns. */
    BAR,
    /** Whole lines, a few per step (at quarters and at the end) and at most one per {@link #LINE_INTERVAL_NANOS}. */
    LINES;

    /** Shortest time between two progress lines of one step in {@link #LINES} style (its end always prints). */
    public static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

    /** Environment variable that forces a style: {@code bar} or {@code lines}. */
    public static final String ENV = "SYMBIOSIS_PROGRESS";

    /**
     * The style for this process: {@code $SYMBIOSIS_PROGRESS} when set, else {@link #BAR} when the JVM has a console
     * (standard input and output are a terminal) and {@link #LINES} otherwise, e.g. when output is redirected.
     *
     * @throws IllegalArgumentException if {@code $SYMBIOSIS_PROGRESS} is neither {@code bar} nor {@code lines}
     */
    public static ProgressStyle detect() {
        return resolve(System.getenv(ENV), System.console() != null);
    }

    /** {@link #detect()} with its inputs given: the environment value (may be null) and whether a console exists. */
    static ProgressStyle resolve(String env, boolean console) {
        if (env != null && !env.isBlank()) {
            return switch (env.strip().toLowerCase(Locale.ROOT)) {
                case "bar" -> BAR;
                case "lines" -> LINES;
                default -> throw new IllegalArgumentException(ENV + "=" + env + ": expected bar or lines");
            };
        }
        return console ? BAR : LINES;
    }

    /**
     * Whether a {@link #LINES} progress line is due: at the end, on crossing a quarter of the work since the last
     * line, or when {@link #LINE_INTERVAL_NANOS} passed since it.
     *
     * @param lastFraction fraction done at the last line (negative when none was printed for this step)
     */
    public static boolean lineDue(double fraction, double lastFraction, long nanosSinceLast) {
        if (fraction >= 1.0) {
            return true;
        }
        if (lastFraction < 0) {
            return true;
        }
        return Math.floor(fraction * 4) > Math.floor(lastFraction * 4) || nanosSinceLast >= LINE_INTERVAL_NANOS;
    }
}
