package dev.symbiosis.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The content identity of a checkpoint folder, as a run folder records it: a SHA-256 over the files that decide
 * what the model computes (weights, architecture, tokenizer, adapter), so that a run resumed on other weights under
 * the same path is refused. Pretraining is not bitwise reproducible across machines (other CPUs take other kernel
 * paths), so a pair pretrained again from the same recipe can differ: the path alone does not name the model.
 *
 * <p>Files read: every top-level {@code *.safetensors} except {@code optimizer.safetensors} (the pretrainer's AdamW
 * moments, which do not change the model), plus {@code config.json}, {@code tokenizer.json},
 * {@code generation_config.json}, {@code adapter_config.json} and {@code model.safetensors.index.json} where present.
 * Training logs and the pretrainer's state are left out. Stateless and thread-safe.
 */
final class CheckpointFingerprint {

    private static final Set<String> DEFINING = Set.of("config.json", "tokenizer.json", "generation_config.json",
            "adapter_config.json", "model.safetensors.index.json");

    private CheckpointFingerprint() {}

    /**
     * The SHA-256 (hex) of the folder's defining files: each file's name and its own SHA-256, in name order.
     *
     * @throws IOException naming the folder if it is not a folder or holds none of the defining files
     */
    static String of(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a checkpoint folder");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(Files::isRegularFile).filter(p -> defining(p.getFileName().toString())).sorted().forEach(
                    files::add);
        }
        if (files.isEmpty()) {
            throw new IOException(folder + ": no model files (config.json, *.safetensors) to fingerprint");
        }
        MessageDigest all = sha256();
        for (Path f : files) {
            all.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(fileSha256(f).getBytes(StandardCharsets.US_ASCII));
            all.update((byte) '\n');
        }
        return HexFormat.of().formatHex(all.digest());
    }

    private static boolean defining(String name) {
        return DEFINING.contains(name) || name.endsWith(".safetensors") && !name.equals("optimizer.safetensors");
    }

    private static String fileSha256(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
