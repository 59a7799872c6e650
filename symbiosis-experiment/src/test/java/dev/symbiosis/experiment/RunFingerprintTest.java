package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder written before some configuration keys existed resumes; any other difference is refused. */
class RunFingerprintTest {

    private static String fingerprint(ExperimentConfig c) throws IOException {
        ObjectNode o = Json.object();
        o.set("experiment", c.toTree());
        o.put("runSeed", 42);
        return Json.prettyWriter().writeValueAsString(o) + "\n";
    }

    @Test
    void keysAddedLaterAtTheirDefaultAreAddedToAnOldRunFolder(@TempDir Path dir) throws IOException {
        ExperimentConfig smoke = ExperimentConfig.preset("smoke");
        String now = fingerprint(smoke);
        ObjectNode old = (ObjectNode) Json.parse(now);
        ((ObjectNode) old.at("/experiment/evaluator")).remove(List.of("multipleChoice", "generative", "skipTasks"));
        ((ObjectNode) old.at("/experiment/prompting")).remove("topicsFromSeed");
        Files.writeString(dir.resolve(RunFingerprint.FILE), Json.prettyWriter().writeValueAsString(old) + "\n");
        RunFingerprint.check(dir, now);
        assertEquals(now, Files.readString(dir.resolve(RunFingerprint.FILE)), "rewritten with the new keys");

        // a new key at another value than the default is a difference
        Files.writeString(dir.resolve(RunFingerprint.FILE), Json.prettyWriter().writeValueAsString(old) + "\n");
        String other = fingerprint(smoke.toBuilder().optEvaluator(new ExperimentConfig.Evaluator(16, 24, 8, true,
                false, List.of())).build());
        IOException e = assertThrows(IOException.class, () -> RunFingerprint.check(dir, other));
        assertTrue(e.getMessage().contains("experiment.evaluator.generative: (absent) -> false"), e.getMessage());
        // and so is a changed value of an old key
        String budget = fingerprint(smoke.toBuilder().optTokenBudget(2048).build());
        IOException b = assertThrows(IOException.class, () -> RunFingerprint.check(dir, budget));
        assertTrue(b.getMessage().contains("experiment.tokenBudget: 1024 -> 2048"), b.getMessage());
    }

    private static String withModels(ExperimentConfig c, String studentSha) throws IOException {
        ObjectNode o = Json.object();
        o.putObject("components").putObject(RunFingerprint.MODELS).putObject("student").put("sha256", studentSha);
        o.set("experiment", c.toTree());
        o.put("runSeed", 42);
        return Json.prettyWriter().writeValueAsString(o) + "\n";
    }

    @Test
    void aFolderWithoutCheckpointHashesTakesTheCurrentOnesAndThenRefusesOtherWeights(@TempDir Path dir)
            throws IOException {
        ExperimentConfig smoke = ExperimentConfig.preset("smoke");
        ObjectNode old = (ObjectNode) Json.parse(withModels(smoke, "aa"));
        ((ObjectNode) old.get("components")).remove(RunFingerprint.MODELS);
        Files.writeString(dir.resolve(RunFingerprint.FILE), Json.prettyWriter().writeValueAsString(old) + "\n");
        RunFingerprint.check(dir, withModels(smoke, "aa"));
        assertEquals(withModels(smoke, "aa"), Files.readString(dir.resolve(RunFingerprint.FILE)),
                "the hashes of the models it resumes on are recorded");
        // the same path with other weights (e.g. a pair pretrained again on another machine) is refused
        IOException e = assertThrows(IOException.class, () -> RunFingerprint.check(dir, withModels(smoke, "bb")));
        assertTrue(e.getMessage().contains("components.models.student.sha256: \"aa\" -> \"bb\""), e.getMessage());
        // and the upgrade does not excuse another difference beside it
        Files.writeString(dir.resolve(RunFingerprint.FILE), Json.prettyWriter().writeValueAsString(old) + "\n");
        String budget = withModels(smoke.toBuilder().optTokenBudget(2048).build(), "aa");
        IOException b = assertThrows(IOException.class, () -> RunFingerprint.check(dir, budget));
        assertTrue(b.getMessage().contains("experiment.tokenBudget: 1024 -> 2048"), b.getMessage());
    }
}
