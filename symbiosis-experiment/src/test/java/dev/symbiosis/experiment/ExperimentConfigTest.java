package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.symbiosis.core.loop.Json;
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
        // written before the miner and evaluator settings existed: it reads, with their defaults; its relative
        // paths resolve against its own folder
        Path file = Path.of("..", "examples", "configs", "own-corpus.json");
        ExperimentConfig c = ExperimentConfig.read(file);
        assertEquals(ExperimentConfig.Miner.DEFAULTS, c.miner());
        Path folder = file.toAbsolutePath().getParent().normalize();
        assertEquals(folder.resolve("checkpoints/my-student").toString(), c.models().student());
        assertEquals(folder.resolve("data/tasks").toString(), c.data().tasks());
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
        IOException tooMany = readError(dir, "{\"iterations\": 3, \"hardExamples\": 500}");
        assertTrue(tooMany.getMessage().contains("bad.json") && tooMany.getMessage().contains("hardExamples (500)"
                + " must be <= poolSample (96)"), tooMany.getMessage());
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
        // an absent key takes the default preset's value (runs that predate the key had no minimal pairs at all)
        assertEquals(ExperimentConfig.Evaluator.DEFAULTS.withMinimalPairsPerKind(
                ExperimentConfig.DEFAULT_MINIMAL_PAIRS_PER_KIND).withTasksEvery(5), c.evaluator());
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
        // a field of the first format may be left out too: the default preset's value
        tree.remove("poolSample");
        Files.writeString(f, tree.toString());
        assertEquals(ExperimentConfig.preset("default").poolSample(), ExperimentConfig.read(f).poolSample());
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
    void everyKeyMayBeLeftOutAndTakesTheDefaultPresetsValue(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("my-run.json");
        Files.writeString(empty, "{}");
        ExperimentConfig c = ExperimentConfig.read(empty);
        assertEquals(ExperimentConfig.preset("default").toBuilder().optPreset("my-run").build(), c,
                "the default preset, named after the file");
        Path part = dir.resolve("part.json");
        Files.writeString(part, "{\"iterations\": 1, \"sampling\": {\"temperature\": 0.7},"
                + " \"student\": {\"epochs\": 1}, \"evaluator\": {\"generative\": false}}");
        ExperimentConfig p = ExperimentConfig.read(part);
        ExperimentConfig d = ExperimentConfig.preset("default");
        assertEquals(1, p.iterations());
        assertEquals(new ExperimentConfig.Sampling(0.7, d.sampling().topK(), d.sampling().topP(),
                d.sampling().repetitionPenalty(), d.sampling().maxNewTokens()), p.sampling());
        assertEquals(1, p.student().epochs());
        assertEquals(d.student().learningRate(), p.student().learningRate(), 0.0);
        assertEquals(d.generator(), p.generator());
        assertEquals(new ExperimentConfig.Evaluator(16, 24, 8, true, false, List.of())
                .withMinimalPairsPerKind(ExperimentConfig.DEFAULT_MINIMAL_PAIRS_PER_KIND).withTasksEvery(5), p.evaluator());
        assertEquals(d.prompting(), p.prompting());
        assertEquals("part", p.preset());
        assertEquals("my-run", ExperimentConfig.presetName(Path.of("my-run.json")));
        assertEquals("a-b", ExperimentConfig.presetName(Path.of("a b.c.json")), "a simple name: it names runs/<preset>");
    }

    @Test
    void unknownKeysAreRefusedNamingTheKeyAndTheKnownOnesOnOneLine(@TempDir Path dir) throws IOException {
        IOException top = readError(dir, "{\"iteratoins\": 3}");
        String m = top.getMessage();
        assertTrue(m.contains("bad.json") && m.contains("unknown key 'iteratoins'") && m.contains("did you mean"
                + " 'iterations'?") && m.contains("known keys: preset, iterations, seed"), m);
        IOException nested = readError(dir, "{\"evaluator\": {\"generativ\": false}}");
        assertTrue(nested.getMessage().contains("unknown key 'evaluator.generativ'") && nested.getMessage()
                .contains("known keys of 'evaluator': batchSize, generativeItemsPerTask"), nested.getMessage());
        IOException far = readError(dir, "{\"colour\": \"red\"}");
        assertTrue(!far.getMessage().contains("did you mean"), far.getMessage());
        IOException type = readError(dir, "{\"iterations\": \"three\"}");
        assertEquals(dir.resolve("bad.json") + ": 'iterations' must be a whole number, got \"three\"",
                type.getMessage());
        IOException bool = readError(dir, "{\"evaluator\": {\"generative\": \"no\"}}");
        assertTrue(bool.getMessage().contains("'evaluator.generative' must be true or false"), bool.getMessage());
        IOException array = readError(dir, "[1, 2]");
        assertTrue(array.getMessage().contains("one JSON object"), array.getMessage());
        IOException none = assertThrows(IOException.class, () -> ExperimentConfig.read(dir.resolve("nope.json")));
        assertTrue(none.getMessage().contains("nope.json: no such configuration file"), none.getMessage());
        for (IOException e : List.of(top, nested, far, type, bool, array, none)) {
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void relativePathsResolveAgainstTheConfigurationFilesFolder(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("project/configs"));
        Path f = sub.resolve("run.json");
        Path absolute = dir.resolve("elsewhere/fidelity.txt").toAbsolutePath();
        Files.writeString(f, "{\"data\": {\"pool\": \"../corpus/pool.jsonl\", \"fidelity\": "
                + Json.writer().writeValueAsString(absolute.toString()) + "},"
                + " \"models\": {\"student\": \"student-0\"}}");
        ExperimentConfig c = ExperimentConfig.read(f);
        Path base = sub.toAbsolutePath();
        assertEquals(base.resolve("../corpus/pool.jsonl").normalize().toString(), c.data().pool());
        assertEquals(absolute.toString(), c.data().fidelity(), "absolute paths stay");
        assertEquals(base.resolve("student-0").toString(), c.models().student());
        assertEquals(null, c.data().seed(), "a path left out is the embedded split");
        assertEquals(List.of("models.student: " + base.resolve("student-0"), "data.pool: "
                + base.resolve("../corpus/pool.jsonl").normalize(), "data.fidelity: " + absolute),
                c.missingPaths());
        Files.createDirectories(dir.resolve("project/corpus"));
        Files.writeString(dir.resolve("project/corpus/pool.jsonl"), "{\"text\": \"x\"}\n");
        assertEquals(2, c.missingPaths().size());
        // the stored configuration names the resolved paths, and reads back to the same configuration
        Path stored = dir.resolve("stored.json");
        Files.writeString(stored, c.toJson());
        assertEquals(c.data(), ExperimentConfig.read(stored).data());
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
