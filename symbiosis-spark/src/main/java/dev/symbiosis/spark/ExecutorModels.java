package dev.symbiosis.spark;

import ai.djl.Device;
import dev.symbiosis.djl.DjlLanguageModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Models and other heavy resources of an executor JVM: loaded once per JVM, reused by every task that JVM runs,
 * closed when the JVM exits (a shutdown hook). DJL's own Spark extension loads a model once per partition and never
 * closes it; here a task {@linkplain #lease borrows} a model and gives it back when done.
 *
 * <p><b>One model per executor.</b> A {@link DjlLanguageModel} is not thread-safe, so the JVM keeps a pool per
 * (checkpoint, device): a task takes an idle instance or, when every instance is busy with another task of the same
 * JVM, loads one more. The pool therefore holds as many instances as the JVM runs model tasks at once: one on a GPU
 * executor (executor and task GPU amount 1, so one task at a time) or an executor with
 * {@code spark.executor.cores = spark.task.cpus}; N in {@code local[N]}, where the driver JVM runs N task threads.
 *
 * <p><b>Device.</b> The GPU Spark assigned to the task ({@code TaskContext.resources().get("gpu")}, first address),
 * else the CPU (local mode has no resource scheduling). <b>Threads.</b> PyTorch's intra-op thread count is per
 * process and fixed when the engine starts: unless {@code -Dai.djl.pytorch.num_threads} is given, it is set to the
 * task's CPUs ({@code spark.task.cpus}, default 1) before the first model of the JVM is loaded.
 *
 * <p><b>Offline.</b> Loading refuses to run in a JVM without {@code -Dai.djl.offline=true} (an executor would
 * otherwise try to download natives when they are missing from its class path): see
 * {@link SparkJobs#OFFLINE_JAVA_OPTIONS}.
 */
public final class ExecutorModels {

    private static final Map<String, ConcurrentLinkedDeque<DjlLanguageModel>> IDLE = new ConcurrentHashMap<>();
    private static final List<AutoCloseable> OPENED = new ArrayList<>();
    private static final Map<String, Object> SHARED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "symbiosis-executor-models"));
    }

    /**
     * Held around gradient work (saliency, training): DJL 0.36's PyTorch engine allows one gradient collector per
     * process ("A PtGradientCollector is already collecting"), so tasks of one JVM take turns for it.
     */
    private static final java.util.concurrent.locks.ReentrantLock GRADIENTS =
            new java.util.concurrent.locks.ReentrantLock(true);

    private ExecutorModels() {}

    /**
     * Runs {@code work} while no other task of this JVM does gradient work (saliency, training): DJL's PyTorch
     * engine has one gradient collector per process.
     */
    public static <T> T withGradients(Supplier<T> work) {
        GRADIENTS.lock();
        try {
            return work.get();
        } finally {
            GRADIENTS.unlock();
        }
    }

    /** Takes the JVM's gradient lock (see {@link #withGradients}); release with {@link #releaseGradients}. */
    static void lockGradients() {
        GRADIENTS.lock();
    }

    static void releaseGradients() {
        GRADIENTS.unlock();
    }

    /** A borrowed model; {@link #close()} gives it back to the JVM's pool (it is not closed). */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private DjlLanguageModel model;

        private Lease(String key, DjlLanguageModel model) {
            this.key = key;
            this.model = model;
        }

        public DjlLanguageModel model() {
            if (model == null) {
                throw new IllegalStateException("lease already returned");
            }
            return model;
        }

        @Override
        public void close() {
            if (model != null) {
                IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(model);
                model = null;
            }
        }
    }

    /**
     * Borrows a model of {@code checkpoint} on the task's device, loading it if this JVM has no idle one.
     *
     * @param checkpoint a checkpoint folder: a local path present on every executor, or any Hadoop file system URI
     *     (copied once per JVM, see {@link Checkpoints#localCopy})
     */
    public static Lease lease(String checkpoint) {
        return lease(checkpoint, 0);
    }

    /**
     * As {@link #lease(String)}, for generation: the model decodes up to {@code generationRows} rows of a call
     * together ({@link DjlLanguageModel.Builder#optGenerationRows}; its default, {@code maxBatchTokens / context}
     * rows, is 2 for a 2,048-token context). Models of different generation rows are pooled apart.
     *
     * @param generationRows rows decoded together, or 0 for the engine's default
     * @throws IllegalArgumentException if {@code generationRows < 0}
     */
    public static Lease lease(String checkpoint, int generationRows) {
        if (generationRows < 0) {
            throw new IllegalArgumentException("generation rows must be >= 0, got " + generationRows);
        }
        Device device = taskDevice();
        String key = checkpoint + "@" + device + (generationRows > 0 ? "#rows=" + generationRows : "");
        ConcurrentLinkedDeque<DjlLanguageModel> idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        DjlLanguageModel m = idle.poll();
        if (m == null) {
            m = load(checkpoint, device, generationRows);
        }
        return new Lease(key, m);
    }

    private static DjlLanguageModel load(String checkpoint, Device device, int generationRows) {
        requireOffline();
        configureThreads();
        try {
            Path dir = Checkpoints.localCopy(checkpoint);
            DjlLanguageModel.Builder b = DjlLanguageModel.builder(dir).optDevice(device);
            if (generationRows > 0) {
                b.optGenerationRows(generationRows);
            }
            DjlLanguageModel m = b.build();
            synchronized (OPENED) {
                OPENED.add(m);
            }
            LOADS.incrementAndGet();
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load checkpoint " + checkpoint + " on " + device, e);
        }
    }

    /**
     * A thread-safe resource shared by every task of this JVM (a sentence encoder, a tagger), created on first use
     * and closed with the JVM when it is {@link AutoCloseable}.
     */
    @SuppressWarnings("unchecked")
    public static <T> T shared(String key, Supplier<T> create) {
        Objects.requireNonNull(key, "key");
        return (T) SHARED.computeIfAbsent(key, k -> {
            requireOffline();
            configureThreads();
            T value = create.get();
            if (value instanceof AutoCloseable c) {
                synchronized (OPENED) {
                    OPENED.add(c);
                }
            }
            LOADS.incrementAndGet();
            return value;
        });
    }

    /** How many models and shared resources this JVM has loaded so far. */
    public static int loads() {
        return LOADS.get();
    }

    /** The device of the running task: its first assigned GPU, else the CPU (also outside a task). */
    public static Device taskDevice() {
        TaskContext tc = TaskContext.get();
        if (tc != null) {
            ResourceInformation gpu = tc.resourcesJMap().get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                return Device.gpu(Integer.parseInt(gpu.addresses()[0].trim()));
            }
        }
        return Device.cpu();
    }

    /** Intra-op threads per task: {@code spark.task.cpus} unless the JVM was started with a setting. */
    static void configureThreads() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            TaskContext tc = TaskContext.get();
            int cpus = tc == null ? 1 : Math.max(1, tc.cpus());
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(cpus));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** Fails unless this JVM runs DJL offline (the executors' extraJavaOptions). */
    static void requireOffline() {
        boolean offline = "true".equalsIgnoreCase(System.getProperty("ai.djl.offline"))
                || "true".equalsIgnoreCase(System.getenv("DJL_OFFLINE"));
        if (!offline) {
            throw new IllegalStateException("this JVM runs without -Dai.djl.offline=true: add \""
                    + SparkJobs.OFFLINE_JAVA_OPTIONS + "\" to spark.executor.extraJavaOptions (SparkJobs.configure"
                    + " does) so that no executor downloads PyTorch natives or models");
        }
    }

    /** Closes every model and resource of this JVM (the shutdown hook; tests call it too). */
    public static void closeAll() {
        List<AutoCloseable> all;
        synchronized (OPENED) {
            all = new ArrayList<>(OPENED);
            OPENED.clear();
        }
        IDLE.clear();
        SHARED.clear();
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // closing at JVM exit: nothing left to report to
            }
        }
    }
}
