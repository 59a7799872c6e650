package dev.symbiosis.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.djl.TextWindows.Window;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Scoring of a {@link DjlLanguageModel}: per-token log-probabilities, entropies and most likely ids (texts longer than the context
 * through a sliding window of stride {@code context / 2}), raw logits, perplexity and bits per byte. No graph is
 * recorded.
 *
 * <p>Not thread-safe.
 */
final class Scoring {

    private final ModelState state;

    Scoring(ModelState state) {
        this.state = state;
    }

    List<TokenScores> score(List<String> texts) {
        state.checkOpen();
        Training.noGrad();
        List<BpeTokenizer.Encoding> enc = state.encodeAll(texts);
        int n = state.context;
        int stride = Math.max(1, n / 2);
        List<Window> windows = new ArrayList<>();
        double[][] logp = new double[texts.size()][];
        double[][] ent = new double[texts.size()][];
        int[][] argmax = new int[texts.size()][];
        for (int i = 0; i < enc.size(); i++) {
            int len = enc.get(i).size();
            logp[i] = new double[len - 1];
            ent[i] = new double[len - 1];
            argmax[i] = new int[len - 1];
            int scored = 1;
            for (int s = 0; len >= 2; s += stride) {
                int e = Math.min(s + n, len);
                windows.add(new Window(i, s, e, scored));
                scored = e;
                if (e == len) {
                    break;
                }
            }
        }
        for (List<Window> batch : TextWindows.batches(windows, state.maxBatchTokens)) {
            scoreBatch(batch, enc, logp, ent, argmax);
        }
        List<TokenScores> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            BpeTokenizer.Encoding e = enc.get(i);
            out.add(new TokenScores(texts.get(i), ImmutableIntArray.copyOf(e.ids()),
                    ImmutableIntArray.copyOf(e.starts()), ImmutableIntArray.copyOf(e.ends()),
                    ImmutableDoubleArray.copyOf(logp[i]), ImmutableDoubleArray.copyOf(ent[i]),
                    ImmutableIntArray.copyOf(argmax[i])));
        }
        return out;
    }

    private void scoreBatch(List<Window> windows, List<BpeTokenizer.Encoding> enc, double[][] logp,
            double[][] ent, int[][] argmax) {
        TextWindows.Batch batch = TextWindows.inputs(windows, enc, state.eos());
        int b = batch.b();
        int t = batch.t();
        CausalLm model = state.model();
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray in = Training.owned(scratch.create(batch.ids(), new Shape(b, t)));
            NDArray tg = Training.owned(scratch.create(batch.next(), new Shape(b, t, 1)));
            Training.PositionScores scores = Training.positionScores(model.forwardLogits(scratch, in, false, null),
                    tg, true);
            float[] lp = scores.logProbs();
            float[] h = scores.entropies();
            long[] best = scores.argmax();
            for (int r = 0; r < b; r++) {
                Window w = windows.get(r);
                for (int target = w.firstTarget(); target < w.end(); target++) {
                    int j = target - 1 - w.start();
                    logp[w.text()][target - 1] = Math.min(0.0, lp[r * t + j]);
                    ent[w.text()][target - 1] = Math.max(0.0, h[r * t + j]);
                    argmax[w.text()][target - 1] = (int) best[r * t + j];
                }
            }
        }
    }

    /** See {@link DjlLanguageModel#logits(int[])}. */
    float[][] logits(int[] ids) {
        state.checkOpen();
        Training.noGrad();
        int t = ids.length;
        if (t < 1 || t > state.context) {
            throw new IllegalArgumentException("need 1 to " + state.context + " ids, got " + t);
        }
        int vocab = state.config.vocabSize();
        long[] in = new long[t];
        for (int i = 0; i < t; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("id " + ids[i] + " outside [0, " + vocab + ")");
            }
            in[i] = ids[i];
        }
        CausalLm model = state.model();
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray x = Training.owned(scratch.create(in, new Shape(1, t)));
            return Training.rows(model.forwardLogits(scratch, x, false, null).toFloatArray(), vocab);
        }
    }

    /** See {@link DjlLanguageModel#perplexity(List)}. */
    double perplexity(List<String> texts) {
        double sum = 0;
        long n = 0;
        for (TokenScores s : score(texts)) {
            sum += s.sumLogProb();
            n += s.predictedCount();
        }
        return n == 0 ? Double.NaN : Math.exp(-sum / n);
    }

    /** See {@link DjlLanguageModel#bitsPerByte(List)}. */
    double bitsPerByte(List<String> texts) {
        double nats = 0;
        long bytes = 0;
        for (TokenScores s : score(texts)) {
            nats -= s.sumLogProb();
            if (s.size() > 1) {
                String covered = s.text().substring(s.ends().get(0));
                bytes += covered.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes == 0 ? Double.NaN : nats / Math.log(2) / bytes;
    }
}
