package dev.symbiosis.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The embedded default experiment's models and real-data bundle, found in the source tree (they are resources of
 * the module that ships them; this module does not depend on it).
 */
final class TestAssets {

    private static final String[] ROOTS = {
        "../symbiosis-assets/src/main/resources/dev/symbiosis/assets",
        "../examples/src/main/resources/dev/symbiosis/examples",
    };

    private TestAssets() {}

    static Path root() {
        for (String r : ROOTS) {
            Path p = Path.of(r).toAbsolutePath().normalize();
            if (Files.isDirectory(p.resolve("models/student-0"))) {
                return p;
            }
        }
        throw new IllegalStateException("embedded models not found under " + List.of(ROOTS));
    }

    static Path student() {
        return root().resolve("models/student-0");
    }

    static Path generator() {
        return root().resolve("models/generator-0");
    }

    /** The first {@code n} JSON lines of a bundle split (e.g. "pool"). */
    static List<String> bundleLines(String split, int n) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(root().resolve("bundle/" + split + ".jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    static Path writeLines(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
        return file;
    }
}
