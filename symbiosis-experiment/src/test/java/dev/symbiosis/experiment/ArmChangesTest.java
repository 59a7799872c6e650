package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.model.TrainingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArmChangesTest {

    /** A run folder whose arms go from {@code t0} to the given value at iterations 1 and 2 (iteration 1 halfway). */
    private static Path run(Path dir, double t0, Map<String, Double> last) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Double> e : last.entrySet()) {
            for (int t = 0; t <= 2; t++) {
                double v = t == 0 ? t0 : t == 1 ? (t0 + e.getValue()) / 2 : e.getValue();
                lines.add(Json.writer().writeValueAsString(new IterationRecord(e.getKey(), t, "bpb.macro",
                        new TreeMap<>(Map.of("bpb.macro", v)), new TreeMap<>(), null, TrainingReport.empty(), null,
                        null, 0, 0, 0, false, null)));
            }
        }
        Files.write(dir.resolve("results.jsonl"), lines);
        return dir;
    }

    @Test
    void changesPerPairTheirMeanAndTheGainRecoveredAgainstHandValues(@TempDir Path tmp) throws IOException {
        // pair A in two folders (confirmatory and exploratory), pair B in one; "late" lacks pair B
        Path a1 = run(tmp.resolve("a-conf"), 2.5, Map.of("real", 2.4, "static", 2.52));
        Path a2 = run(tmp.resolve("a-expl"), 2.5, Map.of("hard", 2.46, "late", 2.49));
        Path b = run(tmp.resolve("b"), 2.6, Map.of("real", 2.48, "static", 2.6, "hard", 2.55));
        List<ArmChanges.Row> rows = ArmChanges.of(List.of(List.of(a1, a2), List.of(b)), 2, "bpb.macro", "real");
        assertEquals(List.of("static", "late", "hard", "real"), rows.stream().map(ArmChanges.Row::arm).toList());
        ArmChanges.Row hard = rows.get(2);
        assertEquals(-0.04, hard.perPair().get(0), 1e-12);
        assertEquals(-0.05, hard.perPair().get(1), 1e-12);
        assertEquals(-0.045, hard.mean(), 1e-12);
        // (-0.04 - 0.05) / (-0.1 - 0.12)
        assertEquals(0.09 / 0.22, hard.gainRecovered(), 1e-12);
        assertEquals(1.0, rows.get(3).gainRecovered(), 1e-12);
        ArmChanges.Row late = rows.get(1);
        assertTrue(Double.isNaN(late.perPair().get(1)));
        assertEquals(-0.01, late.mean(), 1e-12);
        assertTrue(Double.isNaN(late.gainRecovered()), "not in every pair: no gain recovered");
        // no reference: no gain recovered
        assertTrue(Double.isNaN(ArmChanges.of(List.of(List.of(b)), 2, "bpb.macro", null).get(0).gainRecovered()));

        Path csv = tmp.resolve(ArmChanges.FILE);
        ArmChanges.writeCsv(rows, List.of("A", "B"), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("arm,A,B,mean,gain_recovered", lines.get(0));
        assertEquals("late,-0.010000,,-0.010000,", lines.get(2));
        assertEquals("hard,-0.040000,-0.050000,-0.045000,0.409091", lines.get(3));
    }

    @Test
    void refusesAnArmInTwoFoldersOfOnePairAndEmptyInput(@TempDir Path tmp) throws IOException {
        Path x = run(tmp.resolve("x"), 2.5, Map.of("static", 2.52));
        Path y = run(tmp.resolve("y"), 2.5, Map.of("static", 2.51));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ArmChanges.of(List.of(List.of(x, y)), 2, "bpb.macro", null));
        assertTrue(e.getMessage().contains("static") && e.getMessage().contains("x")
                && e.getMessage().contains("y"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ArmChanges.of(List.of(), 2, "bpb.macro", null));
        assertThrows(IllegalArgumentException.class, () -> ArmChanges.of(List.of(List.of()), 2, "bpb.macro", null));
        Files.writeString(y.resolve("results.jsonl"), "{not json\n");
        IOException io = assertThrows(IOException.class,
                () -> ArmChanges.of(List.of(List.of(y)), 2, "bpb.macro", null));
        assertTrue(io.getMessage().contains("results.jsonl:1"), io.getMessage());
    }
}
