package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A gradient collector for the calling thread only, so that independent models can train at once in one JVM.
 *
 * <p>DJL 0.36's {@code PtGradientCollector} refuses a second collector anywhere in the process ("Only one can be
 * collecting at a time", a static flag), although what it switches, libtorch's grad mode, is thread-local. This
 * collector does what DJL's does (grad mode on for this thread, backward from a tensor of ones, grad mode restored
 * on close) without the process-wide flag. (It has no {@code zeroGradients}: DJL's zeroes every array of the
 * engine, which would touch other threads' models; callers read and detach their own parameters' gradients.) Models must not share parameters across threads that collect at once.
 * Not for use across threads: open, use and close it on one thread.
 */
public final class ThreadGradients implements AutoCloseable {

    private final boolean gradModeBefore;

    private ThreadGradients() {
        this.gradModeBefore = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording the calling thread's operations for backward. */
    public static ThreadGradients collect() {
        return new ThreadGradients();
    }

    /** Accumulates d target / d x into the gradient of every array {@code x} that requires one. */
    public void backward(NDArray target) {
        try (NDArray ones = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
        }
    }

    @Override
    public void close() {
        if (!gradModeBefore) {
            JniUtils.setGradMode(false);
        }
    }
}
