package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused kernels against plain-Java double-precision references of the same formulas: values, and the
 * gradients autograd gives through them.
 */
class TorchKernelsTest {

    private static float[] randn(Random r, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sd);
        }
        return x;
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void geluTanhMatchesTheFormulaAndItsDerivative() {
        float[] x = randn(new Random(1), 257, 3);
        x[0] = 0f;
        x[1] = -12f;
        x[2] = 12f;
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray in = m.create(x, new Shape(x.length));
            in.setRequiresGradient(true);
            float[] y;
            float[] g;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = TorchKernels.get().geluTanh(in);
                y = out.toFloatArray();
                gc.backward(out.sum());
                g = in.getGradient().toFloatArray();
            } finally {
                Training.noGrad();
            }
            for (int i = 0; i < x.length; i++) {
                double h = 1e-4;
                double ref = geluTanh(x[i]);
                double dref = (geluTanh(x[i] + h) - geluTanh(x[i] - h)) / (2 * h);
                assertEquals(ref, y[i], 1e-5 * Math.max(1, Math.abs(ref)), "value at " + x[i]);
                assertEquals(dref, g[i], 1e-4, "derivative at " + x[i]);
            }
        }
    }

    /** softmax(q k^T * scale + mask) v in doubles, for (B, H, T, D) given flat. */
    static double[] attention(float[] q, float[] k, float[] v, int bh, int tq, int tk, int d, double scale,
            float[] mask) {
        double[] out = new double[bh * tq * d];
        for (int s = 0; s < bh; s++) {
            for (int i = 0; i < tq; i++) {
                double[] w = new double[tk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tk; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += (double) q[(s * tq + i) * d + c] * k[(s * tk + j) * d + c];
                    }
                    w[j] = dot * scale + (mask == null ? (j > i ? Double.NEGATIVE_INFINITY : 0) : mask[i * tk + j]);
                    max = Math.max(max, w[j]);
                }
                double z = 0;
                for (int j = 0; j < tk; j++) {
                    w[j] = Math.exp(w[j] - max);
                    z += w[j];
                }
                for (int j = 0; j < tk; j++) {
                    for (int c = 0; c < d; c++) {
                        out[(s * tq + i) * d + c] += w[j] / z * v[(s * tk + j) * d + c];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void causalAndMaskedAttentionMatchTheReferenceAndTheirGradientsAgree() {
        int b = 2;
        int h = 3;
        int t = 9;
        int d = 8;
        double scale = 1 / Math.sqrt(d);
        Random r = new Random(7);
        float[] q = randn(r, b * h * t * d, 1);
        float[] k = randn(r, b * h * t * d, 1);
        float[] v = randn(r, b * h * t * d, 1);
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = -1e9f;
            }
        }
        double[] ref = attention(q, k, v, b * h, t, t, d, scale, null);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Shape shape = new Shape(b, h, t, d);
            float[][] grads = new float[2][];
            for (int route = 0; route < 2; route++) {
                NDArray qa = m.create(q, shape);
                NDArray ka = m.create(k, shape);
                NDArray va = m.create(v, shape);
                qa.setRequiresGradient(true);
                float[] y;
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray out = route == 0
                            ? TorchKernels.get().causalAttention(qa, ka, va)
                            : TorchKernels.get().attention(qa, ka, va, m.create(mask, new Shape(1, 1, t, t)));
                    y = out.toFloatArray();
                    gc.backward(out.mul(out).sum());
                    grads[route] = qa.getGradient().toFloatArray();
                } finally {
                    Training.noGrad();
                }
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], y[i], 1e-5, "route " + route + " output " + i);
                }
            }
            double norm = 0;
            for (int i = 0; i < grads[0].length; i++) {
                assertEquals(grads[0][i], grads[1][i], 1e-5, "gradient " + i);
                norm += grads[0][i] * grads[0][i];
            }
            assertTrue(norm > 1e-3, "the query receives a gradient");
        }
    }
}
