package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.metrics.MetricsPanel;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusMetricsTest {

    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static List<String> texts;
    private static Path corpus;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start("CorpusMetricsTest");
        ObjectMapper m = new ObjectMapper();
        List<String> lines = TestAssets.bundleLines("stream", 40);
        texts = new ArrayList<>();
        for (String l : lines) {
            texts.add(m.readTree(l).get("text").textValue());
        }
        TestAssets.writeLines(tmp.resolve("corpus/a.jsonl"), lines.subList(0, 15));
        TestAssets.writeLines(tmp.resolve("corpus/b.jsonl"), lines.subList(15, 40));
        corpus = tmp.resolve("corpus");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorModels.closeAll();
    }

    private static void assertSameFigures(SortedMap<String, Double> expected, SortedMap<String, Double> actual,
            String prefix, int atLeast) {
        int compared = 0;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
                compared++;
            }
        }
        assertTrue(compared >= atLeast, "compared " + compared + " " + prefix + " figures");
    }

    @Test
    void wholeCorpusEqualsTheSingleProcessPanelAndTheSemanticSampleIsStated() throws Exception {
        SortedMap<String, Double> spark4 = CorpusMetrics.run(spark, new CorpusMetrics.Options(corpus.toString())
                .partitions(3).semanticSample(10).output(tmp.resolve("figures.json").toString()));
        SortedMap<String, Double> single = MetricsPanel.builder().sampleSize(1000).build().measure(texts);
        assertSameFigures(single, spark4, "lexical.", 11);
        assertSameFigures(single, spark4, "syntax.", 14);
        assertSameFigures(single, spark4, "panel.", 2);

        assertEquals(10.0, spark4.get("semantic.sample_texts"));
        List<String> sample = MetricsPanel.subsample(texts, 10, MetricsPanel.DEFAULT_SEED);
        SortedMap<String, Double> semantic;
        try (MiniLmEncoder encoder = MiniLmEncoder.builder().threads(1).build()) {
            semantic = MetricsPanel.builder().syntax(false).pcaFit(MetricsPanel.PcaFit.SELF).build()
                    .semantic(encoder.encode(sample));
        }
        for (Map.Entry<String, Double> e : semantic.entrySet()) {
            double tol = 1e-4 * Math.max(1, Math.abs(e.getValue()));
            assertEquals(e.getValue(), spark4.get(e.getKey()), tol, e.getKey());
        }
    }

    @Test
    void aSeededSampleIsTheMetricsCommandsSample() throws Exception {
        SortedMap<String, Double> spark4 = CorpusMetrics.run(spark, new CorpusMetrics.Options(corpus.toString())
                .sampleSize(25).seed(99).semanticSample(0));
        SortedMap<String, Double> single = MetricsPanel.builder().sampleSize(25).seed(99).build().measure(texts);
        assertEquals(25.0, spark4.get("panel.measured_texts"));
        assertSameFigures(single, spark4, "lexical.", 11);
        assertSameFigures(single, spark4, "syntax.", 14);
        assertTrue(spark4.keySet().stream().noneMatch(k -> k.startsWith("semantic.")));
    }

    @Test
    void sampleIndicesDrawWhatSubsampleDraws() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(Integer.toString(i));
        }
        for (int size : new int[] {1, 100, 999, 1000, 2000}) {
            int[] idx = CorpusMetrics.sampleIndices(1000, size, 17L);
            List<String> expected = MetricsPanel.subsample(items, size, 17L);
            assertEquals(expected, Arrays.stream(idx).mapToObj(Integer::toString).toList(), "size " + size);
        }
    }
}
