package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of timings.jsonl: lines inserted and sorted by their strategy's place in the run's order. */
class RunStoreTimingsTest {

    private static final List<String> ORDER = List.of("static-synthetic", "symbiosis", "real-upper-bound");

    @Test
    void insertTimingKeepsStrategyOrderAndIterationOrderWithinAStrategy(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir, "{}");
        store.insertTiming("real-upper-bound", 1, seconds(1), ORDER);
        store.insertTiming("static-synthetic", 1, seconds(2), ORDER);
        store.insertTiming("symbiosis", 1, seconds(3), ORDER);
        store.insertTiming("static-synthetic", 2, seconds(4), ORDER);
        assertEquals(List.of("static-synthetic 1", "static-synthetic 2", "symbiosis 1", "real-upper-bound 1"),
                unitsOf(dir));
    }

    @Test
    void sortTimingsIsStableWithinAStrategyAndDropsBlankLines(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir, "{}");
        store.appendTiming("real-upper-bound", 1, seconds(1));
        store.appendTiming("symbiosis", 1, seconds(2));
        store.appendTiming("real-upper-bound", 2, seconds(3));
        store.appendTiming("static-synthetic", 1, seconds(4));
        Path f = dir.resolve("timings.jsonl");
        Files.writeString(f, Files.readString(f, StandardCharsets.UTF_8) + "\n", StandardCharsets.UTF_8);
        store.sortTimings(ORDER);
        assertEquals(List.of("static-synthetic 1", "symbiosis 1", "real-upper-bound 1", "real-upper-bound 2"),
                unitsOf(dir));
        assertEquals(4, Files.readAllLines(f, StandardCharsets.UTF_8).size());
    }

    @Test
    void sortTimingsLeavesAnOrderedFileUntouched(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir, "{}");
        store.appendTiming("static-synthetic", 1, seconds(1));
        store.appendTiming("symbiosis", 1, seconds(2));
        Path f = dir.resolve("timings.jsonl");
        java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(f, before);
        store.sortTimings(ORDER);
        assertEquals(before, Files.getLastModifiedTime(f));
    }

    private static TreeMap<String, Double> seconds(double s) {
        TreeMap<String, Double> m = new TreeMap<>();
        m.put("total", s);
        return m;
    }

    private static List<String> unitsOf(Path dir) throws IOException {
        List<String> units = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("timings.jsonl"), StandardCharsets.UTF_8)) {
            var o = Json.parse(l);
            units.add(o.path("strategy").asText() + " " + o.path("iteration").asInt());
        }
        return units;
    }
}
