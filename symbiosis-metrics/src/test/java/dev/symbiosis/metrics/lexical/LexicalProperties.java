package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Ranges, invariances, and "every route gives the same answer". */
class LexicalProperties {

    @Provide
    Arbitrary<List<String>> tokens() {
        // a small alphabet so that words repeat; sizes up to 120 cover MATTR windows and MTLD factors
        return Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h").list().ofMaxSize(120);
    }

    @Provide
    Arbitrary<List<List<String>>> texts() {
        return Arbitraries.of("a", "b", "c", "d", "e").list().ofMaxSize(12).list().ofMaxSize(8);
    }

    private static String[] arr(List<String> l) {
        return l.toArray(new String[0]);
    }

    private static <T extends WordStatistic> T fed(T s, List<String> tokens) {
        tokens.forEach(s::accept);
        return s;
    }

    @Property(tries = 200)
    void ttrIsInZeroOne(@ForAll("tokens") List<String> tokens) {
        double ttr = TypeTokenRatio.of(arr(tokens)).getAsDouble();
        if (tokens.isEmpty()) {
            assertTrue(Double.isNaN(ttr));
        } else {
            assertTrue(ttr > 0 && ttr <= 1, "ttr " + ttr);
        }
    }

    @Property(tries = 200)
    void distinctNIsInZeroOne(@ForAll("texts") List<List<String>> texts, @ForAll @IntRange(min = 1, max = 4) int n) {
        DistinctNGrams d = DistinctNGrams.create(n);
        long expectedTotal = 0;
        for (List<String> t : texts) {
            fed(d, t).endText();
            expectedTotal += Math.max(0, t.size() - n + 1);
        }
        assertEquals(expectedTotal, d.getTotalCount(n));
        double v = d.getAsDouble();
        if (expectedTotal == 0) {
            assertTrue(Double.isNaN(v));
        } else {
            assertTrue(v > 0 && v <= 1, "distinct " + v);
        }
    }

    @Property(tries = 200)
    void frequencyStatisticsAgreeByEveryRoute(@ForAll("tokens") List<String> tokens, @ForAll Random random) {
        int split = tokens.isEmpty() ? 0 : random.nextInt(tokens.size() + 1);
        List<String> x = tokens.subList(0, split);
        List<String> y = tokens.subList(split, tokens.size());

        double ttr = TypeTokenRatio.of(arr(tokens)).getAsDouble();
        assertEquals(ttr, fed(TypeTokenRatio.create(), tokens).getAsDouble());
        assertEquals(ttr, TypeTokenRatio.of(arr(x)).combine(TypeTokenRatio.of(arr(y))).getAsDouble());
        assertEquals(ttr, TypeTokenRatio.of(arr(y)).combine(TypeTokenRatio.of(arr(x))).getAsDouble());

        double k = YuleK.of(arr(tokens)).getAsDouble();
        assertEquals(k, fed(YuleK.create(), tokens).getAsDouble());
        assertEquals(k, YuleK.of(arr(x)).combine(YuleK.of(arr(y))).getAsDouble());
        assertEquals(k, YuleK.of(arr(y)).combine(YuleK.of(arr(x))).getAsDouble());

        double i = YuleI.of(arr(tokens)).getAsDouble();
        assertEquals(i, fed(YuleI.create(), tokens).getAsDouble());
        assertEquals(i, YuleI.of(arr(x)).combine(YuleI.of(arr(y))).getAsDouble());
        assertEquals(i, YuleI.of(arr(y)).combine(YuleI.of(arr(x))).getAsDouble());
    }

    @Property(tries = 300)
    void sequentialStatisticsCombineAsConcatenation(@ForAll("tokens") List<String> tokens,
            @ForAll @IntRange(min = 1, max = 12) int window, @ForAll Random random) {
        int s1 = random.nextInt(tokens.size() + 1);
        int s2 = s1 + random.nextInt(tokens.size() - s1 + 1);
        List<String> x = tokens.subList(0, s1);
        List<String> y = tokens.subList(s1, s2);
        List<String> z = tokens.subList(s2, tokens.size());

        double m = Mattr.of(window, arr(tokens)).getAsDouble();
        assertEquals(m, naiveMattr(tokens, window), 1e-12);
        assertEquals(m, fed(Mattr.create(window), tokens).getAsDouble());
        assertEquals(m, Mattr.of(window, arr(x)).combine(Mattr.of(window, arr(y))).combine(Mattr.of(window, arr(z)))
                .getAsDouble());
        assertEquals(m, Mattr.of(window, arr(x)).combine(Mattr.of(window, arr(y)).combine(Mattr.of(window, arr(z))))
                .getAsDouble());

        double d = Mtld.of(arr(tokens)).getAsDouble();
        assertEquals(d, fed(Mtld.create(), tokens).getAsDouble());
        assertEquals(d, Mtld.of(arr(x)).combine(Mtld.of(arr(y))).combine(Mtld.of(arr(z))).getAsDouble());
    }

    /** MATTR by its definition, window by window. */
    private static double naiveMattr(List<String> tokens, int w) {
        if (tokens.isEmpty()) {
            return Double.NaN;
        }
        if (tokens.size() < w) {
            return new LinkedHashSet<>(tokens).size() / (double) tokens.size();
        }
        double sum = 0;
        int windows = tokens.size() - w + 1;
        for (int j = 0; j < windows; j++) {
            sum += new LinkedHashSet<>(tokens.subList(j, j + w)).size() / (double) w;
        }
        return sum / windows;
    }

    @Property(tries = 200)
    void distinctNAgreesByEveryRoute(@ForAll("texts") List<List<String>> texts,
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll Random random) {
        int split = random.nextInt(texts.size() + 1);
        List<String> joined = texts.stream().map(t -> String.join(" ", t)).toList();
        double v = DistinctNGrams.ofTexts(n, joined).getAsDouble();
        DistinctNGrams byTokens = DistinctNGrams.create(n);
        texts.forEach(t -> fed(byTokens, t).endText());
        assertEquals(v, byTokens.getAsDouble());
        assertEquals(v, DistinctNGrams.ofTexts(n, joined.subList(0, split))
                .combine(DistinctNGrams.ofTexts(n, joined.subList(split, joined.size()))).getAsDouble());
        assertEquals(v, DistinctNGrams.ofTexts(n, joined.subList(split, joined.size()))
                .combine(DistinctNGrams.ofTexts(n, joined.subList(0, split))).getAsDouble());
        assertEquals(v, naiveDistinct(texts, n), 1e-12);
    }

    private static double naiveDistinct(List<List<String>> texts, int n) {
        List<List<String>> all = new ArrayList<>();
        for (List<String> t : texts) {
            for (int j = 0; j + n <= t.size(); j++) {
                all.add(t.subList(j, j + n));
            }
        }
        return all.isEmpty() ? Double.NaN : new LinkedHashSet<>(all).size() / (double) all.size();
    }

    @Property(tries = 200)
    void panelCombinesAsConcatenation(@ForAll("texts") List<List<String>> texts, @ForAll Random random) {
        List<String> joined = texts.stream().map(t -> String.join(" ", t)).toList();
        int split = random.nextInt(joined.size() + 1);
        LexicalPanel panel = LexicalPanel.of(WordTokenizer.unicode(), 7, 0.72);
        SortedMap<String, Double> whole = panel.measure(joined);
        LexicalPanel.Accumulator a = panel.accumulator();
        joined.subList(0, split).forEach(a::acceptText);
        LexicalPanel.Accumulator b = panel.accumulator();
        joined.subList(split, joined.size()).forEach(b::acceptText);
        assertEquals(whole, a.combine(b).figures());
        LexicalPanel.Accumulator c = panel.accumulator();
        texts.forEach(c::acceptTokens);
        assertEquals(whole, c.figures());
    }

    @Property(tries = 200)
    void everyStatisticIsInvariantUnderRenamingWords(@ForAll("texts") List<List<String>> texts,
            @ForAll Random random) {
        // a random bijection of the vocabulary onto other words
        List<String> vocabulary = new ArrayList<>(List.of("a", "b", "c", "d", "e"));
        List<String> images = new ArrayList<>(List.of("zebra", "q", "naïve", "x1", "ßß"));
        Collections.shuffle(images, random);
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            rename.put(vocabulary.get(i), images.get(i));
        }
        Function<List<String>, String> join = t -> String.join(" ", t);
        List<String> original = texts.stream().map(join).toList();
        List<String> renamed = texts.stream().map(t -> t.stream().map(rename::get).toList()).map(join).toList();
        LexicalPanel panel = LexicalPanel.of(WordTokenizer.unicode(), 5, 0.72);
        assertEquals(panel.measure(original), panel.measure(renamed));
        Supplier<Mtld> m = Mtld::create;
        assertEquals(WordStatistic.acceptTexts(m.get(), original).getAsDouble(),
                WordStatistic.acceptTexts(m.get(), renamed).getAsDouble());
    }
}
