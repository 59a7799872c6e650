package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.corpus.JsonlCorpusReader;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.DjlLanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolScoringTest {

    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static Path pool;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start("PoolScoringTest");
        // 24 real documents (1,000-4,000 characters each: several windows each), over two files
        List<String> lines = TestAssets.bundleLines("pool", 24);
        TestAssets.writeLines(tmp.resolve("pool/a.jsonl"), lines.subList(0, 10));
        TestAssets.writeLines(tmp.resolve("pool/b.jsonl"), lines.subList(10, 24));
        pool = tmp.resolve("pool");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorModels.closeAll();
    }

    @Test
    void equalsTheSingleProcessMinerOnTheSamePool() throws Exception {
        PoolScoring.Options o = new PoolScoring.Options(TestAssets.student().toString(), pool.toString())
                .topK(6).partitions(5).output(tmp.resolve("out").toString(), OutputFormat.JSONL);
        int loadsBefore = ExecutorModels.loads();
        PoolScoring.Result r = PoolScoring.run(spark, o);
        // 5 scoring partitions and a saliency stage ran on 2 task threads: at most one model per thread
        int loads = ExecutorModels.loads() - loadsBefore;
        assertTrue(loads >= 1 && loads <= 2, "models loaded: " + loads);

        List<Document> docs;
        try (Stream<Path> files = Files.list(pool)) {
            docs = files.sorted().flatMap(f -> {
                try (JsonlCorpusReader reader = JsonlCorpusReader.open(f)) {
                    return reader.readAll().stream();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        Feedback expected;
        try (DjlLanguageModel student = DjlLanguageModel.load(TestAssets.student())) {
            expected = o.miner().mine(student, docs, 0);
        }
        Feedback actual = r.feedback();
        assertEquals(expected.poolSize(), actual.poolSize(), "windows");
        assertTrue(actual.poolSize() > 24, "documents were cut into windows: " + actual.poolSize());
        assertEquals(expected.poolMeanEntropy(), actual.poolMeanEntropy(), 1e-5);
        assertEquals(expected.poolMeanLogProb(), actual.poolMeanLogProb(), 1e-5);
        assertEquals(6, actual.hardExamples().size());
        for (int i = 0; i < 6; i++) {
            HardExample e = expected.hardExamples().get(i);
            HardExample a = actual.hardExamples().get(i);
            assertEquals(e.document().id(), a.document().id(), "rank " + i);
            assertEquals(e.document().text(), a.document().text());
            assertEquals(e.meanEntropy(), a.meanEntropy(), 1e-5);
            assertEquals(e.meanLogProb(), a.meanLogProb(), 1e-5);
            assertEquals(e.hardness(), a.hardness(), 1e-5);
            assertEquals(e.salientSpans(), a.salientSpans(), "spans of rank " + i);
            assertEquals(e.saliency().size(), a.saliency().size());
            for (int t = 0; t < e.saliency().size(); t++) {
                assertEquals(e.saliency().norms().get(t), a.saliency().norms().get(t),
                        1e-4 * Math.max(1, e.saliency().norms().get(t)));
            }
        }

        // the written tables hold every window and the k hard examples, in rank order
        List<Row> scores = spark.read().json(tmp.resolve("out/scores").toString()).collectAsList();
        assertEquals(expected.poolSize(), scores.size());
        List<Row> hard = spark.read().json(tmp.resolve("out/hard-examples").toString()).orderBy("rank")
                .collectAsList();
        assertEquals(expected.hardExamples().get(0).document().id(), hard.get(0).getAs("id"));
        assertTrue(Files.exists(tmp.resolve("out/_summary.json")));

        // the model's time is inside the scoring stage: positive, and at most the stage's wall time on each of the
        // two task threads
        assertTrue(r.modelSeconds() > 0 && r.modelSeconds() <= 2 * r.scoreSeconds(),
                "model " + r.modelSeconds() + " s, stage " + r.scoreSeconds() + " s");
        assertEquals(r.modelSeconds(), new ObjectMapper().readTree(tmp.resolve("out/_summary.json").toFile())
                .get("model_seconds").asDouble(), 0);
    }

    @Test
    void malformedInputNamesFileAndLine() throws Exception {
        Path bad = TestAssets.writeLines(tmp.resolve("bad/pool.jsonl"),
                List.of("{\"text\": \"fine text here\"}", "", "{\"text\": 42}"));
        PoolScoring.Options o = new PoolScoring.Options(TestAssets.student().toString(), bad.toString());
        Exception e = assertThrows(Exception.class, () -> PoolScoring.run(spark, o));
        String msg = String.valueOf(e.getMessage());
        assertTrue(msg.contains("pool.jsonl") && msg.contains("line 3") && msg.contains("'text' must be a string"),
                msg);
    }
}
