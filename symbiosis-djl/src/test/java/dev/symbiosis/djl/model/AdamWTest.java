package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AdamW against a plain-Java double implementation of its documented formula, and its state round trip. */
class AdamWTest {

    /** One parameter's reference state. */
    private static final class Ref {
        final double[] p;
        final double[] m;
        final double[] v;
        final boolean decays;

        Ref(float[] init, boolean decays) {
            p = new double[init.length];
            for (int i = 0; i < init.length; i++) {
                p[i] = init[i];
            }
            m = new double[init.length];
            v = new double[init.length];
            this.decays = decays;
        }

        void step(float[] grad, long t, double lr, double wd, double scale) {
            double bc1 = 1 - Math.pow(0.9, t);
            double bc2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < p.length; i++) {
                double g = grad[i] * scale;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double upd = lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + 1e-8);
                if (decays && wd > 0) {
                    p[i] *= 1 - lr * wd;
                }
                p[i] -= upd;
            }
        }
    }

    private static float[] randn(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void updatesFollowTheFormulaWithDecayOnMatricesOnly() {
        Random r = new Random(3);
        float[] w0 = randn(r, 12);
        float[] b0 = randn(r, 4);
        Ref w = new Ref(w0, true);
        Ref b = new Ref(b0, false);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray wa = m.create(w0, new Shape(3, 4));
            NDArray ba = m.create(b0, new Shape(4));
            try (AdamW opt = new AdamW(m, List.of("w", "b"), List.of(wa, ba))) {
                double[] lrs = {1e-2, 5e-3, 2e-2, 1e-3, 1e-2};
                double[] scales = {1.0, 0.5, 1.0, 0.25, 1.0};
                for (int s = 0; s < lrs.length; s++) {
                    float[] gw = randn(r, 12);
                    float[] gb = randn(r, 4);
                    opt.update(List.of(wa, ba), List.of(m.create(gw, new Shape(3, 4)), m.create(gb, new Shape(4))),
                            lrs[s], 0.1, scales[s]);
                    w.step(gw, s + 1, lrs[s], 0.1, scales[s]);
                    b.step(gb, s + 1, lrs[s], 0.1, scales[s]);
                }
                assertEquals(lrs.length, opt.stepCount());
            }
            float[] wg = wa.toFloatArray();
            float[] bg = ba.toFloatArray();
            for (int i = 0; i < wg.length; i++) {
                assertEquals(w.p[i], wg[i], 1e-5, "w[" + i + "]");
            }
            for (int i = 0; i < bg.length; i++) {
                assertEquals(b.p[i], bg[i], 1e-5, "b[" + i + "] (no decay)");
            }
        }
    }

    @Test
    void stateRoundTripsAndMisShapedStateIsRefusedNamingTheSource() throws IOException {
        Random r = new Random(5);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = m.create(randn(r, 6), new Shape(2, 3));
            NDArray c = a.duplicate();
            try (AdamW first = new AdamW(m, List.of("a"), List.of(a));
                    AdamW second = new AdamW(m, List.of("a"), List.of(c))) {
                NDArray g = m.create(randn(r, 6), new Shape(2, 3));
                first.update(List.of(a), List.of(g), 1e-2, 0.0, 1.0);
                second.update(List.of(c), List.of(g), 1e-2, 0.0, 1.0);
                Map<String, Tensor> state = first.toTensors();
                try (AdamW restored = new AdamW(m, List.of("a"), List.of(c))) {
                    restored.load(state, first.stepCount(), "opt.safetensors");
                    NDArray g2 = m.create(randn(r, 6), new Shape(2, 3));
                    first.update(List.of(a), List.of(g2), 1e-2, 0.0, 1.0);
                    restored.update(List.of(c), List.of(g2), 1e-2, 0.0, 1.0);
                    float[] x = a.toFloatArray();
                    float[] y = c.toFloatArray();
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(x[i], y[i], 0f, "restored optimizer continues identically at " + i);
                    }
                }
                Map<String, Tensor> bad = Map.of("m.a", new Tensor(new long[] {3, 2}, new float[6]),
                        "v.a", new Tensor(new long[] {2, 3}, new float[6]));
                IOException e = assertThrows(IOException.class, () -> second.load(bad, 1, "opt.safetensors"));
                assertEquals(true, e.getMessage().contains("opt.safetensors") && e.getMessage().contains("m.a"),
                        e.getMessage());
            }
        }
    }
}
