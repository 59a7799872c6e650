package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComputePerArmTest {

    private static String line(String arm, int t, double seconds, String compute) {
        return "{\"strategy\":\"" + arm + "\",\"iteration\":" + t + ",\"seconds\":{\"train_student\":" + seconds
                + ",\"evaluate\":1.0}" + (compute == null ? "" : ",\"compute\":" + compute) + "}";
    }

    @Test
    void sumsOverIterationsAndAveragesOverRuns(@TempDir Path dir) throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.write(a.resolve(ComputePerArm.TIMINGS), List.of(
                line("symbiosis", 0, 9.0, null), // iteration 0 is Student 0's evaluation: not an arm's work
                line("symbiosis", 1, 2.0, "{\"tokens.forward.student\":100,\"tokens.backward.generator\":10}"),
                line("symbiosis", 2, 3.0, "{\"tokens.forward.student\":50}"),
                line("real-upper-bound", 1, 1.0, "{\"tokens.forward.student\":40}")));
        Files.write(b.resolve(ComputePerArm.TIMINGS), List.of(
                line("symbiosis", 1, 4.0, "{\"tokens.forward.student\":30}")));
        List<ComputePerArm.Row> rows = ComputePerArm.of(List.of(a, b, dir.resolve("missing")));
        assertEquals(2, rows.size());
        ComputePerArm.Row s = rows.get(0);
        assertEquals("symbiosis", s.strategy());
        assertEquals(2, s.runs());
        // run a: 150 forward, 10 backward; run b: 30 forward -> means 90 and 5
        assertEquals(Map.of("tokens.forward.student", 90.0, "tokens.backward.generator", 5.0), s.tokens());
        assertEquals(95.0, s.totalTokens(), 0.0);
        // run a: (2 + 1) + (3 + 1) = 7 seconds, run b: 4 + 1 = 5 -> 6
        assertEquals(6.0, s.seconds(), 1e-12);
        ComputePerArm.Row r = rows.get(1);
        assertEquals(1, r.runs());
        assertEquals(Map.of("tokens.forward.student", 40.0), r.tokens());
    }

    @Test
    void anIterationRedoneAfterAnInterruptionCountsOnce(@TempDir Path dir) throws IOException {
        // an older folder: iterations 1-2 of the first attempt, then the redo of 1-3 (its records are the redo's)
        Files.write(dir.resolve(ComputePerArm.TIMINGS), List.of(
                line("symbiosis", 1, 2.0, "{\"tokens.forward.student\":100}"),
                line("symbiosis", 2, 2.0, "{\"tokens.forward.student\":100}"),
                line("symbiosis", 1, 3.0, "{\"tokens.forward.student\":10}"),
                line("symbiosis", 2, 3.0, "{\"tokens.forward.student\":20}"),
                line("symbiosis", 3, 3.0, "{\"tokens.forward.student\":30}")));
        ComputePerArm.Row s = ComputePerArm.of(List.of(dir)).get(0);
        assertEquals(Map.of("tokens.forward.student", 60.0), s.tokens());
        assertEquals(3 * (3.0 + 1.0), s.seconds(), 1e-12);
    }

    @Test
    void aMalformedLineIsNamedByFileAndLine(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(ComputePerArm.TIMINGS), List.of(line("x", 1, 1.0, null), "{not json"));
        IOException e = assertThrows(IOException.class, () -> ComputePerArm.of(List.of(dir)));
        assertTrue(e.getMessage().contains(ComputePerArm.TIMINGS + ":2:"), e.getMessage());
    }
}
