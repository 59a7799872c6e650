package dev.symbiosis.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;

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

    static String missingNatives(String cause) {
        return "cannot start DJL's PyTorch engine (" + cause + "). The application must bring the PyTorch natives:"
                + " add the Maven dependency ai.djl.pytorch:pytorch-native-cpu:" + PYTORCH_VERSION + " with the"
                + " classifier of this platform (linux-x86_64, linux-aarch64, osx-aarch64 or win-x86_64), scope"
                + " runtime; for a GPU, point PYTORCH_LIBRARY_PATH at a CUDA build of libtorch " + PYTORCH_VERSION
                + " (docs/full-scale.md). Natives are never downloaded: every JVM of this project runs with"
                + " ai.djl.offline=true.";
    }
}
