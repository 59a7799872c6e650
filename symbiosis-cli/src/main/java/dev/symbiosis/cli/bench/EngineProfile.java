package dev.symbiosis.cli.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.AdamW;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.TorchKernels;
import dev.symbiosis.djl.model.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where the engine's training step spends its time ({@code bench engine --only profile}): the step split into
 * forward + loss, backward, gradient norm and AdamW (the phases of {@link Training#step}, timed separately on the
 * same model and batch), the cost of one small NDArray operation (JNI call, allocation, scope bookkeeping), and two
 * building blocks measured against PyTorch's fused kernels: the composite tanh GELU vs the engine's fused one
 * ({@link TorchKernels}) and the exact {@code gelu}, and {@code matMul + add} vs {@code linear} (addmm), each forward
 * + backward at the MLP's activation size; and one layer's causal attention, composite (scores, mask, softmax) vs
 * the engine's {@code scaled_dot_product_attention}.
 */
final class EngineProfile {

    private EngineProfile() {}

    static ObjectNode run(BenchConfig cfg, NDManager parent) throws Exception {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Training.noGrad();
        try (NDManager m = parent.newSubManager()) {
            o.put("small_op_us", BenchStats.round3(smallOpMicros(m)));
            trainPhases(cfg, m, o);
            blocks(cfg, m, o);
        }
        return o;
    }

    /** Median time of {@code a.add(b)} on 1-element arrays inside an NDScope, in microseconds. */
    private static double smallOpMicros(NDManager m) throws Exception {
        NDArray a = m.ones(new Shape(1));
        NDArray b = m.ones(new Shape(1));
        int perRound = 1000;
        BenchStats s = BenchStats.time(3, 15, () -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                for (int i = 0; i < perRound; i++) {
                    a.add(b);
                }
            }
        });
        return s.median() * 1000.0 / perRound;
    }

    private static void trainPhases(BenchConfig cfg, NDManager m, ObjectNode o) throws Exception {
        Gpt2Config gpt = Gpt2Config.of(cfg.vocab(), cfg.maxPos(), cfg.dModel(), cfg.nLayer(), cfg.nHead(),
                cfg.vocab() - 1);
        Map<String, Tensor> init = Gpt2Model.initialTensors(gpt, cfg.seed());
        int b = cfg.batch();
        int t = cfg.ctx();
        Random rnd = new Random(cfg.seed());
        long[] inputs = new long[b * t];
        long[] targets = new long[b * t];
        for (int i = 0; i < b * t; i++) {
            inputs[i] = rnd.nextInt(cfg.vocab());
            targets[i] = rnd.nextInt(cfg.vocab());
        }
        try (Gpt2Model model = Gpt2Model.create(m, Device.cpu(), gpt, init, "profile", true, null, null, null, 0);
                AdamW opt = new AdamW(model.manager(), model.trainableNames(), model.trainable())) {
            List<NDArray> params = model.trainable();
            int n = Math.max(3, cfg.iters() / 2);
            double[] fwd = new double[n];
            double[] bwd = new double[n];
            double[] norm = new double[n];
            double[] upd = new double[n];
            for (int it = -cfg.warmup(); it < n; it++) {
                try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
                    scope.suppressNotUsedWarning();
                    NDArray ids = Training.owned(scratch.create(inputs, new Shape(b, t)));
                    NDArray tg = Training.owned(scratch.create(targets, new Shape(b, t, 1)));
                    long t0 = System.nanoTime();
                    long t1;
                    long t2;
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray loss = model.forwardLogits(scratch, ids, true, null).logSoftmax(-1).gather(tg, 2)
                                .mean().neg();
                        loss.getFloat();
                        t1 = System.nanoTime();
                        gc.backward(loss);
                        t2 = System.nanoTime();
                    } finally {
                        Training.noGrad();
                    }
                    List<NDArray> grads = new ArrayList<>(params.size());
                    double gradNorm = Training.gradientNorm(params, grads);
                    long t3 = System.nanoTime();
                    Training.clippedUpdate(params, grads, gradNorm, opt, 1e-3, 0.01, 1.0);
                    long t4 = System.nanoTime();
                    if (it >= 0) {
                        fwd[it] = (t1 - t0) / 1e6;
                        bwd[it] = (t2 - t1) / 1e6;
                        norm[it] = (t3 - t2) / 1e6;
                        upd[it] = (t4 - t3) / 1e6;
                    }
                }
            }
            o.set("train_forward_loss_ms", BenchStats.of(fwd).toJson());
            o.set("train_backward_ms", BenchStats.of(bwd).toJson());
            o.set("train_grad_norm_ms", BenchStats.of(norm).toJson());
            o.set("train_adamw_ms", BenchStats.of(upd).toJson());
            o.put("train_param_arrays", params.size());
        }
    }

    /** GELU and linear at the MLP's size (batch x ctx x 4d), forward + backward, composite vs fused. */
    private static void blocks(BenchConfig cfg, NDManager m, ObjectNode o) throws Exception {
        int rows = cfg.batch() * cfg.ctx();
        int d = cfg.dModel();
        NDArray x = m.randomNormal(new Shape(rows, 4L * d));
        NDArray xin = m.randomNormal(new Shape(rows, d));
        NDArray w = m.randomNormal(new Shape(d, 4L * d)).mul(0.02f);
        NDArray bias = m.zeros(new Shape(4L * d));
        w.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        int warm = Math.max(1, cfg.warmup());
        int n = Math.max(3, cfg.iters() / 2);
        o.set("gelu_tanh_composite_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(x, true, in -> {
            NDArray x3 = in.mul(in).mul(in);
            NDArray inner = in.add(x3.mul(c(in, 0.044715f))).mul(c(in, (float) Math.sqrt(2.0 / Math.PI)));
            return in.mul(c(in, 0.5f)).mul(inner.tanh().add(c(in, 1f)));
        })).toJson());
        o.set("gelu_tanh_fused_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(x, true,
                in -> TorchKernels.get().geluTanh(in))).toJson());
        o.set("gelu_native_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(x, true,
                in -> in.getNDArrayInternal().gelu())).toJson());
        // one layer's attention core, (batch, heads, ctx, head_dim), gradient to the queries
        Shape qkv = new Shape(cfg.batch(), cfg.nHead(), cfg.ctx(), d / cfg.nHead());
        NDArray q = m.randomNormal(qkv);
        NDArray k = m.randomNormal(qkv);
        NDArray v = m.randomNormal(qkv);
        NDArray r = m.arange(cfg.ctx());
        NDArray causal = r.reshape(1, cfg.ctx()).gt(r.reshape(cfg.ctx(), 1)).toType(DataType.FLOAT32, false)
                .mul(-1e9f).reshape(1, 1, cfg.ctx(), cfg.ctx());
        float scale = (float) (1 / Math.sqrt(d / cfg.nHead()));
        o.set("attention_composite_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(q, true,
                in -> in.matMul(k.transpose(0, 1, 3, 2)).mul(c(in, scale)).add(causal).softmax(-1).matMul(v)))
                .toJson());
        o.set("attention_fused_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(q, true,
                in -> TorchKernels.get().causalAttention(in, k, v))).toJson());
        o.set("linear_matmul_add_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(xin, false,
                in -> in.matMul(w).add(bias))).toJson());
        o.set("linear_fused_fwd_bwd_ms", BenchStats.time(warm, n, () -> fwdBwd(xin, false,
                in -> in.getNDArrayInternal().linear(in, w.transpose(), bias).singletonOrThrow())).toJson());
        for (NDArray a : new NDArray[] {w, bias}) {
            JniUtils.zeroGrad((PtNDArray) a);
        }
    }

    private static NDArray c(NDArray like, float v) {
        return like.getManager().full(new Shape(), v);
    }

    private interface Fn {
        NDArray apply(NDArray in);
    }

    private static void fwdBwd(NDArray x, boolean inputGrad, Fn f) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray in = x;
            if (inputGrad) {
                in = x.stopGradient();
                in.setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = f.apply(in);
                gc.backward(y.sum());
            } finally {
                Training.noGrad();
            }
        }
    }
}
