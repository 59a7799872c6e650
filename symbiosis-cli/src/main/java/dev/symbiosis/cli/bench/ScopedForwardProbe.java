package dev.symbiosis.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.Training;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A measurement of suggestion 1 of docs/performance.md ({@code bench engine --only scoped_score}): the scoring
 * workload with the same operations as {@code Gpt2Model.Pass.hidden} (composite GELU included) on the same
 * weights, but each block's intermediates freed when the block ends (a nested {@link NDScope} per block) instead
 * of when the whole pass ends. Run it and {@code --only score} in separate JVMs and compare time and
 * {@code peak_rss_mib}. Benchmark-only: the engine is not changed.
 */
final class ScopedForwardProbe implements AutoCloseable {

    private final Gpt2Config gpt;
    private final Gpt2Model model;
    private final Map<String, NDArray> w = new HashMap<>();

    ScopedForwardProbe(BenchConfig cfg, NDManager parent) throws Exception {
        this.gpt = Gpt2Config.of(cfg.vocab(), cfg.maxPos(), cfg.dModel(), cfg.nLayer(), cfg.nHead(), cfg.vocab() - 1);
        this.model = Gpt2Model.create(parent, Device.cpu(), gpt, Gpt2Model.initialTensors(gpt, cfg.seed()), "probe",
                true, null, null, null, 0);
        List<String> names = model.trainableNames();
        List<NDArray> params = model.trainable();
        for (int i = 0; i < names.size(); i++) {
            w.put(names.get(i), params.get(i).stopGradient());
        }
    }

    /** The scoring iteration of {@link Gpt2Workloads#prepareScore()} with per-block scopes. */
    BenchStats.Action score(BenchConfig cfg) {
        int b = cfg.scoreBatch();
        int t = cfg.scoreLen();
        Random random = new Random(cfg.seed());
        long[] ids = new long[b * t];
        long[] next = new long[b * t];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(cfg.vocab());
        }
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < t; j++) {
                next[r * t + j] = j + 1 < t ? ids[r * t + j + 1] : gpt.eosTokenId();
            }
        }
        Training.noGrad();
        return () -> {
            try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
                NDArray tg = Training.owned(scratch.create(next, new Shape(b, t, 1)));
                NDArray pos = scratch.arange(0L, (long) t, 1L, DataType.INT64).reshape(1, t);
                NDArray r = scratch.arange(t);
                NDArray mask = r.reshape(1, t).gt(r.reshape(t, 1)).toType(DataType.FLOAT32, false)
                        .mul(c(scratch, -1e9f)).reshape(1, 1, t, t);
                NDArray h = embed(in, "transformer.wte.weight").add(embed(pos, "transformer.wpe.weight"));
                for (int l = 0; l < gpt.nLayer(); l++) {
                    NDArray out;
                    try (NDScope block = new NDScope()) {
                        block.suppressNotUsedWarning();
                        out = block(h, l, mask, scratch);
                        NDScope.unregister(out);
                    }
                    NDScope.register(out);
                    h = out;
                }
                NDArray lsm = layerNorm(h, "transformer.ln_f").matMul(w.get("transformer.wte.weight").transpose())
                        .logSoftmax(-1);
                float[] lp = lsm.gather(tg, 2).toFloatArray();
                float[] ent = lsm.exp().mul(lsm).sum(new int[] {2}).neg().toFloatArray();
                if (!Float.isFinite(lp[0]) || !Float.isFinite(ent[0])) {
                    throw new IllegalStateException("score is not finite");
                }
            }
        };
    }

    private NDArray block(NDArray h, int l, NDArray mask, NDManager scratch) {
        String p = "transformer.h." + l + ".";
        int heads = gpt.nHead();
        int hd = gpt.headDim();
        long b = h.getShape().get(0);
        long t = h.getShape().get(1);
        NDList qkv = linear(layerNorm(h, p + "ln_1"), p + "attn.c_attn").split(3, 2);
        NDArray q = qkv.get(0).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray k = qkv.get(1).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray v = qkv.get(2).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).mul(c(scratch, (float) (1.0 / Math.sqrt(hd)))).add(mask)
                .softmax(-1);
        NDArray o = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, gpt.nEmbd());
        NDArray x = h.add(linear(o, p + "attn.c_proj"));
        NDArray m = linear(layerNorm(x, p + "ln_2"), p + "mlp.c_fc");
        NDArray m3 = m.mul(m).mul(m);
        NDArray inner = m.add(m3.mul(c(scratch, 0.044715f))).mul(c(scratch, (float) Math.sqrt(2.0 / Math.PI)));
        NDArray g = m.mul(c(scratch, 0.5f)).mul(inner.tanh().add(c(scratch, 1f)));
        return x.add(linear(g, p + "mlp.c_proj"));
    }

    private NDArray embed(NDArray ids, String name) {
        return ids.getNDArrayInternal().embedding(ids, w.get(name), SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String prefix) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(gpt.nEmbd()), w.get(prefix + ".weight"),
                w.get(prefix + ".bias"), (float) gpt.layerNormEpsilon()).singletonOrThrow();
    }

    private NDArray linear(NDArray x, String prefix) {
        return x.matMul(w.get(prefix + ".weight")).add(w.get(prefix + ".bias"));
    }

    private static NDArray c(NDManager m, float v) {
        return m.full(new Shape(), v);
    }

    @Override
    public void close() {
        model.close();
    }
}
