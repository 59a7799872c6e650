package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.GenerationCache;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.experiment.ExperimentConfig;
import dev.symbiosis.experiment.ExperimentRunner;
import dev.symbiosis.testkit.RunFolders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentGridTest {

    private static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("ExperimentGridTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The smoke preset cut down further: two run seeds, one iteration, two cheap strategies. */
    private static ExperimentConfig tiny() {
        return ExperimentConfig.builder("smoke").optIterations(1).optSeeds(2).optTokenBudget(256)
                .optGenerationBatch(4).optPoolSample(8).optHardExamples(2)
                .optStrategies(List.of("real-upper-bound", "static-synthetic")).optEvalItemsPerTask(4)
                .optHeldOutDocsPerDomain(2).optMeasure(8, false).build();
    }

    /**
     * Four (strategy, seed) units of a real (cut-down) experiment as tasks, compared file by file with the runner's
     * own serial run; then an interrupted grid and a lost done marker: minutes, so in the slow group
     * (-Dgroups=slow).
     */
    @Test
    @Tag("slow")
    void unitsAsTasksLeaveTheFilesOfTheRunnersSerialRunAndAnInterruptedGridResumes() throws Exception {
        Path serial = tmp.resolve("serial");
        try (PrintStream log = new PrintStream(Files.newOutputStream(tmp.resolve("serial.log")), true,
                StandardCharsets.UTF_8)) {
            ExperimentRunner.builder(tiny()).optOutput(serial).optLog(log).optParallelism(1).build().run();
        }
        Path out = tmp.resolve("grid");
        ExperimentGrid.Result first = ExperimentGrid.run(spark, tiny(), out.toString(), 60);
        List<ExperimentGrid.Unit> units = List.of(new ExperimentGrid.Unit("real-upper-bound", 42),
                new ExperimentGrid.Unit("static-synthetic", 42), new ExperimentGrid.Unit("real-upper-bound", 43),
                new ExperimentGrid.Unit("static-synthetic", 43));
        assertEquals(units, first.units());
        assertEquals(4, first.ran().size());
        assertTrue(first.ran().stream().allMatch(r -> r.records() == 2), first.ran().toString());
        assertSameFiles(serial, out);
        assertTrue(Files.exists(out.resolve("stats.json")) && Files.exists(out.resolve("report.html")));

        // an interrupted grid: one unit never ran, the aggregate not written
        ExperimentGrid.Unit lost = units.get(3);
        Files.delete(ExperimentGrid.doneMarker(out, lost));
        AtomicFiles.deleteTree(ExperimentGrid.unitDir(out, lost));
        AtomicFiles.deleteTree(out.resolve("seed-43").resolve(lost.strategy()));
        Files.delete(out.resolve("stats.json"));
        ExperimentGrid.Result again = ExperimentGrid.run(spark, tiny(), out.toString(), 60);
        assertEquals(units.subList(0, 3), again.skipped());
        assertEquals(1, again.ran().size());
        assertEquals(lost, again.ran().get(0).unit());
        assertSameFiles(serial, out);

        // a done marker lost after the merge: the unit takes its folder back and finds itself complete
        ExperimentGrid.Unit unmarked = units.get(0);
        String records42 = Files.readString(out.resolve("seed-42/results.jsonl"));
        Files.delete(ExperimentGrid.doneMarker(out, unmarked));
        ExperimentGrid.Result third = ExperimentGrid.run(spark, tiny(), out.toString(), 60);
        assertEquals(List.of(unmarked), third.ran().stream().map(ExperimentGrid.UnitRun::unit).toList());
        assertEquals(2, third.ran().get(0).records());
        assertEquals(records42, Files.readString(out.resolve("seed-42/results.jsonl")));
        assertSameFiles(serial, out);

        // a unit whose lock another attempt holds is not run beside it
        Files.delete(ExperimentGrid.doneMarker(out, lost));
        try (FileChannel ch = FileChannel.open(ExperimentGrid.lockFile(out, lost), StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            IOException e = assertThrows(IOException.class, () -> ExperimentGrid.runUnit(out.toString(), lost, 1));
            assertTrue(e.getMessage().contains("locked by another attempt"), e.getMessage());
            assertTrue(held.isValid(), "the other attempt still holds its lock");
        }
        assertFalse(Files.exists(ExperimentGrid.doneMarker(out, lost)));

        IOException other = assertThrows(IOException.class,
                () -> ExperimentGrid.run(spark, tiny().withSeeds(3), out.toString(), 60));
        assertTrue(other.getMessage().contains("another configuration"), other.getMessage());
    }

    /** Same records as the serial run (RunFolders), the grid's own bookkeeping aside. */
    private static void assertSameFiles(Path serial, Path grid) throws IOException {
        List<String> files = RunFolders.assertSameRecords(serial, grid, n -> n.startsWith("_grid/"));
        assertTrue(files.contains("seed-43/static-synthetic/iter-1/synthetic.jsonl"), files.toString());
    }

    /** Writes a fabricated unit folder (no model): its records, timings, cache, shared files and strategy folder. */
    private static void fakeUnit(Path out, ExperimentGrid.Unit u, String runConfig, List<String> cacheKeys)
            throws IOException {
        Path run = ExperimentGrid.unitDir(out, u).resolve("seed-" + u.seed());
        List<String> records = new ArrayList<>();
        List<String> timings = new ArrayList<>();
        for (int t = 0; t <= 1; t++) {
            records.add("{\"strategy\":\"" + u.strategy() + "\",\"iteration\":" + t + "}");
            timings.add("{\"strategy\":\"" + u.strategy() + "\",\"iteration\":" + t + ",\"seconds\":{}}");
        }
        AtomicFiles.writeLines(run.resolve("results.jsonl"), records);
        AtomicFiles.writeLines(run.resolve("timings.jsonl"), timings);
        List<String> cache = new ArrayList<>();
        for (String k : cacheKeys) {
            cache.add("{\"key\":\"" + k.repeat(64) + "\",\"completion\":\"" + u.strategy() + "\"}");
        }
        AtomicFiles.writeLines(run.resolve(GenerationCache.FILE), cache);
        AtomicFiles.write(run.resolve("run-config.json"), runConfig.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(run.resolve(ExperimentRunner.HEADLINE_TASKS_FILE), "{}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(run.resolve(u.strategy()).resolve("iter-1/synthetic.jsonl"),
                u.name().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(ExperimentGrid.doneMarker(out, u), new byte[0]);
    }

    @Test
    void theMergeConcatenatesUnitsInStrategyOrderUnitesCachesAndRefusesUnitsThatDisagree() throws IOException {
        Path out = tmp.resolve("merge");
        ExperimentGrid.Unit a = new ExperimentGrid.Unit("real-upper-bound", 42);
        ExperimentGrid.Unit b = new ExperimentGrid.Unit("static-synthetic", 42);
        fakeUnit(out, b, "{\"runSeed\":42}", List.of("b", "c"));
        fakeUnit(out, a, "{\"runSeed\":42}", List.of("a", "b"));
        ExperimentGrid.merge(out, tiny(), 42);
        Path seed = out.resolve("seed-42");
        List<String> merged = Files.readAllLines(seed.resolve("results.jsonl"));
        assertEquals(List.of("real-upper-bound/0", "real-upper-bound/1", "static-synthetic/0", "static-synthetic/1"),
                merged.stream().map(ExperimentGridTest::strategyAndIteration).toList());
        assertEquals(4, Files.readAllLines(seed.resolve("timings.jsonl")).size());
        List<String> cache = Files.readAllLines(seed.resolve(GenerationCache.FILE));
        assertEquals(3, cache.size(), "keys a, b and c once each: " + cache);
        assertEquals(b.name(), Files.readString(seed.resolve("static-synthetic/iter-1/synthetic.jsonl")));
        assertFalse(Files.exists(ExperimentGrid.unitDir(out, b).resolve("seed-42/static-synthetic")), "moved");
        assertEquals("{\"runSeed\":42}", Files.readString(seed.resolve("run-config.json")));

        // idempotent: merging again (strategy folders already in place) gives the same files
        ExperimentGrid.merge(out, tiny(), 42);
        assertEquals(merged, Files.readAllLines(seed.resolve("results.jsonl")));
        assertEquals(b.name(), Files.readString(seed.resolve("static-synthetic/iter-1/synthetic.jsonl")));

        // units of one seed that disagree on their configuration are not merged
        AtomicFiles.write(ExperimentGrid.unitDir(out, b).resolve("seed-42/run-config.json"),
                "{\"runSeed\":7}".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> ExperimentGrid.merge(out, tiny(), 42));
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
        // a line of another strategy in a unit's records names the file and line
        AtomicFiles.write(ExperimentGrid.unitDir(out, b).resolve("seed-42/run-config.json"),
                "{\"runSeed\":42}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeLines(ExperimentGrid.unitDir(out, a).resolve("seed-42/results.jsonl"),
                List.of("{\"strategy\":\"real-upper-bound\",\"iteration\":0}",
                        "{\"strategy\":\"static-synthetic\",\"iteration\":0}"));
        e = assertThrows(IOException.class, () -> ExperimentGrid.merge(out, tiny(), 42));
        assertTrue(e.getMessage().contains("results.jsonl:2"), e.getMessage());
        // an unfinished unit
        AtomicFiles.writeLines(ExperimentGrid.unitDir(out, a).resolve("seed-42/results.jsonl"),
                List.of("{\"strategy\":\"real-upper-bound\",\"iteration\":0}"));
        Files.delete(ExperimentGrid.doneMarker(out, b));
        e = assertThrows(IOException.class, () -> ExperimentGrid.merge(out, tiny(), 42));
        assertTrue(e.getMessage().contains("not finished"), e.getMessage());
    }

    private static String strategyAndIteration(String line) {
        try {
            var o = Json.parse(line);
            return o.get("strategy").asText() + "/" + o.get("iteration").asInt();
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    @Test
    void aSecondDriverAndObjectStoresAreRefused() throws IOException {
        IOException e = assertThrows(IOException.class,
                () -> ExperimentGrid.run(spark, tiny(), "s3a://bucket/runs/grid", 60));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());

        Path out = tmp.resolve("busy");
        Files.createDirectories(ExperimentGrid.gridDir(out));
        try (FileChannel ch = FileChannel.open(ExperimentGrid.gridDir(out).resolve("driver.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            IOException busy = assertThrows(IOException.class,
                    () -> ExperimentGrid.run(spark, tiny(), out.toString(), 60));
            assertTrue(busy.getMessage().contains("another grid driver"), busy.getMessage());
        }
        assertFalse(Files.exists(ExperimentGrid.gridDir(out).resolve("config.json")), "nothing started");
    }
}
