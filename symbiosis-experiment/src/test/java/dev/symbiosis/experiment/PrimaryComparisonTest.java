package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The primary comparison's paired difference and TOST ({@link GainRecovered#compare}) on synthetic item records. */
class PrimaryComparisonTest {

    private static final double LN2 = Math.log(2);
    private static final int DOCS = 20;
    private static final int T = 3;

    /** One domain of {@value #DOCS} documents of 100 bytes; document {@code j} has {@code bpb(j)} bits per byte. */
    private static void items(Path run, String strategy, int t, IntToDoubleFunction bpb) throws IOException {
        Path f = Files.createDirectories(run.resolve(strategy).resolve("iter-" + t)).resolve("items.jsonl");
        StringBuilder sb = new StringBuilder("{\"kind\":\"mc\",\"group\":\"quiz\",\"id\":\"q1\",\"correct\":1}\n");
        for (int j = 0; j < DOCS; j++) {
            double v = bpb.applyAsDouble(j);
            sb.append(String.format(Locale.ROOT, "{\"kind\":\"bpb\",\"group\":\"x\",\"id\":\"d%d\",\"nll\":%s,"
                    + "\"bytes\":100,\"bpb\":%s}%n", j, v * 100 * LN2, v));
        }
        Files.writeString(f, sb);
    }

    /**
     * Two pairs of two runs each. Reference: 2.0 at iteration 0, 1.5 at T (real-data gain G = 0.5, margin 0.1);
     * static-synthetic 1.8 at T; symbiosis {@code 1.8 + shift + noise(j)}, noise alternating +-{@code noise}.
     */
    private static List<List<Path>> runs(Path tmp, double shift, double noise) throws IOException {
        List<List<Path>> pairs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            List<Path> pair = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Path dir = tmp.resolve("pair-" + p).resolve("seed-" + r);
                items(dir, "real-upper-bound", 0, j -> 2.0);
                items(dir, "real-upper-bound", T, j -> 1.5);
                items(dir, "static-synthetic", T, j -> 1.8);
                items(dir, "symbiosis", T, j -> 1.8 + shift + (j % 2 == 0 ? noise : -noise));
                pair.add(dir);
            }
            pairs.add(pair);
        }
        return pairs;
    }

    private static GainRecovered.Comparison compare(List<List<Path>> runs) throws IOException {
        return GainRecovered.compare(runs, "symbiosis", "static-synthetic", T, 7);
    }

    @Test
    void eachOfTheFourReadings(@TempDir Path tmp) throws IOException {
        GainRecovered.Comparison better = compare(runs(tmp.resolve("better"), -0.3, 0.01));
        assertEquals(-0.3, better.difference(), 1e-9);
        assertEquals(0.5, better.referenceGain(), 1e-9);
        assertEquals(0.1, better.margin(), 1e-9);
        assertEquals(2, better.pairs());
        assertEquals(4, better.runs());
        assertTrue(better.upper95() < 0, better.toString());
        assertEquals(GainRecovered.Verdict.BETTER, better.verdict());

        GainRecovered.Comparison worse = compare(runs(tmp.resolve("worse"), 0.3, 0.01));
        assertEquals(0.3, worse.difference(), 1e-9);
        assertEquals(GainRecovered.Verdict.WORSE, worse.verdict());

        // the same documents for both arms: the noise +-0.02 leaves a mean of 0 and an interval well inside +-0.1
        GainRecovered.Comparison same = compare(runs(tmp.resolve("same"), 0, 0.02));
        assertEquals(0, same.difference(), 1e-9);
        assertTrue(same.lower95() <= 0 && same.upper95() >= 0, same.toString());
        assertTrue(same.lower90() > -0.02 && same.upper90() < 0.02, same.toString());
        assertEquals(GainRecovered.Verdict.EQUIVALENT, same.verdict());
        assertEquals("equivalent within the margin", same.verdict().words());

        // noise +-1 over 20 documents: the mean's spread (~0.22) is wider than the margin
        GainRecovered.Comparison noisy = compare(runs(tmp.resolve("noisy"), 0, 1.0));
        assertTrue(noisy.lower90() < -0.1 && noisy.upper90() > 0.1, noisy.toString());
        assertEquals(GainRecovered.Verdict.INCONCLUSIVE, noisy.verdict());
        assertTrue(noisy.lower95() <= noisy.lower90() && noisy.upper90() <= noisy.upper95());
        assertEquals(noisy, compare(runs(tmp.resolve("noisy"), 0, 1.0)), "deterministic for a seed");
    }

    @Test
    void theReadingFollowsTheProtocolsOrder() {
        // below 0 and inside the margin: the difference test comes first
        assertEquals(GainRecovered.Verdict.BETTER, GainRecovered.verdict(-0.05, -0.01, -0.04, -0.02, 0.1));
        assertEquals(GainRecovered.Verdict.WORSE, GainRecovered.verdict(0.01, 0.05, 0.02, 0.04, 0.1));
        assertEquals(GainRecovered.Verdict.EQUIVALENT, GainRecovered.verdict(-0.09, 0.09, -0.08, 0.08, 0.1));
        // a bound on the margin is not inside it; a real-data arm that did not gain gives no margin
        assertEquals(GainRecovered.Verdict.INCONCLUSIVE, GainRecovered.verdict(-0.2, 0.2, -0.1, 0.05, 0.1));
        assertEquals(GainRecovered.Verdict.INCONCLUSIVE, GainRecovered.verdict(-0.01, 0.01, -0.01, 0.01, -0.1));
    }

    @Test
    void aRunWithoutAnArmsRecordsIsRefused(@TempDir Path tmp) throws IOException {
        items(tmp, "real-upper-bound", 0, j -> 2.0);
        items(tmp, "real-upper-bound", T, j -> 1.5);
        items(tmp, "symbiosis", T, j -> 1.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> compare(List.of(List.of(tmp))));
        assertTrue(e.getMessage().contains("static-synthetic"), e.getMessage());
    }
}
