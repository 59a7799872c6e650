package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint identity a run folder records: the files that decide the model, and only those. */
class CheckpointFingerprintTest {

    private static Path checkpoint(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"n_embd\": 8}");
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3, 4});
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.write(dir.resolve("optimizer.safetensors"), new byte[] {9});
        Files.writeString(dir.resolve("training-log.jsonl"), "{\"step\": 1}\n");
        Files.writeString(dir.resolve("pretrain_state.json"), "{\"step\": 1}");
        return dir;
    }

    @Test
    void theHashIsTheSha256OfTheManifestOfTheDefiningFiles(@TempDir Path tmp) throws Exception {
        Path c = checkpoint(tmp.resolve("c"));
        Files.createDirectories(c.resolve("sub"));
        Files.write(c.resolve("sub/model.safetensors"), new byte[] {5}); // not top level: not part of the model
        // independent reference: the documented construction (a checkpoint manifest's lines, "<sha256>  <name>",
        // names sorted) spelled out by hand
        StringBuilder manifest = new StringBuilder();
        for (String name : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            manifest.append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    Files.readAllBytes(c.resolve(name))))).append("  ").append(name).append('\n');
        }
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest.toString()
                .getBytes(StandardCharsets.UTF_8))), CheckpointFingerprint.of(c));
    }

    @Test
    void weightsConfigAndTokenizerCountTheOptimizerLogAndStateDoNot(@TempDir Path tmp) throws IOException {
        String base = CheckpointFingerprint.of(checkpoint(tmp.resolve("a")));
        assertEquals(base, CheckpointFingerprint.of(checkpoint(tmp.resolve("b"))), "the same files, another path");

        Path c = checkpoint(tmp.resolve("c"));
        Files.write(c.resolve("optimizer.safetensors"), new byte[] {7, 7});
        Files.delete(c.resolve("training-log.jsonl"));
        Files.writeString(c.resolve("pretrain_state.json"), "{\"step\": 2}");
        assertEquals(base, CheckpointFingerprint.of(c), "optimizer moments, log and state do not change the model");

        for (String name : new String[] {"model.safetensors", "config.json", "tokenizer.json"}) {
            Path d = checkpoint(tmp.resolve("d-" + name));
            byte[] bytes = Files.readAllBytes(d.resolve(name));
            bytes[bytes.length - 1] ^= 1;
            Files.write(d.resolve(name), bytes);
            assertNotEquals(base, CheckpointFingerprint.of(d), name + " changed by one bit");
        }
        Path e = checkpoint(tmp.resolve("e"));
        Files.writeString(e.resolve("generation_config.json"), "{\"eos_token_id\": 0}");
        assertNotEquals(base, CheckpointFingerprint.of(e), "a generation config added");
    }

    @Test
    void aMissingOrEmptyFolderIsRefusedNamingIt(@TempDir Path tmp) throws IOException {
        Path missing = tmp.resolve("missing");
        assertTrue(assertThrows(IOException.class, () -> CheckpointFingerprint.of(missing)).getMessage()
                .startsWith(missing.toString()));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "no model here");
        assertTrue(assertThrows(IOException.class, () -> CheckpointFingerprint.of(empty)).getMessage()
                .startsWith(empty.toString()));
    }
}
