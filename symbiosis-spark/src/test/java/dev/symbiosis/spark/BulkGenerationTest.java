package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.model.SamplingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkGenerationTest {

    private static final SamplingConfig SAMPLING = new SamplingConfig(0.9, 40, 1.0, 1.0, 24, 7L);
    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static Path prompts;
    private static List<String> reference;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.start("BulkGenerationTest");
        ObjectMapper m = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        int i = 0;
        for (String l : TestAssets.bundleLines("seed", 18)) {
            String text = m.readTree(l).get("text").textValue();
            lines.add(m.createObjectNode().put("id", "p" + i++).put("prompt", text.substring(0, 60)).toString());
        }
        prompts = TestAssets.writeLines(tmp.resolve("prompts/prompts.jsonl"), lines);
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorModels.closeAll();
    }

    private static BulkGeneration.Options options(String out, int partitions, OutputFormat format) {
        return new BulkGeneration.Options(TestAssets.generator().toString(), prompts.toString(),
                tmp.resolve(out).toString()).partitions(partitions).format(format).samplesPerPrompt(2)
                .sampling(SAMPLING);
    }

    /** Every row as one line of its columns, in prompt order. */
    private static List<String> rows(String out) {
        String path = tmp.resolve(out).toString();
        var df = path.endsWith("parquet") ? spark.read().parquet(path) : spark.read().json(path);
        List<String> cols = PartFiles.columnNames(BulkGeneration.COLUMNS);
        List<String> out2 = new ArrayList<>();
        for (Row r : df.selectExpr(cols.toArray(new String[0])).orderBy("prompt_index", "sample").collectAsList()) {
            out2.add(r.mkString("\u241F"));
        }
        return out2;
    }

    private static synchronized List<String> reference() throws IOException {
        if (reference == null) {
            BulkGeneration.Result r = BulkGeneration.run(spark, options("one-jsonl", 1, OutputFormat.JSONL));
            assertEquals(36, r.rows());
            reference = rows("one-jsonl");
        }
        return reference;
    }

    @Test
    void oneAndThreePartitionsGiveTheSameRows() throws IOException {
        List<String> one = reference();
        BulkGeneration.Result r = BulkGeneration.run(spark, options("three-parquet", 3, OutputFormat.PARQUET));
        assertEquals(3, r.partitions());
        assertEquals(3, r.generated());
        assertEquals(List.of(0, 1, 2),
                List.copyOf(PartFiles.committed(new org.apache.hadoop.fs.Path(tmp.resolve("three-parquet").toString()),
                        OutputFormat.PARQUET, new Configuration())));
        assertEquals(one, rows("three-parquet"));
        assertEquals(36, one.size());
        // provenance: checkpoint hash and per-row seeds
        Row first = spark.read().parquet(tmp.resolve("three-parquet").toString()).orderBy("prompt_index", "sample")
                .first();
        assertEquals(Checkpoints.sha256(TestAssets.generator().toString(), new Configuration()),
                first.getAs("checkpoint_sha256"));
        assertEquals(BulkGeneration.rowSeed(7L, 0, 0), (long) first.<Long>getAs("seed"));
        assertEquals("p0", first.getAs("prompt_id"));
        long distinctCompletions = spark.read().parquet(tmp.resolve("three-parquet").toString())
                .select("completion").distinct().count();
        assertTrue(distinctCompletions > 30, "samples differ: " + distinctCompletions);
    }

    @Test
    void batchSizesOneAndFourGiveTheSameRowsAsTheDefault() throws IOException {
        List<String> byDefault = reference(); // batches of BulkGeneration.DEFAULT_BATCH_SIZE rows
        assertEquals(16, BulkGeneration.DEFAULT_BATCH_SIZE);
        // two partitions of 18 rows: batches of 4 mix the samples of two prompts, the last batch has 2 rows
        BulkGeneration.Result one = BulkGeneration.run(spark, options("batch-1", 2, OutputFormat.JSONL).batchSize(1));
        BulkGeneration.Result four = BulkGeneration.run(spark, options("batch-4", 2, OutputFormat.JSONL).batchSize(4));
        assertEquals(36, one.rows());
        assertEquals(36, four.rows());
        List<String> rowsOne = rows("batch-1");
        assertEquals(rowsOne, rows("batch-4"));
        assertEquals(byDefault, rowsOne);
        assertThrows(IllegalArgumentException.class, () -> options("batch-0", 2, OutputFormat.JSONL).batchSize(0));
    }

    @Test
    void aJobKilledPartWayResumesAndEndsWithTheSameOutput() throws Exception {
        List<String> expected = reference();
        Path out = tmp.resolve("killed-jsonl");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        cmd.addAll(List.of(SparkJobs.OFFLINE_JAVA_OPTIONS.split(" ")));
        cmd.addAll(List.of("-Xmx1g", "-Dspark.master=local[1]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), BulkGeneration.class.getName(),
                "--checkpoint", TestAssets.generator().toString(), "--input", prompts.toString(),
                "--output", out.toString(), "--format", "jsonl", "--partitions", "6", "--samples-per-prompt", "2",
                "--seed", "7", "--temperature", "0.9", "--top-k", "40", "--max-new-tokens", "24"));
        Path log = tmp.resolve("killed.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        int before;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (committed(out) == 0 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            p.waitFor(30, TimeUnit.SECONDS);
        }
        before = committed(out);
        assertTrue(before >= 1 && before < 6, "killed after " + before + " of 6 partitions; log:\n"
                + Files.readString(log, StandardCharsets.UTF_8));

        BulkGeneration.Result r = BulkGeneration.run(spark, options("killed-jsonl", 6, OutputFormat.JSONL));
        assertEquals(before, r.skipped());
        assertEquals(6 - before, r.generated());
        assertEquals(expected, rows("killed-jsonl"));

        BulkGeneration.Result again = BulkGeneration.run(spark, options("killed-jsonl", 6, OutputFormat.JSONL));
        assertEquals(6, again.skipped());
        assertEquals(0, again.rows());
        IOException e = assertThrows(IOException.class, () -> BulkGeneration.run(spark,
                options("killed-jsonl", 6, OutputFormat.JSONL).sampling(SAMPLING.withTemperature(0.5))));
        assertTrue(e.getMessage().contains("'temperature'"), e.getMessage());
    }

    private static int committed(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(out)) {
            return (int) s.filter(f -> f.getFileName().toString().matches("part-\\d{5}\\.jsonl\\.gz")).count();
        }
    }
}
