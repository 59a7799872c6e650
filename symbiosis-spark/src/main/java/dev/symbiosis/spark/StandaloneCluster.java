package dev.symbiosis.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on this machine: a master JVM and a worker JVM started from a class path (for
 * example the build's), so that executors are processes of their own. No Spark distribution is needed: the worker
 * gets a {@code SPARK_HOME} whose {@code jars/} folder is empty, and executors receive the class path through
 * {@code spark.executor.extraClassPath} ({@link #configure}).
 *
 * <p>For tests and the benchmark; a production cluster is started with Spark's own scripts (docs/scale-out.md).
 * {@link #close()} stops the worker (which ends its executors) and the master, forcibly after a grace period.
 */
public final class StandaloneCluster implements AutoCloseable {

    private final String classPath;
    private final Path home;
    private final int masterPort;
    private final Process master;
    private final Process worker;
    private final Path workerLog;

    private StandaloneCluster(String classPath, Path home, int masterPort, Process master, Process worker,
            Path workerLog) {
        this.classPath = classPath;
        this.home = home;
        this.masterPort = masterPort;
        this.master = master;
        this.worker = worker;
        this.workerLog = workerLog;
    }

    /**
     * Starts a master and one worker and waits until the worker has registered.
     *
     * @param classPath the class path of master, worker and executors (Spark, this module and its dependencies)
     * @param workerCores cores the worker offers
     * @param workerMemory memory the worker offers, e.g. {@code "2g"}
     * @param dir a folder for SPARK_HOME, logs and the worker's work dir
     * @throws IOException if a JVM cannot be started or the worker does not register within 180 s (a loaded machine is slow)
     */
    public static StandaloneCluster start(String classPath, int workerCores, String workerMemory, Path dir)
            throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        Path work = Files.createDirectories(dir.resolve("work"));
        // the daemons log at INFO whatever log4j2 configuration the class path holds: start-up is read from the log
        Files.writeString(dir.resolve("log4j2-daemon.properties"), String.join("\n",
                "rootLogger.level = info", "rootLogger.appenderRef.stdout.ref = console",
                "appender.console.type = Console", "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n"), StandardCharsets.UTF_8);
        int port = freePort();
        Path masterLog = dir.resolve("master.log");
        Process master = launch(classPath, home, masterLog, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        Path workerLog = dir.resolve("worker.log");
        Process worker;
        try {
            waitFor(masterLog, "Starting Spark master at", master, 180);
            worker = launch(classPath, home, workerLog, "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", Integer.toString(workerCores), "--memory", workerMemory,
                    "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(),
                    "spark://127.0.0.1:" + port);
        } catch (IOException | RuntimeException e) {
            stop(master);
            throw e;
        }
        StandaloneCluster c = new StandaloneCluster(classPath, home, port, master, worker, workerLog);
        try {
            waitFor(workerLog, "Successfully registered with master", worker, 180);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The master URL, {@code spark://127.0.0.1:port}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Process ids of the master and the worker. */
    public List<Long> daemonPids() {
        return List.of(master.pid(), worker.pid());
    }

    /**
     * Points {@code conf} at this cluster: master, driver host, no UI, executors with this cluster's class path, the
     * given cores and memory each (and {@link SparkJobs#configure}).
     */
    public SparkConf configure(SparkConf conf, int executorCores, String executorMemory, int maxCores) {
        conf.setMaster(masterUrl())
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraClassPath", classPath)
                .set("spark.executor.cores", Integer.toString(executorCores))
                .set("spark.executor.memory", executorMemory)
                .set("spark.cores.max", Integer.toString(maxCores))
                .setExecutorEnv("SPARK_LOCAL_IP", "127.0.0.1");
        return SparkJobs.configure(conf);
    }

    /** The worker's log (executor launch failures show there and in the work dir's stderr files). */
    public Path workerLog() {
        return workerLog;
    }

    @Override
    public void close() {
        stop(worker);
        stop(master);
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>(p.descendants().toList());
        p.destroy(); // SIGTERM: a worker ends its executors
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }

    private static Process launch(String classPath, Path home, Path log, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        for (String opt : JavaModuleOptions.defaultModuleOptions().split("\\s+")) {
            if (!opt.isBlank()) {
                cmd.add(opt);
            }
        }
        for (String opt : SparkJobs.OFFLINE_JAVA_OPTIONS.split(" ")) {
            cmd.add(opt);
        }
        cmd.add("-Dlog4j2.configurationFile=" + home.getParent().resolve("log4j2-daemon.properties").toUri());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    private static void waitFor(Path log, String line, Process p, int seconds) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IOException("process ended before \"" + line + "\"; see " + log);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("no \"" + line + "\" within " + seconds + " s; see " + log);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
