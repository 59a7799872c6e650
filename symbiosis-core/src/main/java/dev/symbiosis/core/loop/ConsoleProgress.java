package dev.symbiosis.core.loop;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Console progress with ETA for every long step, and one summary line per iteration. Writes to the given stream
 * (standard error by convention, so that standard output stays machine-readable), as a bar redrawn in place or as
 * whole lines ({@link ProgressStyle}; by default {@link ProgressStyle#detect()}: lines when output is redirected).
 * Strategies that run concurrently keep their own step, elapsed time, ETA and line schedule; in the bar style they
 * share the line (the last one to report draws it, each ends its step on a line of its own). Thread-safe:
 * concurrent strategies' events are written whole, one at a time.
 */
public final class ConsoleProgress implements LoopListener {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private final ProgressStyle style;
    /** Each strategy's current step. */
    private final Map<String, Step> steps = new HashMap<>();
    /** The strategy whose bar is on the screen without its newline, or null. */
    private String shown;
    private long lastDraw;
    /** Length of the bar on the screen: a shorter one drawn over it blanks the rest. */
    private int shownLength;

    /** One strategy's step: its key ({@code iteration/step}), start and when it last wrote a line. */
    private static final class Step {
        final String key;
        final long start;
        long lastPrint;
        double lastFraction = -1;

        Step(String key, long start) {
            this.key = key;
            this.start = start;
        }
    }

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
        String key = iteration + "/" + step;
        Step st = steps.get(strategy);
        if (st == null || !st.key.equals(key)) {
            if (strategy.equals(shown)) {
                endLine(); // this strategy's previous step keeps its last bar on its own line
            }
            st = new Step(key, now);
            steps.put(strategy, st);
        }
        boolean finished = total > 0 && done >= total;
        double frac = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        double elapsed = (now - st.start) / 1e9;
        String eta = frac > 0 && !finished ? clock(elapsed / frac - elapsed) : "--:--";
        if (style == ProgressStyle.LINES) {
            if (ProgressStyle.lineDue(finished ? 1.0 : frac, st.lastFraction, now - st.lastPrint)) {
                st.lastPrint = now;
                st.lastFraction = frac;
                out.printf(Locale.ROOT, "[%s %d] %s %3.0f%% %d/%d elapsed %s eta %s%n", strategy, iteration, step,
                        frac * 100, done, total, clock(elapsed), eta);
            }
            return;
        }
        if (!finished && now - lastDraw < 200_000_000L) {
            return; // at most five redraws a second
        }
        lastDraw = now;
        int filled = (int) Math.round(frac * WIDTH);
        String line = String.format(Locale.ROOT, "[%s %d] %-28s [%s%s] %3.0f%% %d/%d elapsed %s eta %s", strategy,
                iteration, step, "#".repeat(filled), ".".repeat(WIDTH - filled), frac * 100, done, total,
                clock(elapsed), eta);
        out.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
        shown = strategy;
        shownLength = line.length();
        if (finished) {
            endLine();
        }
    }

    @Override
    public void iterationFinished(IterationRecord r, SortedMap<String, Double> seconds) {
        iterationFinished(r.strategy(), r, seconds);
    }

    private synchronized void iterationFinished(String strategy, IterationRecord r,
            SortedMap<String, Double> seconds) {
        endLine();
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf(Locale.ROOT, "-- %s iteration %d: %s = %.4f, trained on %d tokens, %.1f s%n", strategy,
                r.iteration(), r.headline(), r.headlineValue(), r.trainingTokens(), total);
    }

    /**
     * A listener that reports through this one with every strategy shown as {@code label + strategy}: loops that
     * run at once (e.g. one per run seed, {@link SymbiosisLoop#runAll}) and share one console, each with its own
     * label (e.g. {@code "seed 43 "}), keep their strategies apart and share the bar.
     *
     * @param label prefix of the shown strategy names; empty for none
     */
    public LoopListener labelled(String label) {
        java.util.Objects.requireNonNull(label, "label");
        return new LoopListener() {
            @Override
            public void strategyStarted(String strategy, int fromIteration, int iterations) {
                ConsoleProgress.this.strategyStarted(label + strategy, fromIteration, iterations);
            }

            @Override
            public void stepProgress(String strategy, int iteration, String step, long done, long total) {
                ConsoleProgress.this.stepProgress(label + strategy, iteration, step, done, total);
            }

            @Override
            public void iterationFinished(IterationRecord record, SortedMap<String, Double> seconds) {
                ConsoleProgress.this.iterationFinished(label + record.strategy(), record, seconds);
            }

            @Override
            public void strategyFinished(String strategy, String reason) {
                ConsoleProgress.this.strategyFinished(label + strategy, reason);
            }
        };
    }

    @Override
    public synchronized void strategyFinished(String strategy, String reason) {
        endLine();
        out.printf(Locale.ROOT, "== %s: %s%n", strategy, reason);
    }

    private void endLine() {
        if (shown != null) {
            out.println();
            shown = null;
            shownLength = 0;
        }
    }

    private static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
