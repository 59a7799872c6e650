package dev.symbiosis.djl.model;

import dev.symbiosis.core.model.SamplingConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from one row of logits in Java: CTRL repetition penalty on tokens already in the
 * sequence, then greedy argmax (temperature 0) or temperature, top-k and top-p (nucleus) filtering and a draw.
 *
 * <p>Stateless apart from the caller's random source; thread-safe.
 */
public final class Sampler {

    private Sampler() {}

    /**
     * The random source of row {@code row} of a generation call with sampler seed {@code seed}: every row has its
     * own, so that a row's draws do not depend on the other rows. A row generated with its own seed
     * ({@code generateSeeded}) uses {@code rowRandom(rowSeed, 0)}, the source it would have alone in a call.
     */
    public static SplittableRandom rowRandom(long seed, long row) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + row);
    }

    /**
     * @param logits next-token logits (modified in place by the repetition penalty)
     * @param seen tokens already in the sequence (prompt and generated), for the repetition penalty
     * @param rnd the row's random source (not used when greedy)
     * @return the chosen token id
     */
    public static int next(float[] logits, int[] seen, int seenCount, SamplingConfig cfg, SplittableRandom rnd) {
        if (cfg.repetitionPenalty() != 1.0) {
            boolean[] done = new boolean[logits.length];
            float pen = (float) cfg.repetitionPenalty();
            for (int i = 0; i < seenCount; i++) {
                int id = seen[i];
                if (id >= 0 && id < logits.length && !done[id]) {
                    done[id] = true;
                    logits[id] = logits[id] > 0 ? logits[id] / pen : logits[id] * pen;
                }
            }
        }
        if (cfg.isGreedy()) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        int v = logits.length;
        double t = cfg.temperature();
        if (cfg.topK() == 0 && cfg.topP() >= 1.0) {
            // no filter: sample from the full softmax without sorting
            double max = Double.NEGATIVE_INFINITY;
            for (float x : logits) {
                max = Math.max(max, x / t);
            }
            double[] p = new double[v];
            double sum = 0;
            for (int i = 0; i < v; i++) {
                p[i] = Math.exp(logits[i] / t - max);
                sum += p[i];
            }
            double u = rnd.nextDouble() * sum;
            double acc = 0;
            for (int i = 0; i < v; i++) {
                acc += p[i];
                if (u < acc) {
                    return i;
                }
            }
            return v - 1;
        }
        // descending by logit, ties by id: sort primitive keys (order-preserving int image of -logit, then id)
        long[] keys = new long[v];
        for (int i = 0; i < v; i++) {
            int bits = Float.floatToIntBits(-logits[i]);
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) sortable << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[v];
        for (int i = 0; i < v; i++) {
            order[i] = (int) keys[i];
        }
        int keep = cfg.topK() > 0 ? Math.min(cfg.topK(), v) : v;
        double max = logits[order[0]] / t;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[order[i]] / t - max);
            sum += p[i];
        }
        if (cfg.topP() < 1.0) {
            double cum = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cum += p[i] / sum;
                if (cum >= cfg.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = rnd.nextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += p[i];
            if (u < acc) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
