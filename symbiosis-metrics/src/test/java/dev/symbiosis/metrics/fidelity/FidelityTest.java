package dev.symbiosis.metrics.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class FidelityTest {

    /**
     * A character unigram model with add-one smoothing over a fixed alphabet: one token per UTF-16 char, each
     * predicted token scored by p(c) independent of context; entropy is that of the unigram distribution.
     */
    static final class CharUnigram implements TextScorer {
        final Map<Character, Double> p = new HashMap<>();
        final double entropy;
        final double unseen;
        int calls;

        CharUnigram(String training, String alphabet) {
            Map<Character, Integer> counts = new HashMap<>();
            for (char c : alphabet.toCharArray()) {
                counts.put(c, 1);
            }
            for (char c : training.toCharArray()) {
                counts.merge(c, 1, Integer::sum);
            }
            double total = counts.values().stream().mapToInt(Integer::intValue).sum() + 1;
            double h = 0;
            for (Map.Entry<Character, Integer> e : counts.entrySet()) {
                double q = e.getValue() / total;
                p.put(e.getKey(), q);
                h -= q * Math.log(q);
            }
            unseen = 1 / total;
            entropy = h - unseen * Math.log(unseen);
        }

        double prob(char c) {
            return p.getOrDefault(c, unseen);
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            calls++;
            List<TokenScores> out = new ArrayList<>();
            for (String t : texts) {
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("empty text");
                }
                int n = t.length();
                ImmutableIntArray.Builder ids = ImmutableIntArray.builder();
                ImmutableIntArray.Builder starts = ImmutableIntArray.builder();
                ImmutableIntArray.Builder ends = ImmutableIntArray.builder();
                ImmutableDoubleArray.Builder lp = ImmutableDoubleArray.builder();
                ImmutableDoubleArray.Builder ent = ImmutableDoubleArray.builder();
                for (int i = 0; i < n; i++) {
                    ids.add(t.charAt(i));
                    starts.add(i);
                    ends.add(i + 1);
                    if (i > 0) {
                        lp.add(Math.log(prob(t.charAt(i))));
                        ent.add(entropy);
                    }
                }
                out.add(new TokenScores(t, ids.build(), starts.build(), ends.build(), lp.build(), ent.build()));
            }
            return out;
        }
    }

    @Test
    void handComputedPerplexityAndBitsPerByte() {
        // uniform over {a, b}: every predicted token has p = 1/2
        TextScorer uniform = texts -> {
            List<TokenScores> out = new ArrayList<>();
            for (String t : texts) {
                int n = t.length();
                ImmutableIntArray.Builder ids = ImmutableIntArray.builder();
                ImmutableIntArray.Builder st = ImmutableIntArray.builder();
                ImmutableIntArray.Builder en = ImmutableIntArray.builder();
                ImmutableDoubleArray.Builder lp = ImmutableDoubleArray.builder();
                for (int i = 0; i < n; i++) {
                    ids.add(t.charAt(i) - 'a');
                    st.add(i);
                    en.add(i + 1);
                    if (i > 0) {
                        lp.add(Math.log(0.5));
                    }
                }
                double[] h = new double[n - 1];
                java.util.Arrays.fill(h, Math.log(2));
                out.add(new TokenScores(t, ids.build(), st.build(), en.build(), lp.build(),
                        ImmutableDoubleArray.copyOf(h)));
            }
            return out;
        };
        Fidelity.Result r = new Fidelity(uniform).measure(List.of("abba", "ab", "b"));
        assertEquals(4, r.tokens()); // 3 + 1 + 0
        assertEquals(4, r.bytes());
        assertEquals(2.0, r.perplexity(), 1e-12);
        assertEquals(1.0, r.bitsPerByte(), 1e-12);
        assertEquals(Math.log(2), r.nllPerToken(), 1e-12);
    }

    @Test
    void unigramModelPrefersTextLikeItsTrainingData() {
        CharUnigram model = new CharUnigram("aaaaaaaabbbbc", "abcxyz");
        Fidelity f = new Fidelity(model, 2);
        Fidelity.Result like = f.measure(List.of("aaab", "abaa", "aaba"));
        Fidelity.Result unlike = f.measure(List.of("xyzx", "zyxz", "yyzx"));
        assertTrue(like.perplexity() < unlike.perplexity());
        assertTrue(like.bitsPerByte() < unlike.bitsPerByte());
        // by hand: like = 9 predicted chars, log-likelihood from the smoothed counts
        double total = 6 + 13 + 1;
        double lpA = Math.log(9 / total);
        double lpB = Math.log(5 / total);
        double expected = -(lpA * 2 + lpB + lpB + lpA * 2 + lpA + lpB + lpA) / 9;
        assertEquals(Math.exp(expected), like.perplexity(), 1e-12);
        assertEquals(4, model.calls, "batches of 2 over 3 texts, twice");
    }

    @Test
    void emptyTextsAreSkippedAndNothingGivesNaN() {
        CharUnigram model = new CharUnigram("ab", "ab");
        Fidelity.Result r = new Fidelity(model).measure(List.of("", "a", ""));
        assertEquals(2, r.skippedTexts());
        assertEquals(0, r.tokens());
        assertTrue(Double.isNaN(r.perplexity()));
        assertTrue(Double.isNaN(r.bitsPerByte()));
        assertTrue(Double.isNaN(new Fidelity(model).measure(List.of()).perplexity()));
        assertThrows(IllegalArgumentException.class, () -> new Fidelity(model, 0));
        TextScorer broken = texts -> List.of();
        assertThrows(IllegalStateException.class, () -> new Fidelity(broken).measure(List.of("ab")));
    }

    @Test
    void bytesCountUtf8() {
        assertEquals(Fidelity.utf8Length("aé€𝄞"), Fidelity.utf8Length("aé€𝄞", 0, "aé€𝄞".length()));
        assertEquals(1 + 2 + 3 + 4, Fidelity.utf8Length("aé€𝄞"));
    }

    @Property(tries = 50)
    void perplexityIsExpOfNllAndIndependentOfBatching(@ForAll @Size(min = 1, max = 8) List<@AlphaChars
            @StringLength(min = 1, max = 12) String> texts) {
        CharUnigram model = new CharUnigram("the quick brown fox jumps over the lazy dog", "abcdefghijklmnopqrstuvwxyz"
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        Fidelity.Result one = new Fidelity(model, 1).measure(texts);
        Fidelity.Result all = new Fidelity(model, 100).measure(texts);
        assertEquals(one.logLikelihood(), all.logLikelihood(), 1e-9);
        assertEquals(one.tokens(), all.tokens());
        if (all.tokens() > 0) {
            assertEquals(Math.exp(-all.logLikelihood() / all.tokens()), all.perplexity(), 1e-9 * all.perplexity());
            assertTrue(all.perplexity() >= 1);
        }
    }
}
