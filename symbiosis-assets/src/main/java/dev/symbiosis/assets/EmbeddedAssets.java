package dev.symbiosis.assets;

import dev.symbiosis.core.loop.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded default's data and models ship inside the examples jar as class-path resources; DJL and the
 * tokenizer library need files, so they are copied once into a cache folder
 * ({@code $SYMBIOSIS_CACHE}, else {@code ~/.cache/symbiosis}) under a folder named after the project version, and
 * reused afterwards (see {@link #open()} for how the folder is named). Copies are atomic per file, so an
 * interrupted copy is simply redone.
 */
public final class EmbeddedAssets {

    /** Resource folder of the embedded assets. */
    public static final String ROOT = "/dev/symbiosis/assets/";

    /** Data splits, under bundle/. */
    public static final List<String> SPLITS = List.of("seed", "validation", "pool", "stream", "fidelity", "eval");

    /** Embedded models, under models/: the shared tokenizer and three checkpoints. */
    public static final List<String> MODELS = List.of("generator-0", "student-0", "reference");

    /** Files of every embedded checkpoint folder. */
    public static final List<String> CHECKPOINT_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    private final Path cache;

    private EmbeddedAssets(Path cache) {
        this.cache = cache;
    }

    /**
     * The assets in the default cache folder. The folder is named after a digest of the manifests of the data
     * bundle, the tasks and the models, so that changed assets are never served from a stale copy.
     */
    public static EmbeddedAssets open() throws IOException {
        String env = System.getenv("SYMBIOSIS_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "symbiosis");
        return new EmbeddedAssets(base.resolve("embedded-" + contentKey()));
    }

    /** First 16 hex digits of the SHA-256 of the manifests (bundle/MANIFEST.json, models/MANIFEST, tasks). */
    static String contentKey() throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String r : List.of("bundle/MANIFEST.json", "models/MANIFEST", "tasks/INDEX")) {
                try (InputStream in = resource(r)) {
                    md.update(in.readAllBytes());
                }
            }
            for (String t : readTaskNames()) {
                try (InputStream task = resource("tasks/" + t + ".jsonl")) {
                    md.update(task.readAllBytes());
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The assets in a given folder. */
    public static EmbeddedAssets in(Path folder) {
        return new EmbeddedAssets(folder);
    }

    /** A data split as a gzipped JSONL file. */
    public Path split(String name) throws IOException {
        if (!SPLITS.contains(name)) {
            throw new IllegalArgumentException("unknown split '" + name + "'; known: " + SPLITS);
        }
        return extract("bundle/" + name + ".jsonl.gz");
    }

    /** The folder of task JSONL files. */
    public Path tasks() throws IOException {
        for (String t : taskNames()) {
            extract("tasks/" + t + ".jsonl");
        }
        return cache.resolve("tasks");
    }

    /** Names of the embedded tasks (from tasks/INDEX, one name a line). */
    public List<String> taskNames() throws IOException {
        return readTaskNames();
    }

    private static List<String> readTaskNames() throws IOException {
        try (InputStream in = resource("tasks/INDEX")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    /** An embedded checkpoint folder. */
    public Path model(String name) throws IOException {
        if (!MODELS.contains(name)) {
            throw new IllegalArgumentException("unknown embedded model '" + name + "'; known: " + MODELS);
        }
        for (String f : CHECKPOINT_FILES) {
            extract("models/" + name + "/" + f);
        }
        return cache.resolve("models").resolve(name);
    }

    private Path extract(String relative) throws IOException {
        Path target = cache.resolve(relative);
        if (Files.exists(target)) {
            return target;
        }
        try (InputStream in = resource(relative)) {
            AtomicFiles.write(target, in.readAllBytes());
        }
        return target;
    }

    private static InputStream resource(String relative) throws IOException {
        InputStream in = EmbeddedAssets.class.getResourceAsStream(ROOT + relative);
        if (in == null) {
            throw new IOException("embedded resource " + ROOT + relative + " is missing from the class path: "
                    + "rebuild with 'mvn package' (and 'symbiosis.jar pretrain' if the embedded models were removed)");
        }
        return in;
    }
}
