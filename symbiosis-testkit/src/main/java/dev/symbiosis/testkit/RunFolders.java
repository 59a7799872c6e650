package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.core.loop.GenerationCache;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Asserts that two output folders of an experiment hold the same records: the check behind "records identical to
 * the serial run" for concurrent runs, split runs, grids on a cluster, or a strategy of your own run twice.
 *
 * <p>Compared byte for byte: every regular file except those that legitimately differ between equal runs, which
 * are left out: the generation cache ({@link GenerationCache#FILE}: its lines depend on who generated first),
 * {@code provenance.json} (the build and the machine) and HTML reports. {@code timings.jsonl} is compared by its
 * keys and counted work (strategy, iteration, {@code compute}), not its seconds; {@code compute.csv} without its
 * last column (seconds). Stateless and thread-safe.
 */
public final class RunFolders {

    private RunFolders() {}

    /**
     * Asserts that both folders hold the same files and records.
     *
     * @return the files compared, relative with {@code /} separators, sorted
     * @throws AssertionError naming the first file that differs, or the file lists when they differ
     */
    public static List<String> assertSameRecords(Path expected, Path actual) throws IOException {
        return assertSameRecords(expected, actual, name -> false);
    }

    /**
     * As {@link #assertSameRecords(Path, Path)}, also leaving out the files whose relative path {@code skip}
     * accepts (e.g. a runner's own bookkeeping folder).
     */
    public static List<String> assertSameRecords(Path expected, Path actual, Predicate<String> skip)
            throws IOException {
        Objects.requireNonNull(skip, "skip");
        List<String> files = files(expected, skip);
        assertEquals(files, files(actual, skip), "the files of " + expected + " and " + actual);
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

    private static List<String> files(Path dir, Predicate<String> skip) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.endsWith(GenerationCache.FILE) && !n.endsWith("provenance.json")
                            && !n.endsWith(".html") && !skip.test(n))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    private static List<String> withoutLastColumn(Path f) throws IOException {
        return Files.readAllLines(f).stream().map(l -> l.lastIndexOf(',') < 0 ? l : l.substring(0, l.lastIndexOf(',')))
                .toList();
    }

    private static List<String> timingKeys(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            var o = Json.parse(line);
            out.add(o.get("strategy").asText() + "/" + o.get("iteration").asInt() + " " + o.path("compute"));
        }
        return out;
    }
}
