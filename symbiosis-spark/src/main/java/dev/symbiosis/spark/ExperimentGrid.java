package dev.symbiosis.spark;

import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.GenerationCache;
import dev.symbiosis.core.loop.Json;
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
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * An experiment's (strategy, run seed) units as Spark tasks on shared POSIX storage, built on the public runner of
 * {@code symbiosis-experiment}: a unit is one strategy at one run seed ({@link ExperimentRunner.Builder#optOnlySeeds}
 * and {@link ExperimentRunner.Builder#optOnlyStrategies}), run into a folder of its own,
 * {@code _grid/units/<strategy>@seed-<s>/}. When every unit has finished, the driver merges the unit folders into the
 * run folder of each seed ({@code seed-<s>/}, or the folder itself for a one-seed experiment) and runs the runner on
 * it, which finds every unit complete, loads no model and writes what a serial run writes at its end (per-seed
 * report, contamination check, statistics, report). The run folders end with the records of the runner's own
 * serial run of the configuration.
 *
 * <p><b>Why a folder per unit.</b> A run folder belongs to one process at a time: opening it deletes temporaries
 * (another process's checkpoint being written), results.jsonl and timings.jsonl are rewritten whole under a lock
 * of the JVM only, and the generation cache appends at the end it read. Units in different JVMs therefore never
 * share a folder; nothing they write needs a lock across processes. The merge is on the driver after the job:
 * each unit's strategy folder is moved (renamed) into the seed's run folder, records and timings are concatenated
 * in the configuration's strategy order (each unit's file holds its strategy's lines in iteration order, as a
 * serial run places them), the generation caches are united by key, and {@code run-config.json} and
 * {@code headline-tasks.json} must be byte-identical in every unit of a seed (else the merge fails naming both
 * files). The merge starts over on every run of the grid, so a merge that was interrupted is completed by the
 * next one. The price: Student 0's evaluation is made by every unit, not once per seed, and a unit shares the
 * generation cache and the headline tasks only of the units of its seed that finished before it started (they are
 * copied into its folder when it starts).
 *
 * <p><b>Never a unit twice at once.</b> The job refuses to run with {@code spark.speculation} on, and each unit holds
 * an exclusive file lock ({@code _grid/<strategy>@seed-<s>.lock}, a POSIX advisory lock through
 * {@link FileChannel#tryLock}) while it runs: a retried task whose earlier attempt is still alive (a lost executor
 * whose process lives on) waits for the lock (up to {@code lockWaitSeconds}) instead of running the unit beside it.
 * A finished unit leaves {@code _grid/<strategy>@seed-<s>.done}, written by rename. One grid driver at a time uses a
 * folder ({@code _grid/driver.lock}; a second one is refused).
 *
 * <p><b>Resuming.</b> Starting the grid again on the same folder skips finished units; an unfinished one resumes
 * inside its unit folder from its last checkpoint (the runner's {@code RunStore}). A unit whose done marker was
 * removed after its folder was merged takes its strategy folder back before it runs (and so finds itself
 * complete). The configuration is pinned in {@code _grid/config.json}.
 *
 * <p><b>Storage.</b> The folder must be a POSIX path that every executor sees under the same name (NFS, Lustre,
 * CephFS, a local disk in local mode): the runner's checkpoints and the merge rely on atomic renames and the units
 * on file locks. Object stores (S3, GCS, Azure Blob) have neither and are <b>not supported</b>; a URI with another
 * scheme than {@code file} is refused.
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

    private static final String RESULTS = "results.jsonl";
    private static final String TIMINGS = "timings.jsonl";
    /** Files every unit of a seed writes alike; the merge checks that they agree and copies them. */
    private static final List<String> SHARED = List.of("run-config.json", ExperimentRunner.HEADLINE_TASKS_FILE);

    private ExperimentGrid() {}

    /**
     * One unit of the grid: a strategy of the configuration at one of its run seeds.
     *
     * @param strategy the strategy's name
     * @param seed the run seed
     */
    public record Unit(String strategy, long seed) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the name. */
        public Unit {
            Objects.requireNonNull(strategy, "strategy");
        }

        /** {@code <strategy>@seed-<s>}: the name of the unit's folder, lock, done marker and log. */
        public String name() {
            return strategy + "@seed-" + seed;
        }
    }

    /**
     * A unit that a task ran.
     *
     * @param unit the unit
     * @param seconds its wall time in the task (0 when another attempt had finished it)
     * @param records the records its folder holds afterwards (0 when another attempt had finished it)
     */
    public record UnitRun(Unit unit, double seconds, int records) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What the grid did.
     *
     * @param units every unit of the experiment, seed after seed, each in the configuration's strategy order
     * @param skipped units found finished
     * @param ran units this run executed
     * @param seconds wall time
     */
    public record Result(List<Unit> units, List<Unit> skipped, List<UnitRun> ran, double seconds) {

        /** Copies the lists. */
        public Result {
            units = List.copyOf(units);
            skipped = List.copyOf(skipped);
            ran = List.copyOf(ran);
        }
    }

    /** The grid's bookkeeping folder inside the run folder. */
    static Path gridDir(Path out) {
        return out.resolve("_grid");
    }

    /** Every unit of a configuration: seed after seed, each in the configuration's strategy order. */
    static List<Unit> units(ExperimentConfig c) {
        List<Unit> out = new ArrayList<>();
        for (long s : c.runSeeds()) {
            for (String strategy : c.strategies()) {
                out.add(new Unit(strategy, s));
            }
        }
        return out;
    }

    /**
     * Runs (or resumes) the grid.
     *
     * @param out the run folder, a POSIX path seen by every executor
     * @param lockWaitSeconds how long a unit waits for a lock held by another attempt before its task fails
     * @throws IOException if the folder is not usable, holds another configuration or is used by another grid
     *     driver, or a unit or the merge fails
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
        Path driverLock = gridDir(dir).resolve("driver.lock");
        try (FileChannel ch = FileChannel.open(driverLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                throw new IOException(out + " is used by another grid driver (" + driverLock + " is locked)");
            }
            try {
                return runLocked(spark, c, dir, lockWaitSeconds, t0);
            } finally {
                held.release();
            }
        }
    }

    private static Result runLocked(SparkSession spark, ExperimentConfig c, Path dir, int lockWaitSeconds, long t0)
            throws IOException {
        Path cfg = gridDir(dir).resolve("config.json");
        String json = c.toJson();
        if (Files.exists(cfg)) {
            if (!Files.readString(cfg, StandardCharsets.UTF_8).equals(json)) {
                throw new IOException(dir + " holds a grid of another configuration (" + cfg + "); use a new folder");
            }
        } else {
            writeAtomically(cfg, json);
        }
        List<Unit> units = units(c);
        List<Unit> todo = new ArrayList<>();
        List<Unit> skipped = new ArrayList<>();
        for (Unit u : units) {
            (Files.exists(doneMarker(dir, u)) ? skipped : todo).add(u);
        }
        List<UnitRun> ran = new ArrayList<>();
        if (!todo.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            String folder = dir.toString();
            ran.addAll(jsc.parallelize(todo, todo.size()).map(u -> runUnit(folder, u, lockWaitSeconds)).collect());
        }
        for (long seed : c.runSeeds()) {
            merge(dir, c, seed);
        }
        // every unit complete: the runner writes what a serial run writes at its end, loading no model
        Path log = gridDir(dir).resolve("report.log");
        try (PrintStream p = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            ExperimentRunner.builder(c).optOutput(dir).optLog(p).optParallelism(1)
                    .optModelLoader((checkpoint, trainer, seed) -> {
                        throw new IllegalStateException("the grid's driver loads no model, but run seed " + seed
                                + " needs " + checkpoint + ": a merged unit is incomplete (see " + gridDir(dir)
                                + "/*.log)");
                    }).build().run();
        }
        return new Result(units, skipped, ran, (System.nanoTime() - t0) / 1e9);
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

    static Path doneMarker(Path dir, Unit unit) {
        return gridDir(dir).resolve(unit.name() + ".done");
    }

    static Path lockFile(Path dir, Unit unit) {
        return gridDir(dir).resolve(unit.name() + ".lock");
    }

    /** The output folder a unit's runner writes into. */
    static Path unitDir(Path dir, Unit unit) {
        return gridDir(dir).resolve("units").resolve(unit.name());
    }

    /** The run folder of {@code seed} inside an output folder (the folder itself for a one-seed experiment). */
    static Path runFolder(ExperimentConfig c, Path out, long seed) {
        return c.seeds() > 1 ? out.resolve(ExperimentRunner.seedFolder(seed)) : out;
    }

    /**
     * Runs one unit under its lock, into its own folder; on an executor, or in the driver for tests.
     *
     * @throws IOException if another attempt holds the unit's lock for longer than {@code lockWaitSeconds}, or the
     *     unit fails
     */
    static UnitRun runUnit(String folder, Unit unit, int lockWaitSeconds) throws IOException {
        Path dir = Path.of(folder);
        ExperimentConfig c = ExperimentConfig.read(gridDir(dir).resolve("config.json"));
        Path lockFile = lockFile(dir, unit);
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
                        throw new IOException("unit " + unit.name() + " is locked by another attempt (" + lockFile
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
                if (Files.exists(doneMarker(dir, unit))) {
                    return new UnitRun(unit, 0.0, 0); // the other attempt finished it
                }
                TaskContext tc = TaskContext.get();
                String owner = ManagementFactory.getRuntimeMXBean().getName() + (tc == null ? ""
                        : " stage " + tc.stageId() + " task " + tc.taskAttemptId());
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)));
                ExecutorModels.requireOffline();
                ExecutorModels.configureThreads();
                long t0 = System.nanoTime();
                prepareUnitFolder(dir, c, unit);
                Path log = gridDir(dir).resolve(unit.name() + ".log");
                int records;
                try (OutputStream os = Files.newOutputStream(log, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND); PrintStream p = new PrintStream(os, true, StandardCharsets.UTF_8)) {
                    records = ExperimentRunner.builder(c).optOutput(unitDir(dir, unit)).optLog(p)
                            .optOnlySeeds(List.of(unit.seed())).optOnlyStrategies(List.of(unit.strategy()))
                            .optParallelism(1).build().run().records().size();
                }
                writeAtomically(doneMarker(dir, unit), owner + " " + records + " records\n");
                return new UnitRun(unit, (System.nanoTime() - t0) / 1e9, records);
            } finally {
                lock.release();
            }
        } finally {
            ExecutorModels.releaseGradients();
        }
    }

    /**
     * Before a unit runs (under its lock): takes back its strategy folder if an earlier merge moved it out (its done
     * marker was lost since), and gives a unit that starts afresh the headline tasks and the generation cache of
     * the finished units of its seed (both are the same whoever computes them: the cache is keyed by content).
     */
    private static void prepareUnitFolder(Path dir, ExperimentConfig c, Unit unit) throws IOException {
        Path own = runFolder(c, unitDir(dir, unit), unit.seed());
        Path merged = runFolder(c, dir, unit.seed());
        Files.createDirectories(own);
        if (Files.exists(own.resolve(RESULTS)) && !Files.exists(own.resolve(unit.strategy()))
                && Files.isDirectory(merged.resolve(unit.strategy()))) {
            Files.move(merged.resolve(unit.strategy()), own.resolve(unit.strategy()), StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(own.resolve(RESULTS))) {
            return; // resuming: the unit has its own files
        }
        List<Path> finished = new ArrayList<>();
        for (String s : c.strategies()) {
            Unit sibling = new Unit(s, unit.seed());
            if (!s.equals(unit.strategy()) && Files.exists(doneMarker(dir, sibling))) {
                finished.add(runFolder(c, unitDir(dir, sibling), unit.seed()));
            }
        }
        Path headline = own.resolve(ExperimentRunner.HEADLINE_TASKS_FILE);
        for (Path f : finished) {
            if (!Files.exists(headline) && Files.exists(f.resolve(ExperimentRunner.HEADLINE_TASKS_FILE))) {
                AtomicFiles.write(headline, Files.readAllBytes(f.resolve(ExperimentRunner.HEADLINE_TASKS_FILE)));
            }
        }
        Path cache = own.resolve(GenerationCache.FILE);
        if (!Files.exists(cache)) {
            List<Path> caches = new ArrayList<>();
            caches.add(merged.resolve(GenerationCache.FILE));
            finished.forEach(f -> caches.add(f.resolve(GenerationCache.FILE)));
            List<String> lines = unitedCache(caches);
            if (!lines.isEmpty()) {
                AtomicFiles.writeLines(cache, lines);
            }
        }
    }

    /**
     * Merges the unit folders of one run seed into its run folder (see the class comment). Idempotent: it starts
     * over from the unit folders' records every time.
     *
     * @throws IOException if a unit is not finished, its folder lacks its records or strategy folder, a unit's
     *     records name another strategy, or two units disagree on a file they must share (naming the files)
     */
    static void merge(Path dir, ExperimentConfig c, long seed) throws IOException {
        Path target = runFolder(c, dir, seed);
        Files.createDirectories(target);
        List<String> records = new ArrayList<>();
        List<String> timings = new ArrayList<>();
        List<Path> caches = new ArrayList<>();
        Map<String, Path> shared = new LinkedHashMap<>();
        for (String strategy : c.strategies()) {
            Unit u = new Unit(strategy, seed);
            Path src = runFolder(c, unitDir(dir, u), seed);
            if (!Files.exists(doneMarker(dir, u))) {
                throw new IOException("unit " + u.name() + " is not finished (" + doneMarker(dir, u) + " is missing)");
            }
            if (!Files.isRegularFile(src.resolve(RESULTS))) {
                throw new IOException("unit " + u.name() + " is marked finished but " + src.resolve(RESULTS)
                        + " is missing");
            }
            records.addAll(linesOf(src.resolve(RESULTS), strategy));
            if (Files.exists(src.resolve(TIMINGS))) {
                timings.addAll(linesOf(src.resolve(TIMINGS), strategy));
            }
            caches.add(src.resolve(GenerationCache.FILE));
            for (String name : SHARED) {
                Path f = src.resolve(name);
                if (!Files.exists(f)) {
                    continue;
                }
                Path first = shared.putIfAbsent(name, f);
                if (first != null && Files.mismatch(first, f) != -1L) {
                    throw new IOException("units of run seed " + seed + " disagree: " + first + " and " + f
                            + " differ; the units did not run the same experiment");
                }
            }
            Path from = src.resolve(strategy);
            Path to = target.resolve(strategy);
            if (Files.isDirectory(from)) {
                if (Files.exists(to)) {
                    // an older merge of a unit that has run again since: the unit's folder is the newer one
                    Path old = target.resolve("." + strategy + ".old-" + UUID.randomUUID());
                    Files.move(to, old, StandardCopyOption.ATOMIC_MOVE);
                    AtomicFiles.deleteTree(old);
                }
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } else if (!Files.isDirectory(to)) {
                throw new IOException("unit " + u.name() + ": its strategy folder is neither in " + from + " nor in "
                        + to);
            }
        }
        for (Map.Entry<String, Path> e : shared.entrySet()) {
            Path to = target.resolve(e.getKey());
            if (!Files.exists(to) || Files.mismatch(to, e.getValue()) != -1L) {
                AtomicFiles.write(to, Files.readAllBytes(e.getValue()));
            }
        }
        List<String> cache = unitedCache(caches);
        if (!cache.isEmpty()) {
            AtomicFiles.writeLines(target.resolve(GenerationCache.FILE), cache);
        }
        if (!timings.isEmpty()) {
            AtomicFiles.writeLines(target.resolve(TIMINGS), timings);
        }
        AtomicFiles.writeLines(target.resolve(RESULTS), records);
    }

    /** The non-blank lines of a unit's records or timings, each checked to be of the unit's strategy. */
    private static List<String> linesOf(Path file, String strategy) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String of = Json.parse(lines.get(i)).path("strategy").asText();
            if (!of.equals(strategy)) {
                throw new IOException(file + ":" + (i + 1) + ": a line of strategy '" + of + "' in the folder of unit"
                        + " strategy '" + strategy + "'");
            }
            out.add(lines.get(i));
        }
        return out;
    }

    /**
     * The complete lines of generation caches (missing files skipped), each key once (the first), in file order. A
     * cache entry is the same sample whoever generated it, so any one of equal keys will do.
     */
    static List<String> unitedCache(List<Path> caches) throws IOException {
        List<String> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Path f : caches) {
            if (!Files.exists(f)) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(f);
            int complete = bytes.length;
            while (complete > 0 && bytes[complete - 1] != '\n') {
                complete--; // the unterminated tail of an interrupted append
            }
            for (String line : new String(Arrays.copyOf(bytes, complete), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && keys.add(Json.parse(line).path("key").asText())) {
                    out.add(line);
                }
            }
        }
        return out;
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
            System.out.printf(Locale.ROOT, "experiment-grid: %d units (strategy, run seed), %d finished before, %d run"
                    + " now in %.1f s; report in %s%n", r.units().size(), r.skipped().size(), r.ran().size(),
                    r.seconds(), a.required("out"));
        } finally {
            spark.stop();
        }
    }
}
