package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.strategy.RealMixing;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.RecursiveCollapse;
import dev.symbiosis.core.strategy.StaticSynthetic;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies run concurrently and Generator samples come from the run's generation cache, and neither changes a
 * file of the run folder: records, releases, hard examples, checkpoints and the order of the timing lines are those
 * of a serial run without the cache, also after an interrupted concurrent run is resumed.
 */
class ConcurrentLoopTest {

    /** The ablations that share Generator 0's Step A samples of iteration 1, and the baselines. */
    private static List<Strategy> strategies() {
        return List.of(SymbiosisStrategy.create(), SymbiosisStrategy.frozenGenerator(),
                SymbiosisStrategy.hardToStudent(), RecursiveCollapse.replace(), new StaticSynthetic(2),
                RealMixing.golden(), new RealUpperBound());
    }

    private static SymbiosisLoop loop(Path dir, int parallelism, boolean cache, Supplier<LanguageModel> generator,
            Supplier<LanguageModel> student) throws IOException {
        return loop(dir, TinyLoop.config(2), parallelism, cache, generator, student);
    }

    private static SymbiosisLoop loop(Path dir, LoopConfig config, int parallelism, boolean cache,
            Supplier<LanguageModel> generator, Supplier<LanguageModel> student) throws IOException {
        return SymbiosisLoop.builder(config, generator, student, TinyLoop.EVAL,
                        new RunStore(dir, "{\"test\": 1}"))
                .optPool(TinyLoop.POOL).optRealStream(TinyLoop.STREAM)
                .optMiner(dev.symbiosis.core.feedback.UncertaintyFeedbackMiner.builder().optTopK(4)
                        .optWindowChars(120).build())
                .optMeasure(texts -> new TreeMap<>(Map.of("count", (double) texts.size())))
                .optParallelism(parallelism)
                .optGenerationCache(cache)
                .build();
    }

    @Test
    void concurrentStrategiesWithTheCacheWriteTheFilesOfASerialRunWithout(@TempDir Path serial,
            @TempDir Path concurrent) throws IOException {
        AtomicInteger uncachedRows = new AtomicInteger();
        AtomicInteger cachedRows = new AtomicInteger();
        loop(serial, 1, false, TinyLoop.countingRows(uncachedRows), TinyLoop.model("s0")).run(strategies());
        List<IterationRecord> records = loop(concurrent, 3, true, TinyLoop.countingRows(cachedRows),
                TinyLoop.model("s0")).run(strategies());

        assertSameRunFolder(serial, concurrent);
        assertEquals(7 * 3, records.size());
        assertEquals(TinyLoop.config(2).iterations(), records.get(records.size() - 1).iteration());
        // the three symbiosis variants ask Generator 0 for the same Step A rows in iteration 1: one generation
        assertTrue(cachedRows.get() < uncachedRows.get(), cachedRows + " rows generated with the cache, "
                + uncachedRows + " without");
        assertTrue(Files.exists(concurrent.resolve(GenerationCache.FILE)));
        assertTrue(Files.notExists(serial.resolve(GenerationCache.FILE)));
    }

    @Test
    void theCacheAloneChangesNoFile(@TempDir Path without, @TempDir Path with) throws IOException {
        List<Strategy> s = List.of(SymbiosisStrategy.create(), SymbiosisStrategy.frozenGenerator());
        loop(without, 1, false, TinyLoop.model("g0"), TinyLoop.model("s0")).run(s);
        loop(with, 1, true, TinyLoop.model("g0"), TinyLoop.model("s0")).run(
                List.of(SymbiosisStrategy.create(), SymbiosisStrategy.frozenGenerator()));
        assertSameRunFolder(without, with);
        // a second run on a copy of the folder finds everything done; a fresh folder with the old cache file
        // generates nothing that Generator 0 or a checkpointed Generator already answered
        AtomicInteger rows = new AtomicInteger();
        Path again = with.resolve("again");
        Files.createDirectories(again);
        Files.copy(with.resolve(GenerationCache.FILE), again.resolve(GenerationCache.FILE));
        loop(again, 2, true, TinyLoop.countingRows(rows), TinyLoop.model("s0")).run(
                List.of(SymbiosisStrategy.frozenGenerator()));
        assertEquals(0, rows.get(), "Generator 0's rows of the frozen-generator run are all in the cache");
    }

    @Test
    void anInterruptedConcurrentRunResumesToTheFilesOfAnUninterruptedSerialOne(@TempDir Path whole,
            @TempDir Path broken) throws IOException {
        loop(whole, 1, false, TinyLoop.model("g0"), TinyLoop.model("s0")).run(strategies());
        for (int crashAt : new int[] {2, 1}) {
            // every strategy has its own Student, counting its own training calls: all crash at that call, and
            // those that finish first stop the others at the end of their iteration
            assertThrows(IllegalStateException.class, () -> loop(broken, 3, true, TinyLoop.model("g0"),
                    TinyLoop.crashingOnTrainCall(crashAt)).run(strategies()));
        }
        AtomicInteger rows = new AtomicInteger();
        loop(broken, 2, true, TinyLoop.countingRows(rows), TinyLoop.model("s0")).run(strategies());
        assertSameRunFolder(whole, broken);
    }

    @Test
    void theUnitsOfTwoLoopsShareThreadsAndEachFolderIsItsSerialRun(@TempDir Path serial, @TempDir Path together)
            throws IOException {
        // strategies keep state: every run gets fresh ones
        Supplier<List<Strategy>> a = () -> List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace(),
                new RealUpperBound());
        Supplier<List<Strategy>> b = () -> List.of(SymbiosisStrategy.frozenGenerator(), new StaticSynthetic(2));
        LoopConfig other = LoopConfig.builder().optIterations(2).optTokenBudget(1200).optGenerationBatch(4)
                .optSampling(SamplingConfig.defaults().withMaxNewTokens(60)).optPoolSample(10).optSeed(8).build();
        loop(serial.resolve("seed-7"), 1, false, TinyLoop.model("g0"), TinyLoop.model("s0")).run(a.get());
        loop(serial.resolve("seed-8"), other, 1, false, TinyLoop.model("g0"), TinyLoop.model("s0")).run(b.get());
        // two of five units fail first, on their first training call: the other units stop after their iteration
        List<SymbiosisLoop.Run> crashing = List.of(
                new SymbiosisLoop.Run(loop(together.resolve("seed-7"), 1, true, TinyLoop.model("g0"),
                        TinyLoop.crashingOnTrainCall(2)), a.get()),
                new SymbiosisLoop.Run(loop(together.resolve("seed-8"), other, 1, true, TinyLoop.model("g0"),
                        TinyLoop.crashingOnTrainCall(2)), b.get()));
        assertThrows(IllegalStateException.class, () -> SymbiosisLoop.runAll(crashing, 3));
        List<List<IterationRecord>> records = SymbiosisLoop.runAll(List.of(
                new SymbiosisLoop.Run(loop(together.resolve("seed-7"), 1, true, TinyLoop.model("g0"),
                        TinyLoop.model("s0")), a.get()),
                new SymbiosisLoop.Run(loop(together.resolve("seed-8"), other, 1, true, TinyLoop.model("g0"),
                        TinyLoop.model("s0")), b.get())), 3);
        assertSameRunFolder(serial.resolve("seed-7"), together.resolve("seed-7"));
        assertSameRunFolder(serial.resolve("seed-8"), together.resolve("seed-8"));
        assertEquals(List.of(3 * 3, 2 * 3), List.of(records.get(0).size(), records.get(1).size()));
        assertTrue(!records.get(0).equals(records.get(1)), "the two seeds differ: not vacuous");

        SymbiosisLoop once = loop(together.resolve("x"), 1, true, TinyLoop.model("g0"), TinyLoop.model("s0"));
        assertThrows(IllegalArgumentException.class, () -> SymbiosisLoop.runAll(List.of(
                new SymbiosisLoop.Run(once, a.get()), new SymbiosisLoop.Run(once, b.get())), 2), "one loop given twice");
        assertThrows(IllegalArgumentException.class, () -> SymbiosisLoop.runAll(List.of(), 0));
    }

    @Test
    void twoStrategiesOfOneNameAreRefused(@TempDir Path dir) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> loop(dir, 2, true, TinyLoop.model("g0"),
                TinyLoop.model("s0")).run(List.of(new RealUpperBound(), new RealUpperBound())));
        assertThrows(IllegalArgumentException.class, () -> SymbiosisLoop.builder(TinyLoop.config(1),
                TinyLoop.model("g0"), TinyLoop.model("s0"), TinyLoop.EVAL, new RunStore(dir, "{\"test\": 1}"))
                .optParallelism(0));
    }

    /**
     * Every file of {@code b} equals the one of {@code a}, except timings.jsonl (wall-clock seconds: its lines must
     * name the same strategies and iterations in the same order) and the generation cache (present with the cache).
     */
    static void assertSameRunFolder(Path a, Path b) throws IOException {
        List<String> filesA = files(a);
        List<String> filesB = files(b);
        assertEquals(filesA, filesB);
        for (String f : filesA) {
            if (f.equals("timings.jsonl")) {
                assertEquals(timingKeys(a.resolve(f)), timingKeys(b.resolve(f)));
            } else {
                assertEquals(Files.readString(a.resolve(f), StandardCharsets.UTF_8),
                        Files.readString(b.resolve(f), StandardCharsets.UTF_8), f);
            }
        }
    }

    private static List<String> files(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals(GenerationCache.FILE) && !n.startsWith("again")).sorted()
                    .forEach(out::add);
        }
        return out;
    }

    private static List<String> timingKeys(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            JsonNode o = Json.parse(line);
            out.add(o.get("strategy").asText() + "/" + o.get("iteration").asInt());
        }
        return out;
    }
}
