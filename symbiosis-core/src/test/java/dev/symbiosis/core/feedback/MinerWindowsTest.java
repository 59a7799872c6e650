package dev.symbiosis.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Step C's windows (issue 16, point 2): a minimum length, at most one kept window per stretch of a document, and
 * the random-span control.
 */
class MinerWindowsTest {

    private static final CharBigramModel STUDENT = MinerOptionsTest.STUDENT;

    /** A document of familiar text that ends in a short burst of text the Student has never seen. */
    private static Document familiarWithStrangeTail(String id) {
        String body = "the cat sat on the mat. ".repeat(30);
        return new Document(id, body + "qzx vjk wpq", Provenance.of("pool"));
    }

    @Test
    void aShortLastPieceJoinsTheWindowBeforeItAndShortDocumentsStayWhole() {
        Document d = familiarWithStrangeTail("d");
        List<Document> loose = UncertaintyFeedbackMiner.windows(d, 100, 0);
        List<Document> joined = UncertaintyFeedbackMiner.windows(d, 100, 40);
        assertTrue(loose.get(loose.size() - 1).text().length() < 40, "the loose cut leaves a short tail");
        assertEquals(loose.size() - 1, joined.size());
        for (Document w : joined) {
            assertTrue(w.text().length() >= 40, w.text());
            assertTrue(w.text().length() <= 140, w.text().length() + " chars");
        }
        assertTrue(joined.get(joined.size() - 1).text().endsWith("qzx vjk wpq"));
        // nothing is lost: the windows cover the document's words in order
        assertEquals(String.join(" ", d.text().split("\\s+")),
                String.join(" ", joined.stream().map(Document::text).toList()).replaceAll("\\s+", " "));
        Document shortDoc = new Document("s", "short", Provenance.of("p"));
        assertEquals(List.of(shortDoc), UncertaintyFeedbackMiner.windows(shortDoc, 100, 40),
                "a short document is the corpus's own: it stays a candidate");
        assertEquals(List.of(d), UncertaintyFeedbackMiner.windows(d, 0, 40), "windowChars 0 keeps it whole");
        assertEquals(UncertaintyFeedbackMiner.windows(d, 100), loose, "the two-argument form has no minimum");
    }

    @Test
    void aShortStrangeTailNoLongerWinsOnMeanEntropy() {
        List<Document> pool = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pool.add(new Document("plain-" + i, "the cat sat on the mat. ".repeat(10 + 3 * i), Provenance.of("p")));
        }
        pool.add(familiarWithStrangeTail("odd"));
        UncertaintyFeedbackMiner.Builder b = UncertaintyFeedbackMiner.builder().optTopK(3).optWindowChars(100)
                .optSaliency(false).optStretchChars(0);
        Feedback loose = b.optMinWindowChars(0).build().mine(STUDENT, pool, 1);
        Feedback fixed = b.optMinWindowChars(40).build().mine(STUDENT, pool, 1);
        HardExample top = loose.hardExamples().get(0);
        assertTrue(top.document().id().startsWith("odd#") && top.document().text().length() < 40,
                "without a minimum the short tail is the hardest window: " + top.document().text());
        for (HardExample h : fixed.hardExamples()) {
            assertTrue(h.document().text().length() >= 40, h.document().text());
        }
    }

    @Test
    void atMostOneKeptWindowPerStretchOfADocument() {
        List<Document> pool = TinyLoop.POOL.subList(0, 8);
        UncertaintyFeedbackMiner.Builder b = UncertaintyFeedbackMiner.builder().optTopK(6).optWindowChars(40)
                .optMinWindowChars(0).optSaliency(false);
        Feedback unlimited = b.optStretchChars(0).build().mine(STUDENT, pool, 1);
        Feedback limited = b.optStretchChars(100).build().mine(STUDENT, pool, 1);
        assertEquals(6, limited.hardExamples().size(), "passed-over windows are replaced by the next hardest");
        Map<String, List<Integer>> starts = new HashMap<>();
        for (HardExample h : limited.hardExamples()) {
            starts.computeIfAbsent(UncertaintyFeedbackMiner.windowDocument(h.document()), k -> new ArrayList<>())
                    .add(UncertaintyFeedbackMiner.windowStart(h.document()));
        }
        for (List<Integer> s : starts.values()) {
            for (int i = 0; i < s.size(); i++) {
                for (int j = i + 1; j < s.size(); j++) {
                    assertTrue(Math.abs(s.get(i) - s.get(j)) >= 100, s.toString());
                }
            }
        }
        Map<String, Integer> perDoc = new HashMap<>();
        for (HardExample h : unlimited.hardExamples()) {
            perDoc.merge(UncertaintyFeedbackMiner.windowDocument(h.document()), 1, Integer::sum);
        }
        assertTrue(perDoc.values().stream().anyMatch(n -> n > 1),
                "the example needs a document with several hard windows: " + perDoc);
        // kept windows are still in hardness order
        for (int i = 1; i < limited.hardExamples().size(); i++) {
            assertTrue(limited.hardExamples().get(i - 1).hardness() >= limited.hardExamples().get(i).hardness());
        }
    }

    @Test
    void onePerStretchIsGreedyInRankOrder() {
        record W(String doc, int start) {}
        List<W> ranked = List.of(new W("a", 0), new W("a", 50), new W("b", 0), new W("a", 300), new W("b", 10));
        assertEquals(List.of(new W("a", 0), new W("b", 0), new W("a", 300)),
                UncertaintyFeedbackMiner.onePerStretch(ranked, 5, 100, W::doc, W::start));
        assertEquals(List.of(new W("a", 0), new W("b", 0)),
                UncertaintyFeedbackMiner.onePerStretch(ranked, 2, 100, W::doc, W::start));
        assertEquals(ranked.subList(0, 3), UncertaintyFeedbackMiner.onePerStretch(ranked, 3, 0, W::doc, W::start));
        assertEquals(List.of(), UncertaintyFeedbackMiner.onePerStretch(List.<W>of(), 3, 100, W::doc, W::start));
    }

    @Test
    void randomSpansAreSeededNonOverlappingAndOfTheSameWidth() {
        String text = "the cat sat on the mat and the dog ran to the park by the river";
        List<SaliencyMap> maps = STUDENT.saliency(List.of(text));
        SaliencyMap m = maps.get(0);
        ImmutableList<Span> a = UncertaintyFeedbackMiner.randomSpans(m, 4, 2, new SplittableRandom(3));
        ImmutableList<Span> b = UncertaintyFeedbackMiner.randomSpans(m, 4, 2, new SplittableRandom(3));
        assertEquals(a, b);
        assertEquals(2, a.size());
        assertTrue(a.get(0).end() <= a.get(1).start() || a.get(1).end() <= a.get(0).start(), a.toString());
        boolean differs = false;
        for (int seed = 0; seed < 20 && !differs; seed++) {
            differs = !UncertaintyFeedbackMiner.randomSpans(m, 4, 2, new SplittableRandom(seed))
                    .equals(UncertaintyFeedbackMiner.topSpans(m, 4, 2));
        }
        assertTrue(differs, "some seed gives spans other than the most salient");

        List<Document> pool = TinyLoop.POOL.subList(0, 6);
        UncertaintyFeedbackMiner.Builder base = UncertaintyFeedbackMiner.builder().optTopK(4).optWindowChars(60);
        Feedback salient = base.build().mine(STUDENT, pool, 1);
        Feedback random = base.optRandomSpans(9).build().mine(STUDENT, pool, 1);
        assertEquals(salient.hardExamples().stream().map(h -> h.document().id()).toList(),
                random.hardExamples().stream().map(h -> h.document().id()).toList(), "same windows kept");
        assertNotEquals(salient.hardExamples().stream().map(HardExample::salientSpans).toList(),
                random.hardExamples().stream().map(HardExample::salientSpans).toList());
        assertEquals(9L, base.build().settings().get("randomSpanSeed"));
    }

    @Test
    void invalidWindowOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UncertaintyFeedbackMiner.builder().optMinWindowChars(-1));
        assertThrows(IllegalArgumentException.class, () -> UncertaintyFeedbackMiner.builder().optStretchChars(-1));
        assertEquals(160, UncertaintyFeedbackMiner.create().settings().get("minWindowChars"));
        assertEquals(40, UncertaintyFeedbackMiner.builder().optWindowChars(120).build().settings()
                .get("minWindowChars"));
    }
}
