package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.experiment.ExperimentConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private static long records(Path seedDir) throws IOException {
        return Files.readAllLines(seedDir.resolve("results.jsonl"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).count();
    }

    /** Two real (cut-down) experiment runs and a resumption: minutes, so in the slow group (-Dgroups=slow). */
    @Test
    @Tag("slow")
    void runSeedsRunAsTasksIntoOneFolderAndAnInterruptedGridResumes() throws Exception {
        Path out = tmp.resolve("grid");
        ExperimentGrid.Result first = ExperimentGrid.run(spark, tiny(), out.toString(), 60);
        assertEquals(List.of(42L, 43L), first.seeds());
        assertEquals(2, first.ran().size());
        long r42 = records(out.resolve("seed-42"));
        long r43 = records(out.resolve("seed-43"));
        assertTrue(r42 >= 2 && r42 == r43, r42 + " and " + r43 + " records");
        assertTrue(Files.exists(out.resolve("stats.json")) && Files.exists(out.resolve("report.html")));

        // an interrupted grid: seed 43 not marked finished, the aggregate gone
        Files.delete(ExperimentGrid.doneMarker(out, 43));
        Files.delete(out.resolve("stats.json"));
        ExperimentGrid.Result again = ExperimentGrid.run(spark, tiny(), out.toString(), 60);
        assertEquals(List.of(42L), again.skipped());
        assertEquals(1, again.ran().size());
        assertEquals(43L, again.ran().get(0)._1());
        assertEquals(r43, records(out.resolve("seed-43")), "the resumed seed ran nothing twice");
        assertTrue(Files.exists(out.resolve("stats.json")));

        // a unit whose lock another attempt holds is not run beside it
        Files.delete(ExperimentGrid.doneMarker(out, 43));
        Path lock = out.resolve("_grid/seed-43.lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            IOException e = assertThrows(IOException.class,
                    () -> ExperimentGrid.runUnit(out.toString(), 43L, 1));
            assertTrue(e.getMessage().contains("locked by another attempt"), e.getMessage());
            assertTrue(held.isValid(), "the other attempt still holds its lock");
        }
        assertEquals(r43, records(out.resolve("seed-43")));

        IOException other = assertThrows(IOException.class,
                () -> ExperimentGrid.run(spark, tiny().withSeeds(3), out.toString(), 60));
        assertTrue(other.getMessage().contains("another configuration"), other.getMessage());
    }

    @Test
    void objectStoresAreRefused() {
        IOException e = assertThrows(IOException.class,
                () -> ExperimentGrid.run(spark, tiny(), "s3a://bucket/runs/grid", 60));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }
}
