package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Exact values on small texts, computed by hand in the comments. */
class LexicalStatisticsTest {

    private static final double EPS = 1e-12;

    @Test
    void typeTokenRatio() {
        // "a a b c": V = 3, N = 4
        assertEquals(0.75, TypeTokenRatio.of("a", "a", "b", "c").getAsDouble(), EPS);
        assertEquals(1.0, TypeTokenRatio.of("x").getAsDouble(), EPS);
        assertTrue(Double.isNaN(TypeTokenRatio.create().getAsDouble()));
        // texts are tokenized and case-folded: "The the THE cat" -> the x3, cat: V = 2, N = 4
        TypeTokenRatio t = TypeTokenRatio.ofTexts(List.of("The the", "THE cat!"));
        assertEquals(0.5, t.getAsDouble(), EPS);
        assertEquals(4, t.getTokenCount());
        assertEquals(2, t.getTypeCount());
    }

    @Test
    void yuleK() {
        // "a a b c": frequencies 2,1,1; M2 = 4+1+1 = 6; K = 1e4 (6 - 4) / 16 = 1250
        assertEquals(1250.0, YuleK.of("a", "a", "b", "c").getAsDouble(), EPS);
        // "a a a b b c": 3,2,1; M2 = 9+4+1 = 14; K = 1e4 (14 - 6) / 36 = 2222.2...
        assertEquals(1e4 * 8 / 36, YuleK.of("a", "a", "a", "b", "b", "c").getAsDouble(), 1e-9);
        // all distinct: M2 = N, K = 0
        assertEquals(0.0, YuleK.of("a", "b", "c").getAsDouble(), EPS);
        // one word repeated N times: M2 = N^2, K = 1e4 (N^2 - N) / N^2 = 1e4 (1 - 1/N); N = 4 -> 7500
        assertEquals(7500.0, YuleK.of("a", "a", "a", "a").getAsDouble(), EPS);
        assertTrue(Double.isNaN(YuleK.create().getAsDouble()));
    }

    @Test
    void yuleI() {
        // "a a b c": V = 3, M2 = 6; I = 9 / (6 - 3) = 3
        assertEquals(3.0, YuleI.of("a", "a", "b", "c").getAsDouble(), EPS);
        // "a a a b b c": V = 3, M2 = 14; I = 9 / 11
        assertEquals(9.0 / 11, YuleI.of("a", "a", "a", "b", "b", "c").getAsDouble(), EPS);
        // every word once: M2 = V, undefined
        assertTrue(Double.isNaN(YuleI.of("a", "b", "c").getAsDouble()));
        assertTrue(Double.isNaN(YuleI.create().getAsDouble()));
    }

    @Test
    void mattr() {
        // "a a b a", W = 2: windows aa(1) ab(2) ba(2) -> (1+2+2) / (2*3) = 5/6
        assertEquals(5.0 / 6, Mattr.of(2, "a", "a", "b", "a").getAsDouble(), EPS);
        // W = 3: aab(2) aba(2) -> 4 / (3*2) = 2/3
        assertEquals(2.0 / 3, Mattr.of(3, "a", "a", "b", "a").getAsDouble(), EPS);
        // W = 4 = N: one window, TTR 2/4
        assertEquals(0.5, Mattr.of(4, "a", "a", "b", "a").getAsDouble(), EPS);
        // W = 5 > N: TTR of all = 2/4
        assertEquals(0.5, Mattr.of(5, "a", "a", "b", "a").getAsDouble(), EPS);
        // W = 1: every window has one type
        assertEquals(1.0, Mattr.of(1, "a", "a", "b", "a").getAsDouble(), EPS);
        // "a b c d e a", W = 5: abcde(5) bcdea(5) -> 1
        assertEquals(1.0, Mattr.of(5, "a", "b", "c", "d", "e", "a").getAsDouble(), EPS);
        assertTrue(Double.isNaN(Mattr.create().getAsDouble()));
        assertEquals(50, Mattr.create().getWindow());
        assertThrows(IllegalArgumentException.class, () -> Mattr.create(0));
        assertThrows(IllegalArgumentException.class, () -> Mattr.create(3).combine(Mattr.create(4)));
    }

    @Test
    void mtldWithAPartialFactor() {
        // "a a b c d b", t = 0.72
        // forward: a (1/1), a (1/2 = .5 <= .72: factor 1, reset); b (1/1), c (2/2), d (3/3), b (3/4 = .75 > .72)
        //   end: partial (1 - .75) / (1 - .72) = .25/.28 = 25/28; F = 53/28; N/F = 6 * 28/53 = 168/53
        // backward "b d c b a a": b 1/1, d 2/2, c 3/3, b 3/4 = .75, a 4/5 = .8, a 4/6 = .667 <= .72: factor 1;
        //   nothing left; F = 1; N/F = 6
        // MTLD = (168/53 + 6) / 2 = 243/53
        assertEquals(243.0 / 53, Mtld.of("a", "a", "b", "c", "d", "b").getAsDouble(), 1e-12);
    }

    @Test
    void mtldWholeFactors() {
        // "a b a b c c": forward a, b, a (2/3 <= .72: F1) | b, c, c (2/3: F2) -> F = 2, 6/2 = 3
        // backward "c c b a b a": c, c (1/2: F1) | b, a, b (2/3: F2) | a (1/1, partial 0) -> F = 2, 3
        assertEquals(3.0, Mtld.of("a", "b", "a", "b", "c", "c").getAsDouble(), EPS);
        // the comparison is "<=": with threshold .5,
        // "a b a b" forward a, b, a (2/3 > .5), b (2/4 = .5 <= .5: F1) -> 4/1 = 4; backward the same
        assertEquals(4.0, mtld(0.5, "a", "b", "a", "b"), EPS);
    }

    private static double mtld(double threshold, String... tokens) {
        Mtld m = Mtld.create(threshold, WordTokenizer.unicode());
        for (String t : tokens) {
            m.accept(t);
        }
        return m.getAsDouble();
    }

    @Test
    void mtldUndefinedCases() {
        assertTrue(Double.isNaN(Mtld.create().getAsDouble()));
        // every token distinct: no factor in either direction
        assertTrue(Double.isNaN(Mtld.of("a", "b", "c").getAsDouble()));
        assertThrows(IllegalArgumentException.class, () -> Mtld.create(1.0, WordTokenizer.unicode()));
    }

    @Test
    void distinctN() {
        // texts "a b a b" and "c a b" (7 tokens):
        //   1-grams: distinct {a, b, c} = 3 of 7
        //   2-grams: ab ba ab | ca ab -> 5, distinct {ab, ba, ca} = 3 (the cross-boundary "b c" is not counted)
        //   3-grams: aba bab | cab -> 3 distinct of 3
        //   4-grams: abab | (none) -> 1 of 1
        List<String> texts = List.of("a b a b", "c a b");
        assertEquals(3.0 / 7, DistinctNGrams.ofTexts(1, texts).getAsDouble(), EPS);
        assertEquals(3.0 / 5, DistinctNGrams.ofTexts(2, texts).getAsDouble(), EPS);
        assertEquals(1.0, DistinctNGrams.ofTexts(3, texts).getAsDouble(), EPS);
        assertEquals(1.0, DistinctNGrams.ofTexts(4, texts).getAsDouble(), EPS);
        DistinctNGrams d4 = DistinctNGrams.ofTexts(4, texts);
        assertEquals(3, d4.getDistinctCount(2));
        assertEquals(5, d4.getTotalCount(2));
        assertEquals(3.0 / 5, d4.getAsDouble(2), EPS);
        // as one text (no boundary), 2-grams ab ba ab bc ca ab: 6, distinct 4
        assertEquals(4.0 / 6, DistinctNGrams.of(2, "a", "b", "a", "b", "c", "a", "b").getAsDouble(), EPS);
        // no n-gram at all
        assertTrue(Double.isNaN(DistinctNGrams.ofTexts(3, List.of("a b", "c")).getAsDouble()));
        assertThrows(IllegalArgumentException.class, () -> DistinctNGrams.create(0));
        assertThrows(IllegalArgumentException.class, () -> DistinctNGrams.create(5));
        assertThrows(IllegalArgumentException.class, () -> d4.getAsDouble(5));
    }

    @Test
    void distinctNOnTextsLongerThanTheInternalBuffer() {
        // 10,000 tokens over 12 words, as one text and as texts of 3,000 / 7,000: compare with sets of n-grams
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tokens.add("w" + Math.min(r.nextInt(12), r.nextInt(12)));
        }
        for (int n = 1; n <= 4; n++) {
            DistinctNGrams one = DistinctNGrams.of(n, tokens.toArray(new String[0]));
            assertEquals(distinct(List.of(tokens), n), one.getAsDouble(), EPS);
            DistinctNGrams two = DistinctNGrams.create(n);
            tokens.subList(0, 3000).forEach(two::accept);
            two.endText();
            tokens.subList(3000, 10_000).forEach(two::accept);
            assertEquals(distinct(List.of(tokens.subList(0, 3000), tokens.subList(3000, 10_000)), n),
                    two.getAsDouble(), EPS);
            assertEquals(10_000 - 2 * (n - 1), two.getTotalCount(n));
        }
    }

    private static double distinct(List<List<String>> texts, int n) {
        java.util.Set<List<String>> set = new java.util.HashSet<>();
        long total = 0;
        for (List<String> t : texts) {
            for (int j = 0; j + n <= t.size(); j++) {
                set.add(t.subList(j, j + n));
                total++;
            }
        }
        return set.size() / (double) total;
    }

    @Test
    void panelHasEveryFigureAndMatchesTheSingleStatistics() {
        List<String> texts = List.of("The cat sat on the mat.", "A cat, a hat; the cat's hat!", "", "Mat mat mat");
        SortedMap<String, Double> f = LexicalPanel.create().measure(texts);
        assertEquals(List.of("lexical.distinct_1", "lexical.distinct_2", "lexical.distinct_3", "lexical.distinct_4",
                "lexical.mattr", "lexical.mtld", "lexical.tokens", "lexical.ttr", "lexical.types", "lexical.yule_i",
                "lexical.yule_k"), List.copyOf(f.keySet()));
        // 6 + 7 + 0 + 3 words
        assertEquals(16.0, f.get("lexical.tokens"));
        assertEquals(TypeTokenRatio.ofTexts(texts).getTypeCount(), f.get("lexical.types"));
        assertEquals(TypeTokenRatio.ofTexts(texts).getAsDouble(), f.get("lexical.ttr"));
        assertEquals(Mattr.ofTexts(texts).getAsDouble(), f.get("lexical.mattr"));
        assertEquals(Mtld.ofTexts(texts).getAsDouble(), f.get("lexical.mtld"));
        assertEquals(YuleK.ofTexts(texts).getAsDouble(), f.get("lexical.yule_k"));
        assertEquals(YuleI.ofTexts(texts).getAsDouble(), f.get("lexical.yule_i"));
        for (int n = 1; n <= 4; n++) {
            assertEquals(DistinctNGrams.ofTexts(n, texts).getAsDouble(), f.get("lexical.distinct_" + n), "n=" + n);
        }
        assertEquals(f.get("lexical.ttr"), f.get("lexical.distinct_1"));
        // Mattr with a small window through the panel
        SortedMap<String, Double> w3 = LexicalPanel.of(WordTokenizer.unicode(), 3, 0.72).measure(texts);
        Mattr m3 = Mattr.create(3);
        texts.forEach(m3::acceptText);
        assertEquals(m3.getAsDouble(), w3.get("lexical.mattr"));
    }

    @Test
    void panelOnNoWords() {
        SortedMap<String, Double> f = LexicalPanel.create().measure(List.of("", "?!"));
        assertEquals(0.0, f.get("lexical.tokens"));
        for (String k : List.of("ttr", "mattr", "mtld", "yule_k", "yule_i", "distinct_1", "distinct_4")) {
            assertTrue(Double.isNaN(f.get("lexical." + k)), k);
        }
    }

    @Test
    void panelWithPreTokenizedText() {
        // whitespace mode keeps case and punctuation: "A a a." -> 3 types
        SortedMap<String, Double> f =
                LexicalPanel.of(WordTokenizer.whitespace(), 50, 0.72).measure(List.of("A a a."));
        assertEquals(3.0, f.get("lexical.types"));
        SortedMap<String, Double> u = LexicalPanel.create().measure(List.of("A a a."));
        assertEquals(1.0, u.get("lexical.types"));
    }
}
