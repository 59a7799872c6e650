package dev.symbiosis.metrics.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Exact values on hand-tagged sentences (no model needed), computed by hand in the comments. */
class PosStatisticsTest {

    private static final double EPS = 1e-12;

    /** A sentence from "word/TAG word/TAG ...". */
    static TaggedSentence sentence(String tagged) {
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String wt : tagged.trim().split("\\s+")) {
            int slash = wt.lastIndexOf('/');
            tokens.add(wt.substring(0, slash));
            tags.add(wt.substring(slash + 1));
        }
        return new TaggedSentence(tokens, tags);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void uposParsingAndCompoundTags() {
        assertEquals(Upos.SCONJ, Upos.parse("sconj"));
        assertEquals(Upos.X, Upos.parse("NN"));
        assertEquals(17, Upos.COUNT);
        TaggedSentence s = sentence("I/PRON didn't/AUX+PART go/VERB ./PUNCT");
        assertEquals(4, s.size());
        assertEquals(List.of(Upos.PRON, Upos.AUX, Upos.PART, Upos.VERB, Upos.PUNCT), s.upos());
        assertThrows(IllegalArgumentException.class, () -> new TaggedSentence(List.of("a"), List.of()));
        assertEquals("I/PRON didn't/AUX+PART go/VERB ./PUNCT", s.toString());
    }

    @Test
    void posNGramFigures() {
        // DET NOUN VERB DET NOUN
        //   1-grams: DET 2, NOUN 2, VERB 1: total 5, distinct 3; H = -(2 * .4 log2 .4 + .2 log2 .2)
        //   2-grams: DN, NV, VD, DN: total 4, distinct 3; H = -(.5 log2 .5 + 2 * .25 log2 .25) = 1.5
        //   3-grams: DNV, NVD, VDN: 3 of 3, H = log2 3
        //   4-grams: DNVD, NVDN: 2 of 2, H = 1
        PosNGrams g = PosNGrams.of(List.of(sentence("the/DET cat/NOUN saw/VERB a/DET dog/NOUN")));
        assertEquals(0.6, g.distinctRatio(1), EPS);
        assertEquals(-(2 * 0.4 * log2(0.4) + 0.2 * log2(0.2)), g.entropyBits(1), EPS);
        assertEquals(0.75, g.distinctRatio(2), EPS);
        assertEquals(1.5, g.entropyBits(2), EPS);
        assertEquals(1.0, g.distinctRatio(3), EPS);
        assertEquals(log2(3), g.entropyBits(3), EPS);
        assertEquals(1.0, g.distinctRatio(4), EPS);
        assertEquals(1.0, g.entropyBits(4), EPS);
        assertEquals(2, g.count(List.of(Upos.DET, Upos.NOUN)));
        // n-grams do not cross sentences: "DET NOUN" + "VERB": the 2-gram NOUN VERB is absent
        PosNGrams two = PosNGrams.of(List.of(sentence("a/DET b/NOUN"), sentence("c/VERB")));
        assertEquals(1, two.total(2));
        assertEquals(0, two.count(List.of(Upos.NOUN, Upos.VERB)));
        assertTrue(Double.isNaN(two.distinctRatio(3)));
        assertTrue(Double.isNaN(two.entropyBits(3)));
        assertThrows(IllegalArgumentException.class, () -> two.total(5));
    }

    @Test
    void jensenShannonByHand() {
        // disjoint supports: 1 bit
        assertEquals(1.0, Distributions.jensenShannonBits(new long[] {1, 0}, new long[] {0, 3}), EPS);
        // p = (.5, .5), q = (1, 0), m = (.75, .25):
        //   KL(p||m) = .5 log2(.5/.75) + .5 log2(.5/.25) = .5 log2(2/3) + .5
        //   KL(q||m) = log2(1/.75) = log2(4/3)
        double expected = (0.5 * log2(2.0 / 3) + 0.5 + log2(4.0 / 3)) / 2;
        assertEquals(expected, Distributions.jensenShannonBits(new long[] {1, 1}, new long[] {1, 0}), EPS);
        assertEquals(0.0, Distributions.jensenShannonBits(new long[] {2, 6, 0}, new long[] {1, 3, 0}), EPS);
        assertTrue(Double.isNaN(Distributions.jensenShannonBits(new long[] {0, 0}, new long[] {1, 0})));
        assertThrows(IllegalArgumentException.class,
                () -> Distributions.jensenShannonBits(new long[] {1}, new long[] {1, 2}));
        assertEquals(2.0, Distributions.entropyBits(new long[] {1, 1, 1, 1}), EPS);
        assertEquals(0.0, Distributions.entropyBits(new long[] {0, 5}), EPS);
        assertTrue(Double.isNaN(Distributions.entropyBits(new long[] {0, 0})));
    }

    @Test
    void complexityByHand() {
        // "I think that he will come ." PRON VERB SCONJ PRON AUX VERB PUNCT: 7 words, SCONJ 1, VERB 2, AUX 1
        // "Oh !" INTJ PUNCT: 2 words
        // S = 2, W = 9: length 4.5, SCONJ/S = .5, (VERB+AUX)/S = 1.5, VERB/W = 2/9
        PosComplexity c = PosComplexity.of(List.of(
                sentence("I/PRON think/VERB that/SCONJ he/PRON will/AUX come/VERB ./PUNCT"),
                sentence("Oh/INTJ !/PUNCT")));
        assertEquals(4.5, c.meanSentenceLength(), EPS);
        assertEquals(0.5, c.subordinatorsPerSentence(), EPS);
        assertEquals(1.5, c.clausesPerSentence(), EPS);
        assertEquals(2.0 / 9, c.verbRate(), EPS);
        // compound tags count as their parts: "didn't" AUX+PART is 2 words, one AUX
        PosComplexity d = PosComplexity.of(List.of(sentence("I/PRON didn't/AUX+PART ./PUNCT")));
        assertEquals(4.0, d.meanSentenceLength(), EPS);
        assertEquals(1.0, d.clausesPerSentence(), EPS);
        PosComplexity empty = PosComplexity.create();
        assertTrue(Double.isNaN(empty.meanSentenceLength()));
        assertTrue(Double.isNaN(empty.verbRate()));
    }

    @Test
    void trigramSurprisalByHand() {
        // reference "DET NOUN": padded <s> <s> DET NOUN </s>: trigrams (<s>,<s>,DET) (<s>,DET,NOUN) (DET,NOUN,</s>),
        // each context seen once. Under add-one with 18 outcomes each of these has P = (1 + 1) / (1 + 18) = 2/19.
        PosTrigramModel m = PosTrigramModel.of(List.of(sentence("the/DET cat/NOUN")));
        assertEquals(2.0 / 19, m.probability(null, null, Upos.DET), EPS);
        assertEquals(2.0 / 19, m.probability(Upos.DET, Upos.NOUN, null), EPS);
        assertEquals(log2(19 / 2.0), m.meanSurprisalBits(List.of(sentence("a/DET dog/NOUN"))), EPS);
        // "NOUN": (<s>,<s>,NOUN): context seen once, trigram never: 1/19; (<s>,NOUN,</s>): unseen context: 1/18
        assertEquals((log2(19) + log2(18)) / 2, m.meanSurprisalBits(List.of(sentence("dogs/NOUN"))), EPS);
        assertTrue(Double.isNaN(m.meanSurprisalBits(List.of())));
        // every context's probabilities sum to one
        for (Upos a : new Upos[] {null, Upos.DET, Upos.NOUN}) {
            for (Upos b : new Upos[] {null, Upos.DET, Upos.NOUN}) {
                double sum = m.probability(a, b, null);
                for (Upos c : Upos.values()) {
                    sum += m.probability(a, b, c);
                }
                assertEquals(1.0, sum, 1e-12);
            }
        }
    }

    @Test
    void routesAgree() {
        List<TaggedSentence> all = Arrays.asList(
                sentence("I/PRON think/VERB that/SCONJ he/PRON will/AUX come/VERB ./PUNCT"),
                sentence("Oh/INTJ !/PUNCT"),
                sentence("the/DET cat/NOUN saw/VERB a/DET dog/NOUN"),
                sentence("I/PRON didn't/AUX+PART ./PUNCT"));
        PosNGrams g = PosNGrams.of(all);
        PosNGrams halves = PosNGrams.of(all.subList(0, 2)).combine(PosNGrams.of(all.subList(2, 4)));
        PosNGrams streamed = PosNGrams.create();
        all.forEach(streamed::accept);
        PosTrigramModel m = PosTrigramModel.of(all);
        PosTrigramModel mh = PosTrigramModel.of(all.subList(0, 1)).combine(PosTrigramModel.of(all.subList(1, 4)));
        PosComplexity c = PosComplexity.of(all);
        PosComplexity ch = PosComplexity.of(all.subList(0, 3)).combine(PosComplexity.of(all.subList(3, 4)));
        for (int n = 1; n <= 4; n++) {
            assertTrue(Arrays.equals(g.counts(n), halves.counts(n)));
            assertTrue(Arrays.equals(g.counts(n), streamed.counts(n)));
        }
        assertEquals(m.meanSurprisalBits(all), mh.meanSurprisalBits(all));
        assertEquals(c.meanSentenceLength(), ch.meanSentenceLength());
        assertEquals(c.clausesPerSentence(), ch.clausesPerSentence());
    }

    @Test
    void panelOverAFakeAnalyzer() {
        // texts are "word/TAG ..." with sentences split at " | "
        SyntaxAnalyzer fake = new SyntaxAnalyzer() {
            @Override
            public List<TaggedSentence> analyze(String text) {
                List<TaggedSentence> out = new ArrayList<>();
                for (String s : text.split(" \\| ")) {
                    if (!s.isBlank()) {
                        out.add(sentence(s));
                    }
                }
                return out;
            }

            @Override
            public TaggedSentence tag(List<String> tokens) {
                throw new UnsupportedOperationException();
            }
        };
        List<String> texts = List.of("the/DET cat/NOUN saw/VERB a/DET dog/NOUN",
                "I/PRON think/VERB that/SCONJ he/PRON will/AUX come/VERB ./PUNCT | Oh/INTJ !/PUNCT");
        SyntacticPanel plain = SyntacticPanel.create(fake);
        SortedMap<String, Double> f = plain.measure(texts);
        assertEquals(List.of("syntax.clauses_per_sentence", "syntax.mean_sentence_length", "syntax.pos_distinct_1",
                "syntax.pos_distinct_2", "syntax.pos_distinct_3", "syntax.pos_distinct_4", "syntax.pos_entropy_1",
                "syntax.pos_entropy_2", "syntax.pos_entropy_3", "syntax.pos_entropy_4", "syntax.sconj_per_sentence",
                "syntax.sentences", "syntax.tokens", "syntax.verb_rate"), List.copyOf(f.keySet()));
        // 3 sentences, 5 + 7 + 2 = 14 words; VERB 3, AUX 1, SCONJ 1
        assertEquals(3.0, f.get("syntax.sentences"));
        assertEquals(14.0, f.get("syntax.tokens"));
        assertEquals(14.0 / 3, f.get("syntax.mean_sentence_length"), EPS);
        assertEquals(4.0 / 3, f.get("syntax.clauses_per_sentence"), EPS);
        assertEquals(1.0 / 3, f.get("syntax.sconj_per_sentence"), EPS);
        assertEquals(3.0 / 14, f.get("syntax.verb_rate"), EPS);

        SyntacticPanel withRef = plain.withReference(texts);
        assertTrue(withRef.hasReference());
        SortedMap<String, Double> r = withRef.measure(texts);
        for (int n = 1; n <= 4; n++) {
            assertEquals(0.0, r.get("syntax.pos_jsd_" + n), EPS);
            assertEquals(f.get("syntax.pos_entropy_" + n), r.get("syntax.pos_entropy_" + n));
        }
        List<TaggedSentence> all = new ArrayList<>();
        texts.forEach(t -> all.addAll(fake.analyze(t)));
        assertEquals(PosTrigramModel.of(all).meanSurprisalBits(all), r.get("syntax.pos_trigram_surprisal"));
        // a set with only nouns is far from the reference
        SortedMap<String, Double> nouns = withRef.measure(List.of("dogs/NOUN cats/NOUN"));
        assertTrue(nouns.get("syntax.pos_jsd_1") > 0.3, "jsd " + nouns.get("syntax.pos_jsd_1"));
        assertTrue(nouns.get("syntax.pos_trigram_surprisal") > r.get("syntax.pos_trigram_surprisal"));
    }
}
