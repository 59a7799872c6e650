package dev.symbiosis.djl;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.SaliencyWithHints;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.text.Span;
import dev.symbiosis.djl.TextWindows.Window;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Input saliency and HotFlip hints of a {@link DjlLanguageModel}, from one forward and backward per batch of
 * windows: the loss is each text's mean next-token loss over context-size windows (no overlap); the norms of its
 * gradient with respect to the input embeddings are the saliency, and the gradient rows of each text's most salient
 * tokens, kept while the norms are read, are projected on the token embeddings for the hints. Asking for both
 * ({@link #both}) costs what asking for the hints costs: one backward pass per batch.
 *
 * <p>Not thread-safe.
 */
final class Saliency {

    private final ModelState state;
    /** Lazily decoded candidate texts of the hints. */
    private String[] candidateTexts;

    Saliency(ModelState state) {
        this.state = state;
    }

    List<SaliencyMap> saliency(List<String> texts) {
        state.checkOpen();
        return run(texts, 0, 0).saliency();
    }

    /** See {@link DjlLanguageModel#gradientHints}. */
    List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
        return both(texts, positions, candidates).hints();
    }

    /** The saliency maps and the hints of {@code texts} from the same gradient pass. */
    SaliencyWithHints both(List<String> texts, int positions, int candidates) {
        state.checkOpen();
        if (positions < 1 || candidates < 1) {
            throw new IllegalArgumentException(
                    "positions and candidates must be >= 1, got " + positions + " and " + candidates);
        }
        return run(texts, positions, candidates);
    }

    /** Ids, next ids and loss coefficients of a saliency batch: each text's mean next-token loss. */
    private record GradientBatch(long[] ids, long[] next, float[] coef, int b, int t) {}

    /**
     * One gradient pass over the windows of {@code texts}; with {@code positions > 0}, also the hints of each text's
     * {@code positions} most salient tokens (the hint list is empty otherwise).
     */
    private SaliencyWithHints run(List<String> texts, int positions, int candidates) {
        Training.noGrad();
        List<BpeTokenizer.Encoding> enc = state.encodeAll(texts);
        int n = state.context;
        List<Window> windows = new ArrayList<>();
        double[][] norms = new double[texts.size()][];
        int[] predicted = new int[texts.size()];
        for (int i = 0; i < enc.size(); i++) {
            int len = enc.get(i).size();
            norms[i] = new double[len];
            for (int s = 0; s < len; s += n) {
                int e = Math.min(s + n, len);
                windows.add(new Window(i, s, e, s + 1));
                predicted[i] += e - s - 1;
            }
        }
        List<List<Window>> batches = TextWindows.batches(windows, state.maxBatchTokens);
        CausalLm model = state.model();
        MostSalient[] top = new MostSalient[texts.size()];
        for (int i = 0; i < top.length; i++) {
            top[i] = new MostSalient(positions);
        }
        for (List<Window> batch : batches) {
            GradientBatch in = gradientBatch(batch, enc, predicted);
            float[] g;
            float[] grad = null;
            int d = 0;
            if (positions == 0) {
                g = model.inputSaliency(in.ids(), in.next(), in.coef(), in.b(), in.t());
            } else {
                CausalLm.InputGradient ig = model.inputGradient(in.ids(), in.next(), in.coef(), in.b(), in.t());
                g = ig.norms();
                grad = ig.gradient();
                d = ig.dim();
            }
            for (int r = 0; r < in.b(); r++) {
                Window w = batch.get(r);
                for (int j = 0; j < w.length(); j++) {
                    float v = g[r * in.t() + j];
                    double norm = Float.isFinite(v) ? v : 0.0;
                    norms[w.text()][w.start() + j] = norm;
                    if (grad != null) {
                        top[w.text()].offer(w.start() + j, norm, grad, (r * in.t() + j) * d, d);
                    }
                }
            }
        }
        List<SaliencyMap> maps = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            BpeTokenizer.Encoding e = enc.get(i);
            maps.add(new SaliencyMap(texts.get(i), ImmutableIntArray.copyOf(e.ids()),
                    ImmutableIntArray.copyOf(e.starts()), ImmutableIntArray.copyOf(e.ends()),
                    ImmutableDoubleArray.copyOf(norms[i])));
        }
        if (positions == 0) {
            return new SaliencyWithHints(maps, maps.stream().map(m -> List.<TokenHint>of()).toList());
        }
        return new SaliencyWithHints(maps, hints(maps, batches, top, candidates));
    }

    /**
     * The hints of the kept tokens, projected batch by batch in the order of the batches and, within a batch, of
     * its rows and of each text's tokens (most salient first): the rows and grouping of the projection are those of
     * a gradient pass per batch, so the scores are too.
     */
    private List<List<TokenHint>> hints(List<SaliencyMap> maps, List<List<Window>> batches, MostSalient[] top,
            int candidates) {
        CausalLm model = state.model();
        String[] vocab = candidateTexts();
        Map<Long, TokenHint> byToken = new HashMap<>();
        for (List<Window> batch : batches) {
            List<int[]> where = new ArrayList<>(); // {text, token}
            for (Window w : batch) {
                for (int token : top[w.text()].tokens()) {
                    if (token >= w.start() && token < w.end()) {
                        where.add(new int[] {w.text(), token});
                    }
                }
            }
            if (where.isEmpty()) {
                continue;
            }
            int d = top[where.get(0)[0]].row(where.get(0)[1]).length;
            float[] rows = new float[where.size() * d];
            for (int i = 0; i < where.size(); i++) {
                System.arraycopy(top[where.get(i)[0]].row(where.get(i)[1]), 0, rows, i * d, d);
            }
            float[][] align = model.embeddingAlignment(rows, where.size());
            for (int i = 0; i < where.size(); i++) {
                int text = where.get(i)[0];
                int token = where.get(i)[1];
                byToken.put(((long) text << 32) | token, hint(maps.get(text), token, align[i], vocab, candidates));
            }
        }
        List<List<TokenHint>> out = new ArrayList<>(maps.size());
        for (int i = 0; i < maps.size(); i++) {
            List<TokenHint> hints = new ArrayList<>();
            for (int token : top[i].tokens()) {
                hints.add(byToken.get(((long) i << 32) | token));
            }
            out.add(List.copyOf(hints));
        }
        return out;
    }

    /** The inputs of a batch and each position's loss coefficient: its text's share of the mean loss. */
    private GradientBatch gradientBatch(List<Window> windows, List<BpeTokenizer.Encoding> enc, int[] predicted) {
        TextWindows.Batch in = TextWindows.inputs(windows, enc, state.eos());
        float[] coef = new float[in.b() * in.t()];
        for (int r = 0; r < in.b(); r++) {
            Window w = windows.get(r);
            for (int j = 0; j + 1 < w.length(); j++) {
                coef[r * in.t() + j] = predicted[w.text()] > 0 ? 1f / predicted[w.text()] : 0f;
            }
        }
        return new GradientBatch(in.ids(), in.next(), coef, in.b(), in.t());
    }

    /**
     * The {@code k} tokens of one text with the largest saliency seen so far (largest first, ties to the earlier
     * token) with their gradient rows: offered every token of the text, it holds the text's {@code k} most salient
     * tokens, whatever the order of its windows.
     */
    private static final class MostSalient {
        private final int k;
        private final List<Integer> tokens = new ArrayList<>();
        private final List<Double> norms = new ArrayList<>();
        private final Map<Integer, float[]> rows = new HashMap<>();

        MostSalient(int k) {
            this.k = k;
        }

        void offer(int token, double norm, float[] grad, int from, int d) {
            int at = tokens.size();
            while (at > 0 && before(token, norm, tokens.get(at - 1), norms.get(at - 1))) {
                at--;
            }
            if (at >= k) {
                return;
            }
            tokens.add(at, token);
            norms.add(at, norm);
            rows.put(token, Arrays.copyOfRange(grad, from, from + d));
            if (tokens.size() > k) {
                rows.remove(tokens.remove(k));
                norms.remove(k);
            }
        }

        /** Whether (token, norm) ranks before (other, otherNorm): larger norm, then earlier token. */
        private static boolean before(int token, double norm, int other, double otherNorm) {
            int byNorm = Double.compare(norm, otherNorm);
            return byNorm != 0 ? byNorm > 0 : token < other;
        }

        List<Integer> tokens() {
            return tokens;
        }

        float[] row(int token) {
            return rows.get(token);
        }
    }

    private TokenHint hint(SaliencyMap map, int token, float[] align, String[] vocab, int candidates) {
        int x = map.ids().get(token);
        Span span = new Span(map.starts().get(token), map.ends().get(token));
        String own = span.of(map.text()).strip();
        Integer[] order = new Integer[align.length];
        for (int v = 0; v < order.length; v++) {
            order[v] = v;
        }
        // score(v) = align[v] - align[x]; sorting by align[v] alone gives the same order
        Arrays.sort(order, (a, c) -> {
            int byScore = Float.compare(align[c], align[a]);
            return byScore != 0 ? byScore : Integer.compare(a, c);
        });
        List<String> words = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(own);
        for (int v : order) {
            if (words.size() == candidates) {
                break;
            }
            String word = v < vocab.length ? vocab[v] : null;
            if (v == x || word == null || !seen.add(word)) {
                continue;
            }
            words.add(word);
            scores.add((double) align[v] - align[x]);
        }
        return TokenHint.of(token, span, map.norms().get(token), words,
                scores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Trimmed text of each vocabulary entry that can be a candidate, null for the others; computed once. */
    private String[] candidateTexts() {
        if (candidateTexts == null) {
            BpeTokenizer tokenizer = state.tokenizer;
            String[] texts = new String[tokenizer.vocabSize()];
            for (int v = 0; v < texts.length; v++) {
                if (tokenizer.isAddedToken(v)) {
                    continue;
                }
                String word;
                try {
                    word = tokenizer.decode(new int[] {v}).strip();
                } catch (IllegalArgumentException unused) {
                    continue; // an id without a token (gap in the vocabulary)
                }
                if (!word.isEmpty() && word.indexOf('\uFFFD') < 0
                        && word.codePoints().noneMatch(Character::isISOControl)) {
                    texts[v] = word;
                }
            }
            candidateTexts = texts;
        }
        return candidateTexts;
    }
}
