package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.assets.EmbeddedAssets;
import dev.symbiosis.core.loop.GenerationCache;
import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.testkit.RunFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the real embedded models on CPU, two run seeds of two strategies: the four (strategy, seed) units run three
 * at a time with the generation cache write the files of a serial run without it (records, per-item results,
 * synthetic data, hard examples, checkpoints, statistics); and the cache spares generation (the frozen-generator
 * ablation asks Generator 0 for Symbiosis's Step A rows of iteration 1); a run folder resumes with another
 * parallelism.
 */
class ExperimentConcurrencyTest {

    private static ExperimentConfig config() {
        return ExperimentConfig.builder("smoke").optPreset("concurrency").optIterations(1).optSeeds(2)
                .optTokenBudget(256).optEarlyStopping(0, 0.0)
                .optStrategies(List.of("symbiosis", "symbiosis-frozen-generator"))
                .optEvalItemsPerTask(4).optHeldOutDocsPerDomain(2).optMeasure(16, false).build();
    }

    /** Generator 0, embedded, counting the rows it generates. */
    private static ExperimentRunner.ModelSource countingGenerator(AtomicInteger rows) throws IOException {
        Path g0 = EmbeddedAssets.open().model("generator-0");
        ExperimentConfig c = config();
        return seed -> TinyLoop.countingRows(DefaultComponents.loadModel(g0, c.generator(), seed), rows);
    }

    private static void run(Path out, int parallelism, boolean cache, AtomicInteger rows) throws IOException {
        ExperimentRunner.builder(config()).optOutput(out).optNoMeasure().optGenerator(countingGenerator(rows))
                .optParallelism(parallelism).optGenerationCache(cache).build().run();
    }

    @Test
    void concurrentUnitsWithTheCacheWriteTheFilesOfASerialRunWithout(@TempDir Path serial,
            @TempDir Path concurrent) throws IOException {
        AtomicInteger uncachedRows = new AtomicInteger();
        AtomicInteger cachedRows = new AtomicInteger();
        run(serial, 1, false, uncachedRows);
        run(concurrent, 3, true, cachedRows);

        List<String> files = RunFolders.assertSameRecords(serial, concurrent);
        assertTrue(files.contains("seed-43/symbiosis-frozen-generator/iter-1/synthetic.jsonl"), files.toString());
        assertTrue(Files.exists(concurrent.resolve("seed-42").resolve(GenerationCache.FILE)));
        assertTrue(cachedRows.get() < uncachedRows.get(), cachedRows + " rows generated with the cache, "
                + uncachedRows + " without");

        // parallelism is not part of the run folder's fingerprint: the serial folder resumes (complete) with 2
        AtomicInteger resumedRows = new AtomicInteger();
        run(serial, 2, true, resumedRows);
        assertEquals(0, resumedRows.get());
    }
}
