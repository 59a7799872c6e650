package dev.symbiosis.core.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write-then-rename under contention: writers of the same file (as two processes extracting one shared asset)
 * never see each other's temp file, a reader only ever sees a complete version, and no temp file is left.
 */
class AtomicFilesTest {

    @Test
    void concurrentWritersOfOneFileLeaveOneCompleteVersion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("asset.bin");
        byte[] a = new byte[200_000];
        byte[] b = new byte[70_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        AtomicFiles.write(file, a);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (byte[] content : List.of(a, b)) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        AtomicFiles.write(file, content);
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (!writers.stream().allMatch(Future::isDone)) {
                    byte[] seen;
                    try {
                        seen = Files.readAllBytes(file);
                    } catch (NoSuchFileException e) {
                        throw new AssertionError("the file vanished during a replace", e);
                    }
                    assertTrue(Arrays.equals(seen, a) || Arrays.equals(seen, b), "a torn read of " + seen.length
                            + " bytes");
                    reads++;
                }
                return reads;
            });
            for (Future<?> w : writers) {
                w.get();
            }
            assertTrue(reader.get() > 0);
        } finally {
            pool.shutdownNow();
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "only the file itself remains");
        }
    }
}
