package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        ExperimentConfig c = ExperimentConfig.read(Path.of("configs/own-corpus.json"));
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
        IOException strategy = readError(dir, good.replace("\"real-mixing\"", "\"real-mixin\""));
        assertTrue(strategy.getMessage().contains("real-mixin"), strategy.getMessage());
        IOException syntax = readError(dir, "{\n  \"iterations\": ,\n}");
        assertTrue(syntax.getMessage().contains("line 2"), syntax.getMessage());
        IOException missing = readError(dir, "{\"iterations\": 3}");
        assertTrue(missing.getMessage().contains("bad.json"), missing.getMessage());
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
