package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment --seeds 2} on a tiny configuration with the real embedded models: one run folder per seed,
 * strategies paired within a seed (same Student 0, same evaluation items) and seeds paired on the items, the
 * aggregate computed from the seed folders (means and paired differences checked against the records by hand),
 * and an interrupted multi-seed run resumes without redoing a finished seed.
 */
class ExperimentSeedsTest {

    private static ExperimentConfig config() {
        return ExperimentConfig.builder("smoke").optPreset("seeds").optIterations(1).optSeeds(2).optTokenBudget(512)
                .optEarlyStopping(0, 0.0).optStrategies(List.of("symbiosis", "recursive-replace"))
                .optEvalItemsPerTask(4).optHeldOutDocsPerDomain(2).optMeasure(16, false).build();
    }

    private static List<IterationRecord> run(Path out, ExperimentRunner.ModelLoader loader) throws IOException {
        return ExperimentRunner.builder(config()).optOutput(out).optModelLoader(loader).optNoMeasure().build().run()
                .records();
    }

    private static double figure(List<IterationRecord> records, String strategy, int t, String name) {
        return records.stream().filter(r -> r.strategy().equals(strategy) && r.iteration() == t).findFirst()
                .orElseThrow().evaluation().get(name);
    }

    @Test
    void twoSeedsArePairedAggregatedAndResumable(@TempDir Path out) throws IOException {
        List<IterationRecord> all = run(out, DefaultComponents::loadModel);
        assertEquals(2 * 2 * 2, all.size(), "2 seeds x 2 strategies x (iteration 0 and 1)");
        Path s42 = out.resolve("seed-42");
        Path s43 = out.resolve("seed-43");
        JsonNode cfg = Json.reader().readTree(Files.readAllBytes(s43.resolve("run-config.json")));
        assertEquals(43, cfg.get("runSeed").asLong());
        assertEquals(1, cfg.get("experiment").get("seeds").asInt());
        assertEquals(42, Json.reader().readTree(Files.readAllBytes(s43.resolve("provenance.json"))).get("seed").asLong() - 1);

        // pairing: Student 0 on the same items in both strategies and both seeds gives identical per-item files
        String items0 = Files.readString(s42.resolve("symbiosis/iter-0/items.jsonl"));
        assertTrue(items0.contains("\"kind\":\"bpb\"") && items0.contains("\"kind\":\"mc\""));
        assertEquals(items0, Files.readString(s42.resolve("recursive-replace/iter-0/items.jsonl")));
        assertEquals(items0, Files.readString(s43.resolve("symbiosis/iter-0/items.jsonl")));
        // the seed matters after training
        assertNotEquals(Files.readString(s42.resolve("symbiosis/iter-1/items.jsonl")),
                Files.readString(s43.resolve("symbiosis/iter-1/items.jsonl")));

        // aggregation by hand from the seed folders' records
        List<IterationRecord> r42 = all.subList(0, 4);
        List<IterationRecord> r43 = all.subList(4, 8);
        JsonNode stats = Json.reader().readTree(Files.readAllBytes(out.resolve("stats.json")));
        double expectedMean = (figure(r42, "symbiosis", 1, "bpb.macro") + figure(r43, "symbiosis", 1, "bpb.macro"))
                / 2;
        JsonNode summary = find(stats.get("figures"), "figure", "bpb.macro", "strategy", "symbiosis", 1);
        assertEquals(expectedMean, summary.get("mean").asDouble(), 1e-12);
        assertEquals(2, summary.get("seeds").asInt());
        assertTrue(summary.get("lower95").asDouble() < expectedMean && summary.get("upper95").asDouble()
                > expectedMean);
        for (String fig : new String[] {"bpb.macro", "mc.acc.macro"}) {
            double expectedDiff = 0;
            for (List<IterationRecord> r : List.of(r42, r43)) {
                expectedDiff += (figure(r, "symbiosis", 1, fig) - figure(r, "recursive-replace", 1, fig)) / 2;
            }
            JsonNode paired = find(stats.get("paired"), "figure", fig, "a", "symbiosis", 1);
            assertEquals("recursive-replace", paired.get("b").asText());
            assertEquals(expectedDiff, paired.get("meanDifference").asDouble(), 1e-9, fig);
            assertEquals(2, paired.get("seeds").asInt());
            assertTrue(paired.get("last").asBoolean());
        }
        assertEquals(0, stats.get("warnings").size(), stats.get("warnings").toString());
        assertTrue(Files.exists(out.resolve("report.html")) && Files.exists(out.resolve("stats-paired.csv")));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Paired tests at the final iteration"));
        assertTrue(Files.exists(s42.resolve("report.html")));

        // an interrupted run (seed 43 lost its last iteration and the aggregate is gone) resumes: seed 42 is not
        // touched, seed 43 redoes only what is missing, and the aggregate comes back identical
        String statsBefore = Files.readString(out.resolve("stats.json"));
        String results43 = Files.readString(s43.resolve("results.jsonl"));
        List<String> lines = Files.readAllLines(s43.resolve("results.jsonl"));
        AtomicFiles.writeLines(s43.resolve("results.jsonl"), lines.subList(0, lines.size() - 1));
        Files.delete(out.resolve("stats.json"));
        // seed 43 alone (as a second process would run it): no aggregate yet
        ExperimentRunner.builder(config()).optOutput(out).optNoMeasure().optModelLoader((p, t, seed) -> {
            if (seed != 43) {
                throw new AssertionError("--only-seed 43 must not load models of seed " + seed);
            }
            return DefaultComponents.loadModel(p, t, seed);
        }).optOnlySeeds(List.of(43L)).build().run();
        assertEquals(results43, Files.readString(s43.resolve("results.jsonl")));
        assertFalse(Files.exists(out.resolve("stats.json")));
        assertThrows(IllegalArgumentException.class, () -> ExperimentRunner.builder(config()).optOutput(out)
                .optOnlySeeds(List.of(7L)).build());
        // every seed complete: the aggregate comes back identical without loading any model
        run(out, (p, t, seed) -> {
            throw new AssertionError("a complete run must not load models again");
        });
        assertEquals(statsBefore, Files.readString(out.resolve("stats.json")));
        // the report alone, from the folders as they are, gives the same statistics
        Files.delete(out.resolve("stats.json"));
        ExperimentRunner.builder(config()).optOutput(out).optNoMeasure().optModelLoader((p, t, seed) -> {
            throw new AssertionError("--report-only must not load models");
        }).optReportOnly(true).build().run();
        assertEquals(statsBefore, Files.readString(out.resolve("stats.json")));

        // a one-seed run folder is not reused for a multi-seed run
        Path single = out.resolve("seed-42");
        IOException e = assertThrows(IOException.class, () -> run(single, DefaultComponents::loadModel));
        assertTrue(e.getMessage().contains("one-seed run"), e.getMessage());
        assertFalse(Files.exists(single.resolve("seed-42")));

        // the seed folders record the content of the checkpoints they ran on; the same path with other weights
        // (a pair pretrained again on another machine; here the record altered instead of the embedded model) is
        // refused before any model is loaded, naming the role, and nothing written is lost
        assertEquals(CheckpointFingerprint.of(dev.symbiosis.assets.EmbeddedAssets.open().model("student-0")),
                cfg.at("/components/models/student/sha256").asText());
        assertEquals(CheckpointFingerprint.of(dev.symbiosis.assets.EmbeddedAssets.open().model("generator-0")),
                cfg.at("/components/models/generator/sha256").asText());
        String recorded = Files.readString(s43.resolve("run-config.json"));
        String sha = cfg.at("/components/models/student/sha256").asText();
        Files.writeString(s43.resolve("run-config.json"), recorded.replace(sha, "0".repeat(64)));
        String results = Files.readString(s43.resolve("results.jsonl"));
        IOException other = assertThrows(IOException.class, () -> run(out, (p, t, seed) -> {
            throw new AssertionError("a refused run must not load models");
        }));
        assertTrue(other.getMessage().contains("components.models.student.sha256"), other.getMessage());
        assertEquals(results, Files.readString(s43.resolve("results.jsonl")));
    }

    private static JsonNode find(JsonNode array, String k1, String v1, String k2, String v2, int iteration) {
        for (JsonNode n : array) {
            if (n.get(k1).asText().equals(v1) && n.get(k2).asText().equals(v2)
                    && n.get("iteration").asInt() == iteration) {
                return n;
            }
        }
        throw new AssertionError("no " + k1 + "=" + v1 + ", " + k2 + "=" + v2 + ", iteration " + iteration);
    }
}
