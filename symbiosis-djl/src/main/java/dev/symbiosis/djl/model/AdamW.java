package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) over a fixed list of arrays: {@code m = b1 m + (1-b1) g},
 * {@code v = b2 v + (1-b2) g^2}, {@code p -= lr (m_hat / (sqrt(v_hat) + eps)) + lr wd p}, with decoupled weight
 * decay applied to arrays of rank {@code >= 2} only (not to biases and LayerNorm gains). Betas 0.9 / 0.999, eps
 * 1e-8. Updates run in place with gradient recording off.
 *
 * <p>Not thread-safe. Close to free the moment arrays.
 */
public final class AdamW implements AutoCloseable {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    private final NDManager manager;
    private final List<String> names;
    private final NDArray[] m;
    private final NDArray[] v;
    private long step;

    /** Fresh state (zero moments, step 0) for the given arrays. */
    public AdamW(NDManager parent, List<String> names, List<NDArray> params) {
        this.manager = parent.newSubManager();
        this.names = List.copyOf(names);
        this.m = new NDArray[params.size()];
        this.v = new NDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            m[i] = manager.zeros(params.get(i).getShape());
            v[i] = manager.zeros(params.get(i).getShape());
        }
    }

    /** Number of updates applied so far. */
    public long stepCount() {
        return step;
    }

    /**
     * Applies one update with the given gradients (already clipped or scaled by {@code gradScale}).
     *
     * @param gradScale factor applied to every gradient first (global-norm clipping), {@code > 0}
     */
    public void update(List<NDArray> params, List<NDArray> grads, double lr, double weightDecay, double gradScale) {
        step++;
        float bc1 = (float) (1 - Math.pow(BETA1, step));
        float bc2 = (float) (1 - Math.pow(BETA2, step));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray scaled = gradScale == 1.0 ? null : grads.get(i).mul((float) gradScale);
            NDArray g = scaled == null ? grads.get(i) : scaled;
            // The same operations in the same order as the formula, with each temporary reused in place and
            // closed at once (five buffers per array instead of nine, none left for the caller's scope).
            NDArray tmp = g.mul(1 - BETA1);
            m[i].muli(BETA1).addi(tmp);
            tmp.close();
            tmp = g.square();
            tmp.muli(1 - BETA2);
            v[i].muli(BETA2).addi(tmp);
            tmp.close();
            tmp = v[i].div(bc2);
            NDArray denom = tmp.sqrt();
            tmp.close();
            denom.addi(EPS);
            NDArray upd = m[i].div(bc1);
            upd.divi(denom).muli((float) lr);
            denom.close();
            if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                p.muli((float) (1 - lr * weightDecay));
            }
            p.subi(upd);
            upd.close();
            if (scaled != null) {
                scaled.close();
            }
        }
    }

    /** The moments as tensors named {@code m.<name>} / {@code v.<name>}. */
    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) {
            out.put("m." + names.get(i), new Tensor(m[i].getShape().getShape(), m[i].toFloatArray()));
            out.put("v." + names.get(i), new Tensor(v[i].getShape().getShape(), v[i].toFloatArray()));
        }
        return out;
    }

    /**
     * Restores moments and step count saved by {@link #toTensors()}.
     *
     * @throws IOException naming {@code source} if a moment is missing or mis-shaped
     */
    public void load(Map<String, Tensor> tensors, long steps, String source) throws IOException {
        for (int i = 0; i < m.length; i++) {
            for (String kind : new String[] {"m.", "v."}) {
                Tensor t = tensors.get(kind + names.get(i));
                NDArray target = kind.equals("m.") ? m[i] : v[i];
                if (t == null) {
                    throw new IOException(source + ": missing optimizer tensor '" + kind + names.get(i) + "'");
                }
                if (!Arrays.equals(t.shape(), target.getShape().getShape())) {
                    throw new IOException(source + ": optimizer tensor '" + kind + names.get(i) + "' has shape "
                            + Arrays.toString(t.shape()));
                }
                NDArray tmp = manager.create(t.data(), target.getShape());
                NDArray owned = tmp.duplicate();
                tmp.close();
                target.close();
                if (kind.equals("m.")) {
                    m[i] = owned;
                } else {
                    v[i] = owned;
                }
            }
        }
        this.step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
