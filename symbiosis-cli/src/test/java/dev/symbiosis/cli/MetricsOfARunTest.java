package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.experiment.ExperimentConfig;
import dev.symbiosis.experiment.ExperimentRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics --like-run} on an iteration's measured texts gives the figures of the report, bit for bit, on a
 * tiny run with the embedded models; the run's synthetic.jsonl is read through --text-field.
 */
class MetricsOfARunTest {

    @Test
    void theCommandReproducesTheReportsFiguresOfAnIteration(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = ExperimentConfig.builder("smoke").optPreset("metrics").optIterations(1)
                .optTokenBudget(768).optSampling(new ExperimentConfig.Sampling(1.0, 0, 1.0, 1.0, 16))
                .optStrategies(List.of("real-mixing")).optEvalItemsPerTask(2)
                .optHeldOutDocsPerDomain(1).optMeasure(8, false).optMeasureReferenceTexts(16)
                // the task families are not what this test is about, and every minimal pair took most of its time
                .optEvaluator(new ExperimentConfig.Evaluator(16, 24, 8, false, false, List.of())).build();
        Path run = dir.resolve("run");
        List<IterationRecord> records = ExperimentRunner.builder(cfg).optOutput(run).optLog(
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build().run().records();
        IterationRecord r1 = records.get(1);
        Path iter = run.resolve("real-mixing/iter-1");
        List<String> measured = Files.readAllLines(iter.resolve("measured.jsonl"));
        assertTrue(measured.size() > 8, "more texts than the sample: " + measured.size());
        assertTrue(measured.stream().allMatch(l -> l.contains("\"origin\":\"synthetic\"")), "real-mixing measures"
                + " its synthetic part only");
        assertTrue(measured.get(measured.size() - 1).contains("\"truncated\":"));

        MetricsCommandTest.Run m = MetricsCommandTest.run("--input", iter.resolve("measured.jsonl").toString(),
                "--like-run", run.toString(), "--json");
        assertEquals(0, m.code(), m.err());
        assertTrue(m.err().contains("8 of " + measured.size() + " texts drawn with seed 42"), m.err());
        JsonNode got = Json.parse(m.out());
        assertEquals(r1.synthetic().keySet(), keys(got), "the same figures");
        for (Map.Entry<String, Double> e : r1.synthetic().entrySet()) {
            JsonNode v = got.get(e.getKey());
            if (Double.isFinite(e.getValue())) {
                assertEquals(e.getValue(), v.asDouble(), 0.0, e.getKey());
            } else {
                assertTrue(v.isNull(), e.getKey());
            }
        }
        assertTrue(r1.synthetic().containsKey("fidelity.bits_per_byte") && r1.synthetic().containsKey(
                "syntax.pos_jsd_1"), r1.synthetic().keySet().toString());

        // the run's own synthetic.jsonl: prompt/completion records, read with --text-field
        Path synthetic = iter.resolve("synthetic.jsonl");
        int samples = Files.readAllLines(synthetic).size();
        MetricsCommandTest.Run full = MetricsCommandTest.run("--input", synthetic.toString(), "--text-field",
                "prompt+completion", "--no-semantic", "--no-syntax", "--json");
        assertEquals(0, full.code(), full.err());
        assertEquals(samples, Json.parse(full.out()).get("panel.input_texts").asInt());
        MetricsCommandTest.Run completion = MetricsCommandTest.run("--input", synthetic.toString(), "--text-field",
                "completion", "--no-semantic", "--no-syntax", "--json");
        assertEquals(0, completion.code(), completion.err());
        assertTrue(Json.parse(completion.out()).get("lexical.tokens").asInt()
                < Json.parse(full.out()).get("lexical.tokens").asInt(), "the completions alone are shorter");
        MetricsCommandTest.Run noText = MetricsCommandTest.run("--input", synthetic.toString(), "--no-semantic");
        assertEquals(1, noText.code());
        assertTrue(noText.err().contains("synthetic.jsonl:1: no field 'text'; the record's fields: prompt,"
                + " completion, new_tokens, prompt_provenance, provenance (choose with --text-field"), noText.err());
        MetricsCommandTest.Run both = MetricsCommandTest.run("--input", synthetic.toString(), "--like-run",
                run.toString(), "--sample-size", "4");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("leave out --sample-size"), both.err());
    }

    private static java.util.Set<String> keys(JsonNode o) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
