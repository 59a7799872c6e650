package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention of Student 0's right answers and Student 0's pooled minimal-pairs accuracy, from item records. */
class RetentionTest {

    /** Writes multiple-choice items "task/id" -> right (1) or wrong (0), and one document. */
    private static void items(Path run, String strategy, int t, Map<String, Integer> right) throws IOException {
        Path f = Files.createDirectories(run.resolve(strategy).resolve("iter-" + t)).resolve("items.jsonl");
        StringBuilder sb = new StringBuilder("{\"kind\":\"bpb\",\"group\":\"x\",\"id\":\"d\",\"nll\":1.0,"
                + "\"bytes\":10,\"bpb\":0.1}\n");
        new TreeMap<>(right).forEach((k, v) -> sb.append("{\"kind\":\"mc\",\"group\":\"").append(k, 0, k.indexOf('/'))
                .append("\",\"id\":\"").append(k.substring(k.indexOf('/') + 1)).append("\",\"correct\":").append(v)
                .append(",\"correct_norm\":0}\n"));
        Files.writeString(f, sb);
    }

    private static final Map<String, Integer> ZERO = Map.of("minimal-pairs-agr/m1", 1, "minimal-pairs-agr/m2", 1,
            "minimal-pairs-an/m3", 0, "entity-cloze/e1", 1, "entity-cloze/e2", 0, "quiz/q1", 1);

    private static List<Path> runs(Path tmp) throws IOException {
        Path r1 = tmp.resolve("r1");
        Path r2 = tmp.resolve("r2");
        for (Path r : List.of(r1, r2)) {
            items(r, "arm", 0, ZERO);
        }
        // run 1 forgets m2 and e1, learns m3 and e2; run 2 keeps m2
        items(r1, "arm", 2, Map.of("minimal-pairs-agr/m1", 1, "minimal-pairs-agr/m2", 0, "minimal-pairs-an/m3", 1,
                "entity-cloze/e1", 0, "entity-cloze/e2", 1, "quiz/q1", 1));
        items(r2, "arm", 2, Map.of("minimal-pairs-agr/m1", 1, "minimal-pairs-agr/m2", 1, "minimal-pairs-an/m3", 1,
                "entity-cloze/e1", 0, "entity-cloze/e2", 1, "quiz/q1", 1));
        return List.of(r1, r2);
    }

    @Test
    void retentionPooledOverRunsPerFamily(@TempDir Path tmp) throws IOException {
        List<Retention.Row> rows = Retention.compute(runs(tmp), List.of("arm"), 2);
        Map<String, Retention.Row> last = rows.stream().filter(r -> r.iteration() == 2)
                .collect(Collectors.toMap(Retention.Row::family, r -> r));
        // right at 0 per run: m1, m2, e1, q1; still right: run 1 m1, q1; run 2 m1, m2, q1
        assertEquals(List.of(8L, 5L), List.of(last.get("all").rightAtZero(), last.get("all").stillRight()));
        assertEquals(0.625, last.get("all").fraction(), 1e-12);
        assertEquals(0.75, last.get("minimal-pairs").fraction(), 1e-12); // (1 + 2) / (2 + 2)
        assertEquals(0.0, last.get("entity-cloze").fraction(), 1e-12); // 0 / 2: learning e2 does not count
        assertEquals(1.0, last.get("other").fraction(), 1e-12);
        assertEquals(2, last.get("all").runs());
        assertTrue(rows.stream().filter(r -> r.iteration() == 0).allMatch(r -> r.fraction() == 1.0));
        assertEquals("minimal-pairs", Retention.family("minimal-pairs-this-these"));
        assertEquals("other", Retention.family("entity-cloze-2"));
        String html = Retention.html(rows, 2);
        assertTrue(html.contains("0.625 <small>(5/8)</small>"), html);
        Retention.writeCsv(tmp.resolve("r.csv"), rows);
        assertTrue(Files.readAllLines(tmp.resolve("r.csv")).contains("arm,2,minimal-pairs,2,4,3,0.750000"));
    }

    @Test
    void studentZeroMinimalPairsWithTheWilsonBound(@TempDir Path tmp) throws IOException {
        List<Path> dirs = runs(tmp);
        List<MinimalPairsAccuracy.Row> rows = MinimalPairsAccuracy.compute(List.of(
                new SeedStatistics.SeedRun(1, dirs.get(0), List.of()),
                new SeedStatistics.SeedRun(2, dirs.get(1), List.of())), List.of("missing", "arm"));
        assertEquals(2, rows.size());
        MinimalPairsAccuracy.Row r = rows.get(0);
        assertEquals("arm", r.strategy());
        assertEquals(List.of("minimal-pairs-agr", "minimal-pairs-an"), r.kinds());
        assertEquals(3, r.accuracy().trials());
        assertEquals(2, r.accuracy().successes());
        // Wilson score lower bound by hand: (p + z^2/2n - z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
        double z = 1.959963984540054;
        double n = 3;
        double p = 2 / 3.0;
        double lower = (p + z * z / (2 * n) - z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n);
        assertEquals(lower, r.accuracy().lower(), 1e-9);
        assertTrue(MinimalPairsAccuracy.html(rows).contains("2 kinds pooled, 3 pairs"));
    }
}
