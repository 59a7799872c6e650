package dev.symbiosis.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A smoke run of the benchmark harness on a tiny hull (no model): the figures are present and consistent. */
class SemanticBenchmarkTest {

    @Test
    void tinyHullRunReportsFigures() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SemanticBenchmark.Result r = SemanticBenchmark.run(new PrintStream(buf, true, StandardCharsets.UTF_8),
                new SemanticBenchmark.Options(4, 2, 1, 300, 3, 1, 1), false);
        assertTrue(Double.isNaN(r.sentencesPerSecond()));
        assertTrue(r.hullSeconds() > 0 && r.hullVolume() > 0);
        // Euler's formula for a simplicial 3-polytope: F = 2V - 4
        assertEquals(2 * r.hullVertices() - 4, r.hullFacets());
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("hull: 300 Gaussian points, k = 3"));
        assertEquals(7, r.figures().size());
        assertThrows(IllegalArgumentException.class, () -> new SemanticBenchmark.Options(1, 1, 1, 3, 3, 1, 1));
    }

    @Test
    void sentencesAreDistinctAndSeeded() {
        List<String> a = SemanticBenchmark.sentences(200, 5);
        assertEquals(a, SemanticBenchmark.sentences(200, 5));
        assertEquals(200, new HashSet<>(a).size());
    }
}
