package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.testing.CharBigramModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's token-level figures, retention, Student 0's minimal pairs and the primary comparison's verdict,
 * end to end with test-double models, and a resumed run that evaluates nothing loads no model for them.
 */
class RunnerReadingsTest {

    private static ExperimentRunner runner(Path out, ExperimentRunner.ModelSource student) {
        ExperimentConfig cfg = ExperimentConfig.builder("smoke").optPreset("readings").optIterations(1)
                .optTokenBudget(128).optStrategies(List.of("symbiosis", "static-synthetic", "real-upper-bound"))
                .optEvalItemsPerTask(2).optHeldOutDocsPerDomain(1).build();
        return ExperimentRunner.builder(cfg).optOutput(out).optNoMeasure()
                .optGenerator(seed -> CharBigramModel.trainedOn("g", List.of("The law of the land is old.")))
                .optStudent(student).build();
    }

    @Test
    void recordsFilesAndReport(@TempDir Path out) throws IOException {
        List<IterationRecord> records = runner(out,
                seed -> CharBigramModel.trainedOn("s", List.of("The sea is wide."))).run().records();
        for (IterationRecord r : records) {
            for (String k : List.of("top1.macro", "bpb.freq.head", "bpb.freq.middle", "bpb.freq.tail")) {
                assertTrue(r.evaluation().containsKey(k) && Double.isFinite(r.evaluation().get(k)), k + " of " + r);
            }
        }
        List<String> primary = Files.readAllLines(out.resolve(Report.PRIMARY_FILE));
        assertEquals(2, primary.size());
        assertTrue(primary.get(1).startsWith("symbiosis,static-synthetic,1,1,1,"), primary.get(1));
        // the difference is the records' difference of bpb.macro at the last iteration
        double a = records.stream().filter(r -> r.strategy().equals("symbiosis") && r.iteration() == 1).findFirst()
                .orElseThrow().headlineValue();
        double b = records.stream().filter(r -> r.strategy().equals("static-synthetic") && r.iteration() == 1)
                .findFirst().orElseThrow().headlineValue();
        assertEquals(a - b, Double.parseDouble(primary.get(1).split(",")[5]), 1e-6);
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("<b>Verdict: "), "the primary comparison states its verdict");
        assertTrue(report.contains("Retention of what Student 0 gets right"));
        assertTrue(Files.readAllLines(out.resolve(Retention.FILE)).size() > 1);
        // the embedded suite has minimal pairs: Student 0's pooled accuracy is reported
        assertTrue(Files.readAllLines(out.resolve(MinimalPairsAccuracy.FILE)).get(1).startsWith("42,symbiosis,"));
        assertTrue(report.contains("Student 0 on the minimal pairs"));

        // resuming a finished run evaluates nothing, so it opens no Student for the token frequencies
        String before = Files.readString(out.resolve("results.jsonl"));
        runner(out, seed -> {
            throw new AssertionError("a finished run must not open the Student");
        }).run();
        assertEquals(before, Files.readString(out.resolve("results.jsonl")));
    }
}
