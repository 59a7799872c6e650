package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a user sees of a configuration error: one line naming the file, the key and the fix; a trace on request. */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = SymbiosisCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            code = cl.execute(args);
        } finally {
            System.setOut(stdout);
        }
        return new Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void aBadConfigurationIsOneLineNamingFileKeyAndFix() throws Exception {
        Path f = dir.resolve("own.json");
        Files.writeString(f, "{\n  \"iterations\": 2,\n  \"tokenBudjet\": 512\n}\n");
        Run r = run("experiment", "--config", f.toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.code());
        assertEquals("symbiosis experiment: " + f + ": unknown key 'tokenBudjet' (did you mean 'tokenBudget'?);"
                + " known keys: preset, iterations, seed, seeds, tokenBudget, generationBatch, sampling, poolSample,"
                + " hardExamples, teachingShare, patience, minDelta, strategies, models, data, evalItemsPerTask,"
                + " heldOutDocsPerDomain, measureSample, semanticMetrics, student, generator, prompting,"
                + " accumulateSample, measureReferenceTexts, evaluator, miner, parallelism (--stacktrace for details)",
                r.err().strip());
        // asked for, the trace is there
        Run traced = run("experiment", "--config", f.toString(), "--stacktrace");
        assertEquals(1, traced.code());
        assertTrue(traced.err().contains("java.io.IOException: " + f + ": unknown key")
                && traced.err().contains("\tat dev.symbiosis.experiment.ExperimentConfig.read"), traced.err());
    }

    @Test
    void aMissingDataFileIsNamedWithItsKeyBeforeAnyWork() throws Exception {
        Path f = Files.createDirectories(dir.resolve("configs")).resolve("run.json");
        Files.writeString(f, "{\"data\": {\"pool\": \"../corpus/pool.jsonl\"}}");
        Run r = run("experiment", "--config", f.toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.code());
        String pool = dir.resolve("corpus/pool.jsonl").toAbsolutePath().normalize().toString();
        assertEquals("symbiosis experiment: " + f + ": data.pool: " + pool + ": no such file or folder (relative"
                + " paths resolve against the configuration file's folder) (--stacktrace for details)",
                r.err().strip());
        assertTrue(!Files.exists(dir.resolve("run")), "nothing written");

        // --print-config shows the resolved paths and the defaults of the keys left out
        Run printed = run("experiment", "--config", f.toString(), "--print-config");
        assertEquals(0, printed.code(), printed.err());
        JsonNode c = new ObjectMapper().readTree(printed.out());
        assertEquals(pool, c.at("/data/pool").asText());
        assertEquals("run", c.get("preset").asText());
        assertEquals(5, c.get("iterations").asInt());
    }
}
