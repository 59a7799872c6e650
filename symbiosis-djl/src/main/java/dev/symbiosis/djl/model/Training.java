package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One optimisation step of next-token cross-entropy on a batch of token sequences, shared by fine-tuning and
 * pre-training.
 *
 * <p>Stateless; steps of different models may run on several threads at once (each records its gradients on its
 * own thread, {@link ThreadGradients}); one model trains on one thread at a time.
 */
public final class Training {

    private Training() {}

    /**
     * A training sequence: ids, and per position {@code t >= 1} a loss weight for predicting {@code ids[t]} from
     * {@code ids[0..t-1]} (0 = not trained: prompt or padding).
     *
     * @param ids token ids, length {@code >= 2}
     * @param weights same length as ids; {@code weights[0]} is ignored
     */
    public record Sequence(int[] ids, float[] weights) {
        public Sequence {
            if (ids.length < 2 || weights.length != ids.length) {
                throw new IllegalArgumentException("a training sequence needs >= 2 ids and one weight per id");
            }
        }

        /** Number of positions carrying loss. */
        public int targets() {
            int n = 0;
            for (int t = 1; t < weights.length; t++) {
                if (weights[t] != 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /** What a step did. */
    public record StepResult(double loss, long tokens, double gradNorm) {}

    /** Turns gradient recording off on the calling thread (new threads start with it on). */
    public static void noGrad() {
        JniUtils.setGradMode(false);
    }

    /**
     * Forward, backward, global-norm clipping and an AdamW update. The loss is the sum of per-token
     * cross-entropies times their weights divided by the number of positions with non-zero weight.
     *
     * @param padId id used to pad shorter sequences on the right (never trained); a negative id means 0
     * @param dropout random source of LoRA dropout, or null
     * @throws IllegalStateException if the loss or the gradient norm is NaN or infinite; no update is then applied
     */
    public static StepResult step(CausalLm model, AdamW opt, List<Sequence> batch, int padId, double lr,
            double weightDecay, double clip, Random dropout) {
        if (padId < 0) {
            padId = 0; // padding is never trained nor attended to by real positions: any valid id will do
        }
        Padded p = padded(batch, padId);
        int b = p.b();
        int t = p.t();
        long[] inputs = p.inputs();
        long[] targets = p.targets();
        float[] w = p.weights();
        long count = p.count();
        if (count == 0) {
            throw new IllegalArgumentException("batch has no position carrying loss");
        }
        List<NDArray> params = model.trainable();
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray ids = owned(scratch.create(inputs, new Shape(b, t)));
            NDArray tg = owned(scratch.create(targets, new Shape(b, t, 1)));
            NDArray wt = owned(scratch.create(w, new Shape(b, t)));
            NDArray lossScale = scratch.full(new Shape(), (float) (-1.0 / count));
            double lossValue;
            try (ThreadGradients gc = ThreadGradients.collect()) {
                NDArray logp = model.forwardLogits(scratch, ids, true, dropout).logSoftmax(-1).gather(tg, 2)
                        .reshape(b, t);
                NDArray loss = logp.mul(wt).sum().mul(lossScale);
                lossValue = loss.getFloat();
                if (!Double.isFinite(lossValue)) {
                    throw new IllegalStateException("training loss is " + lossValue + " (not finite); no update"
                            + " applied");
                }
                gc.backward(loss);
            } finally {
                noGrad();
            }
            return new StepResult(lossValue, count, clipAndUpdate(params, opt, lr, weightDecay, clip));
        }
    }

    /**
     * Global-norm clipping and an AdamW update from the parameters' accumulated gradients, which are then zeroed.
     *
     * @return the gradient norm before clipping
     * @throws IllegalStateException if the norm is NaN or infinite (the gradients are zeroed, no update applied)
     */
    private static double clipAndUpdate(List<NDArray> params, AdamW opt, double lr, double weightDecay,
            double clip) {
        List<NDArray> grads = new ArrayList<>(params.size());
        double norm = gradientNorm(params, grads);
        clippedUpdate(params, grads, norm, opt, lr, weightDecay, clip);
        return norm;
    }

    /**
     * The global L2 norm of the parameters' accumulated gradients, summed on the host one parameter array at a
     * time (outside the gradient path, no scalar NDArray ops).
     *
     * @param grads receives each parameter's gradient, in order
     */
    public static double gradientNorm(List<NDArray> params, List<NDArray> grads) {
        double sq = 0;
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            grads.add(g);
            sq += g.square().sum().getFloat();
        }
        return Math.sqrt(sq);
    }

    /**
     * The AdamW update with the gradients scaled down to global norm {@code clip} when {@code norm} exceeds it; the
     * gradients are zeroed afterwards.
     *
     * @param norm the gradients' global norm ({@link #gradientNorm})
     * @throws IllegalStateException if the norm is NaN or infinite (the gradients are zeroed, no update applied)
     */
    public static void clippedUpdate(List<NDArray> params, List<NDArray> grads, double norm, AdamW opt, double lr,
            double weightDecay, double clip) {
        if (!Double.isFinite(norm)) {
            zero(params);
            throw new IllegalStateException("gradient norm is " + norm + " (not finite); no update applied");
        }
        double scale = norm > clip ? clip / (norm + 1e-6) : 1.0;
        opt.update(params, grads, lr, weightDecay, scale);
        zero(params);
    }

    /** The padded inputs of a batch of sequences: ids, targets, weights, rows, width and loss positions. */
    private record Padded(long[] inputs, long[] targets, float[] weights, int b, int t, long count) {}

    private static Padded padded(List<Sequence> batch, int padId) {
        int b = batch.size();
        int len = 0;
        for (Sequence s : batch) {
            len = Math.max(len, s.ids().length);
        }
        int t = len - 1;
        long[] inputs = new long[b * t];
        long[] targets = new long[b * t];
        float[] w = new float[b * t];
        long count = 0;
        for (int i = 0; i < b; i++) {
            Sequence s = batch.get(i);
            for (int j = 0; j < t; j++) {
                boolean real = j + 1 < s.ids().length;
                inputs[i * t + j] = j < s.ids().length ? s.ids()[j] : padId;
                targets[i * t + j] = real ? s.ids()[j + 1] : padId;
                w[i * t + j] = real ? s.weights()[j + 1] : 0f;
                if (real && s.weights()[j + 1] != 0) {
                    count++;
                }
            }
        }
        return new Padded(inputs, targets, w, b, t, count);
    }

    /**
     * Per sequence the weighted sum of the log-probabilities of its targets ({@code sum_t w_t log p(ids[t] |
     * ids[0..t-1])}) under the detached weights, without a graph and without dropout: DPO's reference values.
     *
     * @param padId as {@link #step}
     * @return one value per sequence, in order
     */
    public static double[] sequenceLogProbs(CausalLm model, List<Sequence> batch, int padId) {
        Padded in = padded(batch, Math.max(0, padId));
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray ids = owned(scratch.create(in.inputs(), new Shape(in.b(), in.t())));
            NDArray tg = owned(scratch.create(in.targets(), new Shape(in.b(), in.t(), 1)));
            NDArray wt = owned(scratch.create(in.weights(), new Shape(in.b(), in.t())));
            float[] lp = model.forwardLogits(scratch, ids, false, null).logSoftmax(-1).gather(tg, 2)
                    .reshape(in.b(), in.t()).mul(wt).sum(new int[] {1}).toFloatArray();
            double[] out = new double[lp.length];
            for (int i = 0; i < lp.length; i++) {
                out[i] = lp[i];
            }
            return out;
        }
    }

    /**
     * One DPO step (Rafailov et al., 2023) on {@code n} pairs: the batch holds the {@code n} chosen sequences, then
     * the {@code n} rejected ones (same order); the loss is the mean over pairs of
     * {@code -log sigmoid(beta * ((lp(c) - ref(c)) - (lp(r) - ref(r))))} with {@code lp} the weighted sum of target
     * log-probabilities ({@link #sequenceLogProbs}) under the gradient-carrying weights, without dropout (so that
     * the first step from the reference state has loss {@code log 2}); then clipping and an AdamW update as
     * {@link #step}. {@code -log sigmoid(z)} is computed as {@code -logSoftmax([z, 0])[0]}, stable for every z.
     *
     * @param reference {@code 2n} reference values, in the batch's order
     * @param beta the DPO temperature, {@code > 0}
     * @return the mean pair loss (nats), the loss positions of the batch and the gradient norm
     * @throws IllegalArgumentException if the batch is not of even size {@code 2n >= 2} with as many reference
     *     values, or a sequence carries no loss
     * @throws IllegalStateException if the loss or the gradient norm is NaN or infinite; no update is then applied
     */
    public static StepResult preferenceStep(CausalLm model, AdamW opt, List<Sequence> batch, double[] reference,
            double beta, int padId, double lr, double weightDecay, double clip) {
        if (batch.isEmpty() || batch.size() % 2 != 0 || reference.length != batch.size()) {
            throw new IllegalArgumentException("a preference batch holds n chosen then n rejected sequences and 2n "
                    + "reference values; got " + batch.size() + " sequences and " + reference.length + " values");
        }
        for (Sequence s : batch) {
            if (s.targets() == 0) {
                throw new IllegalArgumentException("a preference sequence carries no loss");
            }
        }
        int n = batch.size() / 2;
        Padded in = padded(batch, Math.max(0, padId));
        float[] ref = new float[reference.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (float) reference[i];
        }
        List<NDArray> params = model.trainable();
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray ids = owned(scratch.create(in.inputs(), new Shape(in.b(), in.t())));
            NDArray tg = owned(scratch.create(in.targets(), new Shape(in.b(), in.t(), 1)));
            NDArray wt = owned(scratch.create(in.weights(), new Shape(in.b(), in.t())));
            NDArray refs = owned(scratch.create(ref, new Shape(in.b())));
            // PyTorch-owned scalars: Java-owned ones in the gradient path break backward (see Training.step)
            NDArray betaScalar = scratch.full(new Shape(), (float) beta);
            NDArray meanScale = scratch.full(new Shape(), (float) (-1.0 / n));
            double lossValue;
            try (ThreadGradients gc = ThreadGradients.collect()) {
                NDArray logRatio = model.forwardLogits(scratch, ids, true, null).logSoftmax(-1).gather(tg, 2)
                        .reshape(in.b(), in.t()).mul(wt).sum(new int[] {1}).sub(refs);
                NDArray margin = logRatio.get("0:" + n).sub(logRatio.get(n + ":")).mul(betaScalar);
                NDArray logSigmoid = NDArrays.stack(new NDList(margin, margin.zerosLike()), 1).logSoftmax(1)
                        .get(":, 0");
                NDArray loss = logSigmoid.sum().mul(meanScale);
                lossValue = loss.getFloat();
                if (!Double.isFinite(lossValue)) {
                    throw new IllegalStateException("preference loss is " + lossValue + " (not finite); no update"
                            + " applied");
                }
                gc.backward(loss);
            } finally {
                noGrad();
            }
            return new StepResult(lossValue, in.count(), clipAndUpdate(params, opt, lr, weightDecay, clip));
        }
    }

    /**
     * The gradient of {@code -sum(coef * log p(next))} over {@code b} rows of {@code t} tokens with respect to the
     * trainable parameters, without dropout and without an update: per trainable array (in
     * {@link CausalLm#trainable()} order) a FLOAT32 copy attached to {@code keep}. The parameters' own gradients
     * are zeroed afterwards, so the model is as before the call.
     *
     * @throws IllegalStateException if the loss is NaN or infinite, or the model has no trainable parameters
     */
    public static List<NDArray> parameterGradient(CausalLm model, long[] ids, long[] next, float[] coef, int b,
            int t, NDManager keep) {
        List<NDArray> params = model.trainable();
        if (params.isEmpty()) {
            throw new IllegalStateException("the model has no trainable parameters");
        }
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray in = owned(scratch.create(ids, new Shape(b, t)));
            NDArray tg = owned(scratch.create(next, new Shape(b, t, 1)));
            NDArray cf = owned(scratch.create(coef, new Shape(b, t)));
            try (ThreadGradients gc = ThreadGradients.collect()) {
                NDArray loss = model.forwardLogits(scratch, in, true, null).logSoftmax(-1).gather(tg, 2)
                        .reshape(b, t).mul(cf).sum().neg();
                double value = loss.getFloat();
                if (!Double.isFinite(value)) {
                    throw new IllegalStateException("loss is " + value + " (not finite)");
                }
                gc.backward(loss);
            } finally {
                noGrad();
            }
            List<NDArray> out = new ArrayList<>(params.size());
            try {
                for (NDArray p : params) {
                    NDArray g = p.getGradient();
                    // duplicate(): toType(FLOAT32, true) of a FLOAT32 array may share its storage, which the zeroing
                    // below would then clear
                    NDArray copy = g.getDataType() == DataType.FLOAT32 ? g.duplicate()
                            : g.toType(DataType.FLOAT32, false);
                    NDScope.unregister(copy);
                    copy.attach(keep);
                    out.add(copy);
                }
            } finally {
                zero(params);
            }
            return out;
        }
    }

    private static void zero(List<NDArray> params) {
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /**
     * Per-position log-probability of the targets and predictive entropy (nats) from next-token logits, without a
     * graph: the logits are closed once normalised and the entropy's product is taken in place, so at most two
     * (B, T, V) arrays live at once.
     *
     * @param logits (B, T, V) logits; closed by this method
     * @param targets (B, T, 1) int64 target ids
     * @return {@code {logProbs, entropies}}, each B * T values, row-major
     */
    public static float[][] logProbsAndEntropies(NDArray logits, NDArray targets) {
        PositionScores s = positionScores(logits, targets, false);
        return new float[][] {s.logProbs(), s.entropies()};
    }

    /**
     * Per-position scores of next-token logits: see {@link #positionScores}.
     *
     * @param logProbs log-probability of each target, B * T values, row-major
     * @param entropies predictive entropy (nats) at each position
     * @param argmax the most likely id at each position (the first on ties), or an empty array when not asked for
     */
    public record PositionScores(float[] logProbs, float[] entropies, long[] argmax) {}

    /**
     * As {@link #logProbsAndEntropies} (the same values), and when {@code withArgmax} the most likely id per
     * position, taken from the logits before they are normalised (no extra forward pass; ties go to the first id,
     * as PyTorch's argmax does).
     *
     * @param logits (B, T, V) logits; closed by this method
     * @param targets (B, T, 1) int64 target ids
     */
    public static PositionScores positionScores(NDArray logits, NDArray targets, boolean withArgmax) {
        long[] argmax = new long[0];
        if (withArgmax) {
            try (NDArray best = logits.argMax(-1)) {
                argmax = best.toLongArray();
            }
        }
        NDArray lsm = logits.logSoftmax(-1);
        logits.close();
        float[] lp = lsm.gather(targets, 2).toFloatArray();
        NDArray plogp = lsm.exp();
        plogp.muli(lsm); // p * log p, the same values as exp(lsm).mul(lsm)
        lsm.close();
        float[] h = plogp.sum(new int[] {2}).neg().toFloatArray();
        plogp.close();
        return new PositionScores(lp, h, argmax);
    }

    /** {@code flat} cut into rows of {@code width} values (row-major logits to one array per position). */
    public static float[][] rows(float[] flat, int width) {
        float[][] out = new float[flat.length / width][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    /**
     * HotFlip projection shared by the architectures: the input-embedding gradient {@code grad} ({@code b * t * d},
     * row-major) at the flat positions {@code at}, times the transposed (V, d) token-embedding table. Both the table
     * (supplied inside a scope, so a converted copy is freed) and every intermediate are closed before returning.
     *
     * @return {@code at.length} rows of {@code V} values
     * @throws IllegalArgumentException if a position is outside the batch
     */
    public static float[][] embeddingAlignment(NDManager parent, float[] grad, int b, int t, int[] at,
            java.util.function.Supplier<NDArray> table) {
        int d = grad.length / (b * t);
        float[] selected = new float[at.length * d];
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || at[i] >= b * t) {
                throw new IllegalArgumentException("position " + at[i] + " is outside the " + b + " x " + t + " batch");
            }
            System.arraycopy(grad, at[i] * d, selected, i * d, d);
        }
        try (NDScope scope = new NDScope(); NDManager scratch = parent.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray g = owned(scratch.create(selected, new Shape(at.length, d)));
            NDArray wte = table.get();
            return rows(g.matMul(wte.transpose()).toFloatArray(), (int) wte.getShape().get(0));
        }
    }

    /** A PyTorch-owned copy of an array created from a Java buffer (the original is closed). */
    public static NDArray owned(NDArray javaBacked) {
        NDArray copy = javaBacked.duplicate();
        javaBacked.close();
        return copy;
    }
}
