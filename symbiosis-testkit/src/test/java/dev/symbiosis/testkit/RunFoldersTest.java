package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.GenerationCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFoldersTest {

    private static void write(Path dir, String file, String text) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** A run folder: records, timings, compute, and the files that legitimately differ between equal runs. */
    private static Path run(Path dir, String records, double seconds, String provenance) throws IOException {
        write(dir, "seed-1/results.jsonl", records);
        write(dir, "seed-1/timings.jsonl", "{\"strategy\":\"a\",\"iteration\":1,\"seconds\":{\"train\":" + seconds
                + "},\"compute\":{\"tokens\":10}}\n");
        write(dir, "compute.csv", "strategy,runs,tokens,seconds\na,1,10," + seconds + "\n");
        write(dir, "seed-1/" + GenerationCache.FILE, provenance + "\n");
        write(dir, "seed-1/provenance.json", provenance);
        write(dir, "report.html", provenance);
        return dir;
    }

    @Test
    void equalRecordsPassWhateverTheSecondsCacheProvenanceAndReport(@TempDir Path tmp) throws IOException {
        Path a = run(tmp.resolve("a"), "{\"x\":1}\n", 1.5, "one");
        Path b = run(tmp.resolve("b"), "{\"x\":1}\n", 9.25, "two");
        List<String> files = RunFolders.assertSameRecords(a, b);
        assertEquals(List.of("compute.csv", "seed-1/results.jsonl", "seed-1/timings.jsonl"), files);
    }

    @Test
    void aDifferentRecordCountedWorkOrFileListFailsNamingTheFile(@TempDir Path tmp) throws IOException {
        Path a = run(tmp.resolve("a"), "{\"x\":1}\n", 1.5, "one");
        Path b = run(tmp.resolve("b"), "{\"x\":2}\n", 1.5, "one");
        AssertionError record = assertThrows(AssertionError.class, () -> RunFolders.assertSameRecords(a, b));
        assertTrue(record.getMessage().contains("seed-1/results.jsonl"), record.getMessage());

        Path c = run(tmp.resolve("c"), "{\"x\":1}\n", 1.5, "one");
        write(c, "seed-1/timings.jsonl", "{\"strategy\":\"a\",\"iteration\":1,\"seconds\":{},\"compute\":{\"tokens\":11}}\n");
        AssertionError work = assertThrows(AssertionError.class, () -> RunFolders.assertSameRecords(a, c));
        assertTrue(work.getMessage().contains("timings.jsonl"), work.getMessage());

        Path d = run(tmp.resolve("d"), "{\"x\":1}\n", 1.5, "one");
        write(d, "seed-1/extra.jsonl", "{}\n");
        assertThrows(AssertionError.class, () -> RunFolders.assertSameRecords(a, d));
        // ... unless the caller skips it as bookkeeping of its own
        RunFolders.assertSameRecords(a, d, n -> n.endsWith("extra.jsonl"));
    }
}
