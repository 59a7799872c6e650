package dev.symbiosis.examples.experiment;

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
 * reused afterwards. Copies are atomic per file, so an interrupted copy is simply redone.
 */
public final class EmbeddedAssets {

    /** Resource folder of the embedded assets. */
    public static final String ROOT = "/dev/symbiosis/examples/";

    /** Data splits, under bundle/. */
    public static final List<String> SPLITS = List.of("seed", "pool", "stream", "fidelity", "eval");

    /** Embedded models, under models/: the shared tokenizer and three checkpoints. */
    public static final List<String> MODELS = List.of("generator-0", "student-0", "reference");

    /** Files of every embedded checkpoint folder. */
    public static final List<String> CHECKPOINT_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    private final Path cache;

    private EmbeddedAssets(Path cache) {
        this.cache = cache;
    }

    /** The assets in the default cache folder. */
    public static EmbeddedAssets open() {
        String env = System.getenv("SYMBIOSIS_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "symbiosis");
        String version = EmbeddedAssets.class.getPackage().getImplementationVersion();
        return new EmbeddedAssets(base.resolve("embedded-" + (version == null ? "dev" : version)));
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
