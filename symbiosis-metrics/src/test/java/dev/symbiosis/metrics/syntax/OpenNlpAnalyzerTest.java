package dev.symbiosis.metrics.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenNLP UD English pipeline: known tags, sentence splitting, determinism over thread counts. */
class OpenNlpAnalyzerTest {

    private static OpenNlpAnalyzer one;
    private static OpenNlpAnalyzer two;

    @BeforeAll
    static void load() {
        one = OpenNlpAnalyzer.create(1);
        two = OpenNlpAnalyzer.create(2);
    }

    @Test
    void tagsAKnownSentenceWithUpos() {
        TaggedSentence s = one.tag(List.of("The", "cat", "sat", "on", "the", "mat", "."));
        assertEquals(List.of("DET", "NOUN", "VERB", "ADP", "DET", "NOUN", "PUNCT"), s.tags());
        assertEquals(List.of(Upos.DET, Upos.NOUN, Upos.VERB, Upos.ADP, Upos.DET, Upos.NOUN, Upos.PUNCT), s.upos());
    }

    @Test
    void splitsSentencesAndTokens() {
        List<TaggedSentence> s = one.analyze("The cat sat on the mat. Because it rained, he stayed home!");
        assertEquals(2, s.size());
        assertEquals(List.of("The", "cat", "sat", "on", "the", "mat", "."), s.get(0).tokens());
        assertEquals(List.of("DET", "NOUN", "VERB", "ADP", "DET", "NOUN", "PUNCT"), s.get(0).tags());
        assertEquals("Because", s.get(1).tokens().get(0));
        assertEquals("SCONJ", s.get(1).tags().get(0));
        assertEquals(List.of(), one.analyze("   "));
        assertEquals(List.of(), one.analyze(""));
    }

    /** Varied English sentences from a small grammar (fixed seed). */
    static List<String> texts(int count, long seed) {
        String[] dets = {"The", "A", "This", "Every", "My"};
        String[] nouns = {"cat", "dog", "teacher", "river", "city", "child", "engine", "report", "garden", "storm"};
        String[] verbs = {"saw", "found", "liked", "moved", "built", "opened", "carried", "watched"};
        String[] adjs = {"old", "small", "bright", "quiet", "heavy", "green"};
        String[] preps = {"near", "behind", "under", "after", "with"};
        String[] subs = {"because", "although", "when", "if"};
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder();
            int sentences = 1 + r.nextInt(3);
            for (int k = 0; k < sentences; k++) {
                b.append(dets[r.nextInt(dets.length)]).append(' ');
                if (r.nextBoolean()) {
                    b.append(adjs[r.nextInt(adjs.length)]).append(' ');
                }
                b.append(nouns[r.nextInt(nouns.length)]).append(' ').append(verbs[r.nextInt(verbs.length)])
                        .append(" the ").append(nouns[r.nextInt(nouns.length)]);
                if (r.nextBoolean()) {
                    b.append(' ').append(preps[r.nextInt(preps.length)]).append(" the ")
                            .append(nouns[r.nextInt(nouns.length)]);
                }
                if (r.nextInt(3) == 0) {
                    b.append(' ').append(subs[r.nextInt(subs.length)]).append(" it ")
                            .append(verbs[r.nextInt(verbs.length)]).append(" them");
                }
                b.append(r.nextInt(5) == 0 ? "! " : ". ");
            }
            out.add(b.toString().trim());
        }
        return out;
    }

    @Test
    void taggingIsTheSameWithOneAndTwoThreads() {
        List<String> texts = texts(120, 42);
        assertTrue(texts.stream().mapToInt(String::length).sum() > OpenNlpAnalyzer.PARALLEL_MIN_CHARS);
        List<List<TaggedSentence>> sequential = one.analyzeAll(texts);
        List<List<TaggedSentence>> parallel = two.analyzeAll(texts);
        assertEquals(texts.size(), parallel.size());
        assertEquals(sequential, parallel);
        assertEquals(two.analyze(texts.get(7)), parallel.get(7));
    }

    @Test
    void panelOnRealTagging() {
        List<String> reference = texts(40, 1);
        SyntacticPanel panel = SyntacticPanel.create(two).withReference(reference);
        SortedMap<String, Double> same = panel.measure(reference);
        SortedMap<String, Double> other = panel.measure(List.of("Run! Stop it now. Yes, yes, yes."));
        for (int n = 1; n <= 4; n++) {
            assertEquals(0.0, same.get("syntax.pos_jsd_" + n), 1e-12);
            assertTrue(other.get("syntax.pos_jsd_" + n) > 0.2, "jsd " + n + " " + other.get("syntax.pos_jsd_" + n));
        }
        assertTrue(other.get("syntax.pos_trigram_surprisal") > same.get("syntax.pos_trigram_surprisal"));
        assertTrue(same.get("syntax.sentences") >= 40);
        assertTrue(same.get("syntax.verb_rate") > 0.1 && same.get("syntax.verb_rate") < 0.4);
    }
}
