package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two threads record and back-propagate at the same time (DJL's own collector refuses the second), each getting
 * exactly the gradient of its own graph: d/dw sum(tanh(x w)) against the closed form x^T (1 - tanh^2(x w)).
 */
class ThreadGradientsTest {

    private static float[] gradient(NDManager root, float[] x, float[] w, CyclicBarrier together) throws Exception {
        try (NDManager m = root.newSubManager()) {
            NDArray xs = m.create(x, new Shape(4, 3));
            NDArray ws = m.create(w, new Shape(3, 2));
            ws.setRequiresGradient(true);
            try (ThreadGradients g = ThreadGradients.collect()) {
                NDArray y = xs.matMul(ws).tanh().sum();
                together.await(); // both threads hold an open collector and a recorded graph here
                g.backward(y);
            }
            return ws.getGradient().toFloatArray();
        }
    }

    private static float[] closedForm(float[] x, float[] w) {
        float[] g = new float[6];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double z = 0;
                for (int k = 0; k < 3; k++) {
                    z += x[i * 3 + k] * w[k * 2 + j];
                }
                double d = 1 - Math.tanh(z) * Math.tanh(z);
                for (int k = 0; k < 3; k++) {
                    g[k * 2 + j] += (float) (x[i * 3 + k] * d);
                }
            }
        }
        return g;
    }

    @Test
    void twoThreadsCollectAtOnceAndGetTheirOwnGradients() throws Exception {
        float[][] xs = {{0.1f, -0.2f, 0.3f, 0.5f, 0.1f, -0.4f, 0.2f, 0.2f, 0.2f, -0.3f, 0.6f, 0.0f},
                {1.0f, 0.5f, -0.5f, 0.2f, -0.1f, 0.3f, 0.7f, -0.2f, 0.1f, 0.4f, 0.4f, -0.6f}};
        float[][] ws = {{0.3f, -0.1f, 0.2f, 0.4f, -0.5f, 0.1f}, {-0.2f, 0.6f, 0.1f, -0.3f, 0.2f, 0.5f}};
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (NDManager root = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            List<Future<float[]>> got = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int k = t;
                got.add(pool.submit(() -> gradient(root, xs[k], ws[k], together)));
            }
            for (int t = 0; t < 2; t++) {
                assertArrayEquals(closedForm(xs[t], ws[t]), got.get(t).get(), 1e-5f, "thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
        Training.noGrad();
        assertFalse(JniUtils.isGradMode(), "grad mode restored on this thread");
    }
}
