package dev.symbiosis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.semantic.Embeddings;
import dev.symbiosis.metrics.semantic.PrecomputedEncoder;
import dev.symbiosis.metrics.semantic.SentenceEncoder;
import dev.symbiosis.metrics.syntax.SyntacticPanel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class MetricsPanelTest {

    /** Hashed character-bigram counts in 16 dimensions, normalised: similar strings get similar vectors. */
    static final class BigramEncoder implements SentenceEncoder {
        int calls;

        @Override
        public Embeddings encode(List<String> texts) {
            calls++;
            if (texts.isEmpty()) {
                return Embeddings.empty(16);
            }
            double[][] x = new double[texts.size()][16];
            for (int i = 0; i < texts.size(); i++) {
                String t = " " + texts.get(i) + " ";
                x[i][0] = 1e-3;
                for (int c = 0; c + 1 < t.length(); c++) {
                    x[i][Math.floorMod(t.charAt(c) * 31 + t.charAt(c + 1), 16)] += 1;
                }
            }
            return Embeddings.of(x).normalised();
        }

        @Override
        public int dimension() {
            return 16;
        }

        @Override
        public void close() {}
    }

    /** Character unigram scorer with fixed probabilities: vowels (and space) likelier than consonants. */
    static final TextScorer VOWELS = dev.symbiosis.metrics.fidelity.DomainFidelityTest.unigram("aeiou ");

    static List<String> sentences(int n, long seed, int vocabulary) {
        String[] words = ("river city small old new quiet bright market farmer child teacher walks reads builds"
                + " carries watches finds near under across morning evening winter bread letter bridge garden story"
                + " song stone window road light").split(" ");
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("the");
            int len = 5 + r.nextInt(8);
            for (int w = 0; w < len; w++) {
                sb.append(' ').append(words[r.nextInt(Math.min(vocabulary, words.length))]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void subsampleIsSeededOrderPreservingAndWithoutReplacement() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            texts.add("t" + i);
        }
        List<String> a = MetricsPanel.subsample(texts, 100, 7);
        assertEquals(a, MetricsPanel.subsample(texts, 100, 7));
        assertNotEquals(a, MetricsPanel.subsample(texts, 100, 8));
        assertEquals(100, new HashSet<>(a).size());
        for (int i = 1; i < a.size(); i++) {
            assertTrue(Integer.parseInt(a.get(i - 1).substring(1)) < Integer.parseInt(a.get(i).substring(1)));
        }
        assertEquals(texts.subList(0, 50), MetricsPanel.subsample(texts.subList(0, 50), 100, 7));
        // roughly uniform: the chosen indices have mean near 500
        double mean = a.stream().mapToInt(s -> Integer.parseInt(s.substring(1))).average().orElseThrow();
        assertEquals(500, mean, 90);
    }

    @Test
    void everyPartReportsItsFiguresOnTheSameSample() {
        BigramEncoder enc = new BigramEncoder();
        List<String> reference = sentences(200, 1, 40);
        MetricsPanel panel = MetricsPanel.builder().encoder(enc).referenceTexts(reference)
                .referenceScorer(VOWELS).sampleSize(120).seed(3).build();
        assertEquals(1, enc.calls, "reference encoded once at build time");
        assertEquals(MetricsPanel.PcaFit.REFERENCE, panel.pcaFit());
        List<String> texts = sentences(400, 2, 40);
        SortedMap<String, Double> f = panel.measure(texts);
        for (String name : List.of("panel.input_texts", "panel.measured_texts", "lexical.ttr", "lexical.yule_k",
                "lexical.distinct_2", "semantic.mean_cosine_distance", "semantic.cosine_distance_median",
                "semantic.hull_volume_k5", "semantic.vendi", "semantic.logdet_cov", "fidelity.perplexity",
                "fidelity.bits_per_byte", "syntax.pos_entropy_3", "syntax.pos_jsd_3", "syntax.pos_trigram_surprisal",
                "syntax.mean_sentence_length")) {
            assertTrue(f.containsKey(name), name + " in " + f.keySet());
            assertTrue(Double.isFinite(f.get(name)), name + " = " + f.get(name));
        }
        assertEquals(400, f.get("panel.input_texts"));
        assertEquals(120, f.get("panel.measured_texts"));
        List<String> sample = MetricsPanel.subsample(texts, 120, 3);
        assertEquals(LexicalPanel.create().measure(sample).get("lexical.ttr"), f.get("lexical.ttr"));
        SortedMap<String, Double> syntax = SyntacticPanel.create().withReference(reference).measure(sample);
        assertEquals(syntax, f.subMap("syntax.", "syntax.\uffff"), "syntax figures of the same sample and reference");
        assertEquals(f, panel.measure(texts), "deterministic");
        assertTrue(f.get("semantic.vendi") >= 1 && f.get("semantic.vendi") <= 16);
        assertTrue(f.get("fidelity.perplexity") > 10 && f.get("fidelity.perplexity") < 100);
    }

    @Test
    void diverseSetsScoreHigherThanRepetitiveOnes() {
        MetricsPanel panel = MetricsPanel.builder().encoder(new BigramEncoder())
                .referenceTexts(sentences(300, 1, 40)).sampleSize(150).syntax(false).build();
        SortedMap<String, Double> diverse = panel.measure(sentences(300, 5, 40));
        SortedMap<String, Double> narrow = panel.measure(sentences(300, 5, 6));
        for (String name : List.of("lexical.ttr", "lexical.distinct_2", "semantic.mean_cosine_distance",
                "semantic.vendi", "semantic.hull_volume_k5", "semantic.logdet_cov")) {
            assertTrue(diverse.get(name) > narrow.get(name), name + ": " + diverse.get(name) + " vs "
                    + narrow.get(name));
        }
    }

    @Test
    void identicalTextsHaveNoSemanticSpread() {
        MetricsPanel panel = MetricsPanel.builder().encoder(new BigramEncoder()).syntax(false).build();
        assertEquals(MetricsPanel.PcaFit.SELF, panel.pcaFit());
        SortedMap<String, Double> f = panel.measure(Collections.nCopies(50, "the same sentence again"));
        assertEquals(0, f.get("semantic.mean_cosine_distance"), 1e-12);
        assertEquals(0, f.get("semantic.cosine_distance_q95"), 1e-12);
        assertEquals(1, f.get("semantic.vendi"), 1e-9);
        assertTrue(Double.isNaN(f.get("semantic.hull_volume_k5")));
        SortedMap<String, Double> one = panel.measure(List.of("alone"));
        assertTrue(Double.isNaN(one.get("semantic.mean_cosine_distance")));
        assertTrue(Double.isNaN(one.get("semantic.hull_volume_k5")));
    }

    @Test
    void precomputedVectorsStandInForAnEncoder() {
        List<String> texts = sentences(60, 9, 40);
        Embeddings vectors = new BigramEncoder().encode(texts);
        // scale rows: the panel normalises, so the figures are those of the encoder
        double[][] scaled = vectors.toArray();
        for (int i = 0; i < scaled.length; i++) {
            for (int j = 0; j < scaled[i].length; j++) {
                scaled[i][j] *= 1 + i;
            }
        }
        MetricsPanel viaVectors = MetricsPanel.builder()
                .encoder(new PrecomputedEncoder(texts, Embeddings.of(scaled))).lexical(null).syntax(false).hullDimension(3)
                .build();
        MetricsPanel viaEncoder = MetricsPanel.builder().encoder(new BigramEncoder()).lexical(null).syntax(false)
                .hullDimension(3).build();
        SortedMap<String, Double> a = viaVectors.measure(texts);
        SortedMap<String, Double> b = viaEncoder.measure(texts);
        assertEquals(b.keySet(), a.keySet());
        for (String k : a.keySet()) {
            assertEquals(b.get(k), a.get(k), 1e-9 * Math.max(1, Math.abs(b.get(k))), k);
        }
        assertTrue(a.containsKey("semantic.hull_volume_k3"));
        assertThrows(IllegalArgumentException.class, () -> viaVectors.measure(List.of("a text nobody supplied")));
        assertThrows(IllegalArgumentException.class, () -> new PrecomputedEncoder(texts.subList(0, 3), vectors));
    }

    @Test
    void configurationErrors() {
        assertThrows(IllegalStateException.class, () -> MetricsPanel.builder().encoder(new BigramEncoder())
                .pcaFit(MetricsPanel.PcaFit.REFERENCE).build());
        assertThrows(IllegalStateException.class, () -> MetricsPanel.builder().encoder(new BigramEncoder())
                .referenceTexts(List.of("a", "b")).build());
        assertThrows(IllegalArgumentException.class, () -> MetricsPanel.builder().sampleSize(0));
        assertThrows(IllegalArgumentException.class, () -> MetricsPanel.builder().hullDimension(9));
        assertThrows(IllegalArgumentException.class, () -> MetricsPanel.builder().build().measure(List.of()));
        SortedMap<String, Double> byDefault = MetricsPanel.builder().build().measure(List.of("a b c.", "a b."));
        assertTrue(byDefault.keySet().stream().noneMatch(k -> k.startsWith("semantic.") || k.startsWith("fidelity.")));
        assertTrue(byDefault.containsKey("lexical.ttr") && byDefault.containsKey("syntax.pos_entropy_1"));
        assertTrue(!byDefault.containsKey("syntax.pos_jsd_1"), "no reference, no JSD");
        SortedMap<String, Double> lexicalOnly = MetricsPanel.builder().syntax(false).build()
                .measure(List.of("a b c", "a b"));
        assertTrue(lexicalOnly.keySet().stream().allMatch(k -> k.startsWith("lexical.") || k.startsWith("panel.")));
    }

    @Test
    void pretokenizedTextsKeepCaseAndPunctuation() {
        List<String> texts = List.of("The cat .", "the cat !");
        double plain = MetricsPanel.builder().syntax(false).build().measure(texts).get("lexical.types");
        double pre = MetricsPanel.builder().syntax(false).pretokenized(true).build().measure(texts)
                .get("lexical.types");
        assertEquals(2, plain);
        assertEquals(5, pre);
    }
}
