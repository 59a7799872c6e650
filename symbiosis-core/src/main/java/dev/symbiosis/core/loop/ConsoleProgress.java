package dev.symbiosis.core.loop;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SortedMap;

/**
 * Console progress with ETA for every long step, and one summary line per iteration. Writes to the given stream
 * (standard error by convention, so that standard output stays machine-readable), as a bar redrawn in place or as
 * whole lines ({@link ProgressStyle}; by default {@link ProgressStyle#detect()}: lines when output is redirected).
 * Thread-safe: concurrent strategies' events are written whole, one at a time.
 */
public final class ConsoleProgress implements LoopListener {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private final ProgressStyle style;
    private String currentStep;
    private long stepStart;
    private long lastPrint;
    private double lastFraction = -1;

    /** Progress on {@code out} in the style of {@link ProgressStyle#detect()}. */
    public ConsoleProgress(PrintStream out) {
        this(out, ProgressStyle.detect());
    }

    public ConsoleProgress(PrintStream out, ProgressStyle style) {
        this.out = out;
        this.style = style;
    }

    @Override
    public synchronized void strategyStarted(String strategy, int fromIteration, int iterations) {
        endLine();
        out.printf(Locale.ROOT, "== %s: iterations %d..%d%n", strategy, fromIteration, iterations);
    }

    @Override
    public synchronized void stepProgress(String strategy, int iteration, String step, long done, long total) {
        long now = System.nanoTime();
        String key = strategy + "/" + iteration + "/" + step;
        if (!key.equals(currentStep)) {
            endLine();
            currentStep = key;
            stepStart = now;
            lastFraction = -1;
        }
        boolean finished = total > 0 && done >= total;
        double frac = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        double elapsed = (now - stepStart) / 1e9;
        String eta = frac > 0 && !finished ? clock(elapsed / frac - elapsed) : "--:--";
        if (style == ProgressStyle.LINES) {
            if (ProgressStyle.lineDue(finished ? 1.0 : frac, lastFraction, now - lastPrint)) {
                lastPrint = now;
                lastFraction = frac;
                out.printf(Locale.ROOT, "[%s %d] %s %3.0f%% %d/%d elapsed %s eta %s%n", strategy, iteration, step,
                        frac * 100, done, total, clock(elapsed), eta);
            }
            if (finished) {
                currentStep = null; // the line is complete: nothing to end
            }
            return;
        }
        if (!finished && now - lastPrint < 200_000_000L) {
            return; // at most five redraws a second
        }
        lastPrint = now;
        int filled = (int) Math.round(frac * WIDTH);
        out.printf(Locale.ROOT, "\r[%s %d] %-28s [%s%s] %3.0f%% %d/%d elapsed %s eta %s", strategy, iteration,
                step, "#".repeat(filled), ".".repeat(WIDTH - filled), frac * 100, done, total, clock(elapsed), eta);
        if (finished) {
            endLine();
        }
    }

    @Override
    public synchronized void iterationFinished(IterationRecord r, SortedMap<String, Double> seconds) {
        endLine();
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf(Locale.ROOT, "-- %s iteration %d: %s = %.4f, trained on %d tokens, %.1f s%n", r.strategy(),
                r.iteration(), r.headline(), r.headlineValue(), r.trainingTokens(), total);
    }

    @Override
    public synchronized void strategyFinished(String strategy, String reason) {
        endLine();
        out.printf(Locale.ROOT, "== %s: %s%n", strategy, reason);
    }

    private void endLine() {
        if (currentStep != null && style == ProgressStyle.BAR) {
            out.println();
            currentStep = null;
        }
    }

    private static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
