package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {

    @Test
    void everyPresetRoundTripsThroughItsJson(@TempDir Path dir) throws IOException {
        for (String name : new String[] {"smoke", "default", "full"}) {
            ExperimentConfig c = ExperimentConfig.preset(name);
            Path f = dir.resolve(name + ".json");
            Files.writeString(f, c.toJson());
            assertEquals(c, ExperimentConfig.read(f));
            assertEquals(c.toJson(), ExperimentConfig.read(f).toJson());
        }
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.preset("huge"));
    }

    @Test
    void theShippedOwnCorpusExampleIsValid() throws IOException {
        // written before the settings of OPTIONAL_FIELDS existed: it reads, with their defaults
        ExperimentConfig c = ExperimentConfig.read(Path.of("..", "examples", "configs", "own-corpus.json"));
        assertEquals(ExperimentConfig.Miner.DEFAULTS, c.miner());
        assertEquals("checkpoints/my-student", c.models().student());
        assertEquals("data/tasks", c.data().tasks());
    }

    private static IOException readError(Path dir, String json) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        return assertThrows(IOException.class, () -> ExperimentConfig.read(f));
    }

    @Test
    void badFilesAreRefusedNamingTheFieldAndTheFile(@TempDir Path dir) throws IOException {
        String good = ExperimentConfig.preset("smoke").toJson();
        IOException unknown = readError(dir, good.replace("\"iterations\"", "\"iteratoins\""));
        assertTrue(unknown.getMessage().contains("bad.json") && unknown.getMessage().contains("iteratoins"),
                unknown.getMessage());
        IOException nested = readError(dir, good.replace("\"topK\"", "\"top_k\""));
        assertTrue(nested.getMessage().contains("top_k") && nested.getMessage().contains("sampling"),
                nested.getMessage());
        IOException impossible = readError(dir, good.replace("\"tokenBudget\" : 1024", "\"tokenBudget\" : 0"));
        assertTrue(impossible.getMessage().contains("tokenBudget"), impossible.getMessage());
        IOException strategy = readError(dir, good.replace("\"real-mixing\"", "\"Real Mixing\""));
        assertTrue(strategy.getMessage().contains("Real Mixing"), strategy.getMessage());
        // a well-formed name is the registry's question: refused when the runner is built, naming the known ones
        Path misspelt = dir.resolve("misspelt.json");
        Files.writeString(misspelt, good.replace("\"real-mixing\"", "\"real-mixin\""));
        IllegalArgumentException unknown2 = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRunner.builder(ExperimentConfig.read(misspelt)).build());
        assertTrue(unknown2.getMessage().contains("real-mixin") && unknown2.getMessage().contains("real-mixing"),
                unknown2.getMessage());
        IOException syntax = readError(dir, "{\n  \"iterations\": ,\n}");
        assertTrue(syntax.getMessage().contains("line 2"), syntax.getMessage());
        IOException missing = readError(dir, "{\"iterations\": 3}");
        assertTrue(missing.getMessage().contains("bad.json"), missing.getMessage());
    }

    @Test
    void settingsAddedLaterMayBeLeftOutAndTakeTheValuesTheHarnessAlwaysUsed(@TempDir Path dir) throws IOException {
        ExperimentConfig smoke = ExperimentConfig.preset("smoke");
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.symbiosis.core.loop.Json.parse(smoke.toJson());
        for (String f : List.of("accumulateSample", "measureReferenceTexts", "evaluator", "miner", "parallelism")) {
            tree.remove(f);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("student")).remove(List.of("warmupSteps",
                "weightDecay", "gradientClip", "loraDropout"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("prompting")).remove(List.of("topics",
                "topicTemplates", "contextChars"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("prompting")).put("style", "instruction");
        Path f = dir.resolve("old.json");
        Files.writeString(f, tree.toString());
        ExperimentConfig c = ExperimentConfig.read(f);
        assertEquals(400, c.accumulateSample());
        assertEquals(ExperimentConfig.Evaluator.DEFAULTS, c.evaluator());
        assertEquals(ExperimentConfig.Miner.DEFAULTS, c.miner());
        assertEquals(2, c.student().warmupSteps());
        assertEquals(0.01, c.student().weightDecay(), 0.0);
        assertEquals(1.0, c.student().gradientClip(), 0.0);
        assertEquals(160, c.prompting().contextChars());
        assertEquals(0, c.parallelism());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.unitsAtOnce());
        // the style's own templates, not the default preset's
        assertEquals(List.of(dev.symbiosis.core.curriculum.TemplateCurriculum.PROPOSAL_TOPIC_TEMPLATE),
                c.prompting().topicTemplates());
        assertTrue(c.toJson().contains("\"weightDecay\" : 0.01"), "the stored configuration names the defaults");
        // the configuration's miner is the one the harness always built, and describes itself
        assertEquals(dev.symbiosis.core.feedback.UncertaintyFeedbackMiner.builder().optTopK(4).build().settings(),
                smoke.feedbackMiner().settings());
        assertEquals(dev.symbiosis.core.curriculum.TemplateCurriculum.create().settings(),
                smoke.curriculum().settings());
        // a field of the first format is still required
        tree.remove("poolSample");
        Files.writeString(f, tree.toString());
        IOException e = assertThrows(IOException.class, () -> ExperimentConfig.read(f));
        assertTrue(e.getMessage().contains("poolSample"), e.getMessage());
    }

    @Test
    void parallelismIsValidatedAndLeftOutOfTheRecordSettings() {
        ExperimentConfig two = ExperimentConfig.builder("smoke").optParallelism(2).build();
        assertEquals(2, two.unitsAtOnce());
        assertTrue(two.toJson().contains("\"parallelism\" : 2"), two.toJson());
        assertEquals(ExperimentConfig.preset("smoke").recordSettings(), two.recordSettings(),
                "a run folder's fingerprint does not depend on the parallelism");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.builder("smoke").optParallelism(-1).build());
        assertTrue(e.getMessage().contains("parallelism"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ExperimentRunner.builder(ExperimentConfig.preset("smoke")).optParallelism(0));
    }

    @Test
    void promptingAndEngineSettingsReachTheCurriculumAndAreValidated(@TempDir Path dir) throws IOException {
        String good = ExperimentConfig.preset("smoke").toJson();
        assertEquals(dev.symbiosis.core.curriculum.TemplateCurriculum.Style.PREFIX,
                ExperimentConfig.preset("smoke").curriculum().style());
        Path f = dir.resolve("instruction.json");
        Files.writeString(f, good.replace("\"style\" : \"prefix\"", "\"style\" : \"instruction\"")
                .replace("\"nearDuplicateThreshold\" : null", "\"nearDuplicateThreshold\" : 0.7")
                .replaceFirst("\"contextLength\" : 0", "\"contextLength\" : 64"));
        ExperimentConfig c = ExperimentConfig.read(f);
        assertEquals(dev.symbiosis.core.curriculum.TemplateCurriculum.Style.INSTRUCTION, c.curriculum().style());
        assertEquals(0.7, c.curriculum().nearDuplicateThreshold(), 0.0);
        assertTrue(c.curriculum().nearDuplicateFilter(1).isPresent());
        assertEquals(64, c.student().contextLength() + c.generator().contextLength());

        IOException style = readError(dir, good.replace("\"style\" : \"prefix\"", "\"style\" : \"chat\""));
        assertTrue(style.getMessage().contains("prompting.style"), style.getMessage());
        IOException threshold = readError(dir,
                good.replace("\"nearDuplicateThreshold\" : null", "\"nearDuplicateThreshold\" : 1.5"));
        assertTrue(threshold.getMessage().contains("nearDuplicateThreshold"), threshold.getMessage());
        IOException context = readError(dir, good.replaceFirst("\"contextLength\" : 0", "\"contextLength\" : 1"));
        assertTrue(context.getMessage().contains("contextLength"), context.getMessage());
        IOException rows = readError(dir, good.replaceFirst("\"generationRows\" : 0", "\"generationRows\" : -2"));
        assertTrue(rows.getMessage().contains("generationRows"), rows.getMessage());
    }
}
