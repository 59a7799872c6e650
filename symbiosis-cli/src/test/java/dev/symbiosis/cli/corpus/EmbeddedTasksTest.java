package dev.symbiosis.cli.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.assets.EmbeddedAssets;
import dev.symbiosis.cli.SymbiosisCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's minimal-pair and entity-cloze tasks are {@code build-tasks}' output on the bundle's
 * held-out eval and fidelity splits with the defaults: rebuilt here and compared byte for byte, so the committed
 * files can always be reproduced and never drift from the builders.
 */
class EmbeddedTasksTest {

    @Test
    void theEmbeddedHeldOutTasksAreBuildTasksOutputOnTheBundle(@TempDir Path tmp) throws IOException {
        EmbeddedAssets assets = EmbeddedAssets.open();
        Path out = tmp.resolve("tasks");
        int code = SymbiosisCli.commandLine().execute("build-tasks", "--from", assets.split("eval").toString(),
                assets.split("fidelity").toString(), "--out", out.toString());
        assertEquals(0, code);
        List<String> built;
        try (Stream<Path> files = Files.list(out)) {
            built = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).sorted().toList();
        }
        assertEquals(List.of("entity-cloze.jsonl", "minimal-pairs-a-an.jsonl", "minimal-pairs-adjacent-swap.jsonl",
                "minimal-pairs-is-are.jsonl", "minimal-pairs-this-these.jsonl", "minimal-pairs-was-were.jsonl"), built);
        List<String> embedded = assets.taskNames();
        for (String f : built) {
            String task = f.substring(0, f.length() - ".jsonl".length());
            assertTrue(embedded.contains(task), task + " is listed in tasks/INDEX");
            assertEquals(Files.readString(out.resolve(f)), Files.readString(assets.tasks().resolve(f)), f);
        }
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("TASKS.json").toFile());
        int pairs = 0;
        for (var it = manifest.get("items").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().startsWith("minimal-pairs-")) {
                pairs += e.getValue().asInt();
            }
        }
        assertTrue(pairs >= 1000, "the default evaluates at least 1,000 pairs: " + pairs);
        assertEquals(0, manifest.get("minimalPairsDropped").size());
    }

    @Test
    void aFolderOfOtherFilesAndBadInputAreRefused(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("o"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        EmbeddedAssets assets = EmbeddedAssets.open();
        assertEquals(2, SymbiosisCli.commandLine().execute("build-tasks", "--from",
                assets.split("eval").toString(), "--out", out.toString()));
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "nothing written over");
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"text\": \"fine\", \"source\": \"a\"}\n{not json\n");
        assertEquals(1, SymbiosisCli.commandLine().execute("build-tasks", "--from", bad.toString(), "--out",
                tmp.resolve("p").toString()));
    }
}
