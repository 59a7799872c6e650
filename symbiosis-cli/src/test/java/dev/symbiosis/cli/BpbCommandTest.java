package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.assets.EmbeddedAssets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bpb command on the embedded Student and a two-domain corpus. */
class BpbCommandTest {

    private static MetricsCommandTest.Run run(String... args) {
        CommandLine cl = new CommandLine(new BpbCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new MetricsCommandTest.Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void macroIsTheMeanOfTheDomainsAndPerDomainSamples(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("two.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append("{\"id\": \"p-").append(i).append("\", \"source\": \"prose\", \"text\": \"It is a truth")
                    .append(" universally acknowledged that a single man ").append(i).append(" wants a wife.\"}\n");
        }
        sb.append("{\"id\": \"n-0\", \"source\": \"noise\", \"text\": \"qx7 zzv 9#k wq pl0 xj vv qz\"}\n");
        Files.writeString(data, sb.toString());
        String model = EmbeddedAssets.open().model("student-0").toString();

        MetricsCommandTest.Run all = run("--model", model, "--data", data.toString());
        assertEquals(0, all.code(), all.err());
        JsonNode o = new ObjectMapper().readTree(all.out());
        assertEquals(4, o.get("documents").asInt());
        double prose = o.get("bpb.prose").asDouble();
        double noise = o.get("bpb.noise").asDouble();
        assertTrue(prose < noise, "English prose is cheaper than noise: " + prose + " vs " + noise);
        assertEquals((prose + noise) / 2, o.get("bpb.macro").asDouble(), 1e-9);

        MetricsCommandTest.Run one = run("--model", model, "--data", data.toString(), "--per-domain", "1");
        assertEquals(0, one.code(), one.err());
        assertEquals(2, new ObjectMapper().readTree(one.out()).get("documents").asInt());

        MetricsCommandTest.Run missing = run("--model", model, "--data", dir.resolve("none.jsonl").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("none.jsonl"), missing.err());
    }
}
