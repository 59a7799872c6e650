package dev.symbiosis.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;

/**
 * DJL's PyTorch engine, or one clear error naming what the application must add.
 *
 * <p>The library depends on DJL's PyTorch engine and its JNI glue only; which native libtorch build runs is the
 * application's choice (the command line and the examples add the CPU build for Linux x86-64). With
 * {@code ai.djl.offline=true}, as every JVM of this project runs, DJL never downloads natives, so a class path without
 * them fails at the first model: this class turns DJL's low-level failure into a message naming the Maven
 * coordinates to add.
 */
public final class TorchEngine {

    /** The libtorch version the engine's JNI library is built against. */
    public static final String PYTORCH_VERSION = "2.7.1";

    private TorchEngine() {}

    /**
     * The PyTorch engine.
     *
     * @throws IllegalStateException if DJL cannot load the PyTorch natives, naming the dependency to add
     */
    public static Engine get() {
        try {
            Engine engine = Engine.getEngine("PyTorch");
            if (engine == null) {
                throw new EngineException("the PyTorch engine is not on the class path");
            }
            return engine;
        } catch (EngineException | UnsatisfiedLinkError | IllegalArgumentException e) {
            throw new IllegalStateException(missingNatives(e.getMessage()), e);
        }
    }

    /**
     * PyTorch's intra-op thread count as the calling thread sees it: the process-wide value
     * ({@code ai.djl.pytorch.num_threads} at start, or {@link #setIntraOpThreads}), which every thread takes at its
     * first operation.
     *
     * @throws IllegalStateException if the engine cannot start
     */
    public static int intraOpThreads() {
        get();
        return JniUtils.getNumThreads();
    }

    /**
     * Sets PyTorch's intra-op thread count for the process: the calling thread at once, every thread that has not
     * run an operation yet at its first one (threads that already ran some keep theirs). E.g. one thread per model
     * when several models work on threads of their own at once.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws IllegalStateException if the engine cannot start
     */
    public static void setIntraOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        get();
        JniUtils.setNumThreads(threads);
    }

    static String missingNatives(String cause) {
        return "cannot start DJL's PyTorch engine (" + cause + "). The application must bring the PyTorch natives:"
                + " add the Maven dependency ai.djl.pytorch:pytorch-native-cpu:" + PYTORCH_VERSION + " with the"
                + " classifier of this platform (linux-x86_64, linux-aarch64, osx-aarch64 or win-x86_64), scope"
                + " runtime; for a GPU, point PYTORCH_LIBRARY_PATH at a CUDA build of libtorch " + PYTORCH_VERSION
                + " (docs/full-scale.md). Natives are never downloaded: every JVM of this project runs with"
                + " ai.djl.offline=true.";
    }
}
