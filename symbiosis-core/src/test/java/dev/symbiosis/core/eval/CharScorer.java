package dev.symbiosis.core.eval;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test scorer: one token per UTF-16 char (optionally after a BOS token with the empty span), the log-probability of
 * a char given by a function of (previous char, char). Records every call so tests can check the batching.
 */
final class CharScorer implements TextScorer {

    interface LogProb {
        double of(char prev, char c, int position);
    }

    private final LogProb logProb;
    private final boolean bos;
    final List<List<String>> calls = new ArrayList<>();

    CharScorer(LogProb logProb, boolean bos) {
        this.logProb = logProb;
        this.bos = bos;
    }

    /** -1 nat per predicted char. */
    static CharScorer minusOnePerChar() {
        return new CharScorer((p, c, i) -> -1.0, false);
    }

    /**
     * A deterministic pseudo-random log-probability per (previous char, char, position): distinct texts practically
     * never tie.
     */
    static CharScorer hashed(long seed) {
        return new CharScorer((p, c, i) -> -new SplittableRandom(seed ^ ((i * 65_537L + p) * 65_537L + c)
                * 0x9E3779B97F4A7C15L).nextDouble(0.01, 6.0), false);
    }

    @Override
    public List<TokenScores> score(List<String> texts) {
        calls.add(List.copyOf(texts));
        List<TokenScores> out = new ArrayList<>();
        for (String t : texts) {
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty text");
            }
            int off = bos ? 1 : 0;
            int n = t.length() + off;
            int[] ids = new int[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            double[] lps = new double[n - 1];
            double[] hs = new double[n - 1];
            for (int i = 0; i < n; i++) {
                int ci = i - off;
                ids[i] = ci < 0 ? 0 : t.charAt(ci);
                starts[i] = Math.max(0, ci);
                ends[i] = ci < 0 ? 0 : ci + 1;
                if (i > 0) {
                    char prev = ci - 1 < 0 ? '\u0002' : t.charAt(ci - 1);
                    lps[i - 1] = logProb.of(prev, t.charAt(ci), ci);
                    hs[i - 1] = 1.0;
                }
            }
            out.add(new TokenScores(t, ImmutableIntArray.copyOf(ids), ImmutableIntArray.copyOf(starts),
                    ImmutableIntArray.copyOf(ends), ImmutableDoubleArray.copyOf(lps), ImmutableDoubleArray.copyOf(hs)));
        }
        return out;
    }
}
