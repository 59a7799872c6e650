package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.core.loop.GenerationCache;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Compares the files of two output folders that must hold the same runs (tests of concurrent and split runs). */
final class RunFolderFiles {

    private RunFolderFiles() {}

    /**
     * Asserts that both folders hold the same files, byte for byte, except: the generation cache (its lines depend on
     * who generated first), provenance (the library's build) and the HTML reports are left out; timings are compared
     * by their keys and counted work, not their seconds; {@code compute.csv} without its last column (seconds).
     *
     * @return the files compared, relative, sorted
     */
    static List<String> assertSame(Path expected, Path actual) throws IOException {
        List<String> files = files(expected);
        assertEquals(files, files(actual));
        for (String f : files) {
            if (f.endsWith("timings.jsonl")) {
                assertEquals(timingKeys(expected.resolve(f)), timingKeys(actual.resolve(f)), f);
            } else if (f.endsWith("compute.csv")) {
                assertEquals(withoutLastColumn(expected.resolve(f)), withoutLastColumn(actual.resolve(f)), f);
            } else {
                assertEquals(-1L, Files.mismatch(expected.resolve(f), actual.resolve(f)), f);
            }
        }
        return files;
    }

    private static List<String> files(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.endsWith(GenerationCache.FILE) && !n.endsWith("provenance.json")
                            && !n.endsWith(".html"))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    private static List<String> withoutLastColumn(Path f) throws IOException {
        return Files.readAllLines(f).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private static List<String> timingKeys(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            var o = Json.parse(line);
            // the keys and the counted work (compute), not the seconds
            out.add(o.get("strategy").asText() + "/" + o.get("iteration").asInt() + " " + o.path("compute"));
        }
        return out;
    }
}
