package dev.symbiosis.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.cli.SymbiosisCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code bench memory} runs end to end at a tiny size and prints its JSON (the figures are in reliability.md). */
class MemoryBenchSmokeTest {

    @Test
    void printsResidentMemoryPerRoundAsJson() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = SymbiosisCli.commandLine().execute("bench", "memory", "--steps", "2", "--batches", "2",
                    "--rounds", "2", "--batch-size", "2", "--max-new-tokens", "4");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        JsonNode out = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
        assertTrue(out.path("training_steps").asInt() >= 2, out.toString());
        assertEquals(2, out.path("generation_batches").asInt());
        assertEquals(5, out.path("samples").size(), "before and after load, two rounds, after close");
        for (JsonNode s : out.path("samples")) {
            assertTrue(s.path("rss_mib").asDouble() > 0, s.toString());
        }
    }
}
