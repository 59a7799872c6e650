package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GainRecoveredTest {

    private static final double LN2 = Math.log(2);

    /** Items of two domains, two documents each; every document has 100 bytes and {@code bpb} bits per byte. */
    private static void items(Path run, String strategy, int t, double[] bpb) throws IOException {
        Path f = Files.createDirectories(run.resolve(strategy).resolve("iter-" + t)).resolve("items.jsonl");
        StringBuilder sb = new StringBuilder("{\"kind\":\"mc\",\"group\":\"quiz\",\"id\":\"q1\",\"correct\":1}\n");
        String[] domains = {"a", "a", "b", "b"};
        for (int i = 0; i < 4; i++) {
            sb.append(String.format(Locale.ROOT, "{\"kind\":\"bpb\",\"group\":\"%s\",\"id\":\"d%d\",\"nll\":%s,"
                    + "\"bytes\":100,\"bpb\":%s}%n", domains[i], i, bpb[i] * 100 * LN2, bpb[i]));
        }
        Files.writeString(f, sb);
    }

    private static void run(Path dir, double[] zero, double[] real, double[] arm) throws IOException {
        for (String s : List.of("real-upper-bound", "arm")) {
            items(dir, s, 0, zero);
        }
        items(dir, "real-upper-bound", 2, real);
        items(dir, "arm", 2, arm);
    }

    @Test
    void theRatioOfMeanGainsAndAnIntervalAroundIt(@TempDir Path tmp) throws IOException {
        // run 1: macro 3.0 -> real 2.8 (gain 0.2), arm 2.9 (gain 0.1); run 2: 3.0 -> real 2.6 (0.4), arm 2.8 (0.2)
        run(tmp.resolve("r1"), new double[] {2, 2, 4, 4}, new double[] {1.8, 1.8, 3.8, 3.8},
                new double[] {1.9, 1.9, 3.9, 3.9});
        run(tmp.resolve("r2"), new double[] {2, 2, 4, 4}, new double[] {1.6, 1.6, 3.6, 3.6},
                new double[] {1.8, 1.9, 3.7, 3.8});
        List<GainRecovered.Row> rows = GainRecovered.compute(List.of(tmp.resolve("r1"), tmp.resolve("r2")),
                List.of("arm", "real-upper-bound"), 2, 1);
        GainRecovered.Row arm = rows.get(0);
        // independent arithmetic: run 2 arm macro = ((1.85) + (3.75)) / 2 = 2.8
        assertEquals((0.1 + 0.2) / 2, arm.gain(), 1e-9);
        assertEquals((0.2 + 0.4) / 2, arm.referenceGain(), 1e-9);
        assertEquals(0.5, arm.ratio(), 1e-9);
        assertTrue(arm.lower95() <= 0.5 && arm.upper95() >= 0.5 && arm.upper95() > arm.lower95(), arm.toString());
        GainRecovered.Row ref = rows.get(1);
        assertEquals(1.0, ref.ratio(), 1e-12);
        assertEquals(1.0, ref.lower95(), 1e-12);
        assertEquals(1.0, ref.upper95(), 1e-12);
        assertEquals(rows, GainRecovered.compute(List.of(tmp.resolve("r1"), tmp.resolve("r2")),
                List.of("arm", "real-upper-bound"), 2, 1), "deterministic for a seed");
    }

    @Test
    void aRunWithoutTheRealDataArmIsRefused(@TempDir Path tmp) throws IOException {
        items(tmp, "arm", 0, new double[] {2, 2, 4, 4});
        items(tmp, "arm", 2, new double[] {2, 2, 4, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GainRecovered.compute(List.of(tmp), List.of("arm"), 2, 1));
        assertTrue(e.getMessage().contains("real-upper-bound"), e.getMessage());
    }
}
