package dev.symbiosis.cli.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Wall-clock timings of one workload: median, min and max in milliseconds over {@code n} timed iterations after
 * warm-up, computed as the Python peer computes them ({@code statistics.median}: the mean of the two middle values
 * for an even count).
 */
public record BenchStats(double median, double min, double max, int n) {

    /** A workload iteration; may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} {@code warmup} times untimed, then {@code iters} times timed. */
    public static BenchStats time(int warmup, int iters, Action action) throws Exception {
        if (iters < 1) {
            throw new IllegalArgumentException("iters must be >= 1, got " + iters);
        }
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] ms = new double[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return of(ms);
    }

    /** Statistics of the given durations (ms). */
    public static BenchStats of(double[] ms) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("no timings");
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new BenchStats(median, s[0], s[n - 1], n);
    }

    /** {@code {"median": .., "min": .., "max": .., "n": ..}} rounded to 3 decimals as the peer prints them. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("median", round3(median));
        o.put("min", round3(min));
        o.put("max", round3(max));
        o.put("n", n);
        return o;
    }

    /** Rounds to 3 decimals, like the peer's {@code round(x, 3)}. */
    public static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
