package dev.symbiosis.experiment;

import dev.symbiosis.core.loop.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The content identity of a checkpoint folder, as a run folder records it: {@link RunStore#contentId(Path,
 * java.util.function.Predicate)} (the SHA-256 of the sorted manifest of file names and their SHA-256) over the files
 * that decide what the model computes (weights, architecture, tokenizer, adapter), so that a run resumed on other
 * weights under the same path is refused. Pretraining is not bitwise reproducible across machines (other CPUs take
 * other kernel paths), so a pair pretrained again from the same recipe can differ: the path alone does not name the
 * model.
 *
 * <p>Files read: every top-level {@code *.safetensors} except {@code optimizer.safetensors} (the pretrainer's AdamW
 * moments, which do not change the model and are not committed with the study's pairs), plus {@code config.json},
 * {@code tokenizer.json}, {@code generation_config.json}, {@code adapter_config.json} and
 * {@code model.safetensors.index.json} where present. Training logs and the pretrainer's state are left out.
 * Stateless and thread-safe.
 */
final class CheckpointFingerprint {

    private static final Set<String> DEFINING = Set.of("config.json", "tokenizer.json", "generation_config.json",
            "adapter_config.json", "model.safetensors.index.json");

    private CheckpointFingerprint() {}

    /**
     * The content identity (SHA-256, hex) of the folder's defining files.
     *
     * @throws IOException naming the folder if it is not a folder or holds none of the defining files
     */
    static String of(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a checkpoint folder");
        }
        try (Stream<Path> s = Files.list(folder)) {
            if (s.noneMatch(p -> Files.isRegularFile(p) && defining(p.getFileName().toString()))) {
                throw new IOException(folder + ": no model files (config.json, *.safetensors) to fingerprint");
            }
        }
        return RunStore.contentId(folder, CheckpointFingerprint::defining);
    }

    /** A top-level file that decides what the model computes (a relative path with a '/' is in a subfolder). */
    private static boolean defining(String rel) {
        return rel.indexOf('/') < 0 && (DEFINING.contains(rel)
                || rel.endsWith(".safetensors") && !rel.equals("optimizer.safetensors"));
    }
}
