package dev.symbiosis.spark;

import dev.symbiosis.experiment.DefaultComponents;
import dev.symbiosis.experiment.ExperimentConfig;
import dev.symbiosis.experiment.ExperimentRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple3;

/**
 * An experiment's runs as Spark tasks writing into one run folder on shared POSIX storage, built on the public
 * runner of {@code symbiosis-experiment}: a unit is one run seed ({@link ExperimentRunner.Builder#optOnlySeeds}: every
 * strategy of that seed, in its folder {@code seed-<s>/}); the statistics and the report are written on the driver
 * ({@link ExperimentRunner.Builder#optReportOnly}) once every unit has finished.
 *
 * <p><b>Never a unit twice at once.</b> The job refuses to run with {@code spark.speculation} on, and each unit holds
 * an exclusive file lock ({@code _grid/seed-<s>.lock}, a POSIX advisory lock through {@link FileChannel#tryLock}) while
 * it runs: a retried task whose earlier attempt is still alive (a lost executor whose process lives on) waits for the
 * lock (up to {@code lockWaitSeconds}) instead of running the unit beside it. A finished unit leaves
 * {@code _grid/seed-<s>.done}, written by rename.
 *
 * <p><b>Resuming.</b> Starting the grid again on the same folder skips finished units; an unfinished one resumes
 * inside its run folder from its last checkpoint (the runner's {@code RunStore}).
 *
 * <p><b>Storage.</b> The folder must be a POSIX path that every executor sees under the same name (NFS, Lustre,
 * CephFS, a local disk in local mode): the runner's checkpoints rely on atomic renames and the units on file locks.
 * Object stores (S3, GCS, Azure Blob) have neither and are <b>not supported</b>; a URI with another scheme than
 * {@code file} is refused. Granularity: the runner's unit is a run seed; running single (strategy, seed) pairs as
 * tasks would need a strategy filter in {@code ExperimentRunner}, which writes all strategies of a seed into one
 * record file.
 *
 * <p>Models are loaded by each task ({@link DefaultComponents#loadModel}): a run trains its models, so they are not
 * shared through {@link ExecutorModels}. A JVM runs one unit at a time (DJL 0.36's PyTorch engine allows one
 * gradient collector per process; {@link ExecutorModels#withGradients}): give each executor one task slot
 * ({@code spark.executor.cores = spark.task.cpus}, the cores of one run) and, on a GPU cluster, one GPU.
 *
 * <p>spark-submit: {@code --class dev.symbiosis.spark.ExperimentGrid symbiosis-spark.jar --config FILE.json |
 * --preset NAME [--seeds N] --out DIR [--lock-wait-seconds S]}.
 */
public final class ExperimentGrid {

    private ExperimentGrid() {}

    /**
     * What the grid did.
     *
     * @param seeds every run seed of the experiment
     * @param skipped units found finished
     * @param ran units this run executed, with their wall time in seconds and record counts
     * @param seconds wall time
     */
    public record Result(List<Long> seeds, List<Long> skipped, List<Tuple3<Long, Double, Integer>> ran,
            double seconds) {}

    /** The grid's bookkeeping folder inside the run folder. */
    static Path gridDir(Path out) {
        return out.resolve("_grid");
    }

    /**
     * Runs (or resumes) the grid.
     *
     * @param out the run folder, a POSIX path seen by every executor
     * @param lockWaitSeconds how long a unit waits for a lock held by another attempt before its task fails
     * @throws IOException if the folder is not usable or a unit fails
     */
    public static Result run(SparkSession spark, ExperimentConfig config, String out, int lockWaitSeconds)
            throws IOException {
        long t0 = System.nanoTime();
        if (Boolean.parseBoolean(spark.sparkContext().getConf().get("spark.speculation", "false"))) {
            throw new IllegalStateException("spark.speculation is on: a speculative copy would run an experiment unit"
                    + " twice at once; start the grid with spark.speculation=false");
        }
        Path dir = posix(out);
        ExperimentConfig c = Objects.requireNonNull(config, "config").validate();
        Files.createDirectories(gridDir(dir));
        Path cfg = gridDir(dir).resolve("config.json");
        String json = c.toJson();
        if (Files.exists(cfg)) {
            if (!Files.readString(cfg, StandardCharsets.UTF_8).equals(json)) {
                throw new IOException(out + " holds a grid of another configuration (" + cfg + "); use a new folder");
            }
        } else {
            writeAtomically(cfg, json);
        }
        List<Long> seeds = c.runSeeds();
        List<Long> todo = new ArrayList<>();
        List<Long> skipped = new ArrayList<>();
        for (long s : seeds) {
            (Files.exists(doneMarker(dir, s)) ? skipped : todo).add(s);
        }
        List<Tuple3<Long, Double, Integer>> ran = new ArrayList<>();
        if (!todo.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            String folder = dir.toString();
            ran.addAll(jsc.parallelize(todo, todo.size())
                    .map(seed -> runUnit(folder, seed, lockWaitSeconds)).collect());
        }
        // statistics and report on the driver, from the run folders (no model is loaded)
        Path log = gridDir(dir).resolve("report.log");
        try (PrintStream p = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            ExperimentRunner.builder(c).optOutput(dir).optLog(p).optNoMeasure().optReportOnly(true).build().run();
        }
        return new Result(seeds, skipped, ran, (System.nanoTime() - t0) / 1e9);
    }

    /** A local path for {@code out}; a URI of another scheme than {@code file} is refused. */
    static Path posix(String out) throws IOException {
        if (out.contains("://") || (out.indexOf(':') > 1 && !out.startsWith("file:"))) {
            String scheme = out.substring(0, out.indexOf(':'));
            if (!scheme.equals("file")) {
                throw new IOException(out + ": the experiment grid needs shared POSIX storage (atomic rename and file"
                        + " locks); '" + scheme + "' is not supported (object stores have no atomic rename)");
            }
        }
        return out.startsWith("file:") ? Path.of(URI.create(out)) : Path.of(out).toAbsolutePath();
    }

    static Path doneMarker(Path dir, long seed) {
        return gridDir(dir).resolve("seed-" + seed + ".done");
    }

    /**
     * Runs one unit under its lock; on an executor, or in the driver for tests.
     *
     * @return (seed, seconds, records)
     */
    static Tuple3<Long, Double, Integer> runUnit(String folder, long seed, int lockWaitSeconds) throws IOException {
        Path dir = Path.of(folder);
        ExperimentConfig c = ExperimentConfig.read(gridDir(dir).resolve("config.json"));
        Path lockFile = gridDir(dir).resolve("seed-" + seed + ".lock");
        long deadline = System.nanoTime() + lockWaitSeconds * 1_000_000_000L;
        // a run trains: one at a time per JVM (DJL's PyTorch engine has one gradient collector per process)
        ExecutorModels.lockGradients();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = null;
            while (lock == null) {
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by another attempt in this JVM
                }
                if (lock == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("unit seed " + seed + " is locked by another attempt (" + lockFile
                                + ") for more than " + lockWaitSeconds + " s; not running it twice at once");
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for " + lockFile, e);
                    }
                }
            }
            try {
                if (Files.exists(doneMarker(dir, seed))) {
                    return new Tuple3<>(seed, 0.0, 0); // the other attempt finished it
                }
                TaskContext tc = TaskContext.get();
                String owner = ManagementFactory.getRuntimeMXBean().getName() + (tc == null ? ""
                        : " stage " + tc.stageId() + " task " + tc.taskAttemptId());
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)));
                ExecutorModels.requireOffline();
                ExecutorModels.configureThreads();
                long t0 = System.nanoTime();
                Path log = gridDir(dir).resolve("seed-" + seed + ".log");
                int records;
                try (OutputStream os = Files.newOutputStream(log, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND); PrintStream p = new PrintStream(os, true, StandardCharsets.UTF_8)) {
                    records = ExperimentRunner.builder(c).optOutput(dir).optLog(p).optOnlySeeds(List.of(seed)).build()
                            .run().records().size();
                }
                writeAtomically(doneMarker(dir, seed), owner + " " + records + " records\n");
                return new Tuple3<>(seed, (System.nanoTime() - t0) / 1e9, records);
            } finally {
                lock.release();
            }
        } finally {
            ExecutorModels.releaseGradients();
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** spark-submit entry point; see the class comment for the options. */
    public static void main(String[] argv) throws IOException {
        Args a = Args.parse("experiment-grid", argv, Set.of("config", "preset", "seeds", "out",
                "lock-wait-seconds"));
        ExperimentConfig c;
        if (a.get("config", null) != null) {
            c = ExperimentConfig.read(Path.of(a.get("config", null)));
        } else {
            c = ExperimentConfig.preset(a.get("preset", "default"));
        }
        if (a.get("seeds", null) != null) {
            c = c.withSeeds(a.getInt("seeds", 1));
        }
        SparkJobs.offlineDriver();
        SparkSession spark = SparkSession.builder().config(SparkJobs.configure(new org.apache.spark.SparkConf()
                .setAppName("symbiosis experiment grid").setIfMissing("spark.master", "local[*]")
                .set("spark.speculation", "false")
                .set("spark.task.maxFailures", "4"))).getOrCreate();
        try {
            Result r = run(spark, c, a.required("out"), a.getInt("lock-wait-seconds", 3600));
            System.out.printf(Locale.ROOT, "experiment-grid: %d run seeds, %d finished before, %d run now in %.1f s;"
                    + " report in %s%n", r.seeds().size(), r.skipped().size(), r.ran().size(), r.seconds(),
                    a.required("out"));
        } finally {
            spark.stop();
        }
    }
}
