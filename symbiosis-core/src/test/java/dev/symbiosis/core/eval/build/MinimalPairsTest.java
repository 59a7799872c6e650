package dev.symbiosis.core.eval.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.eval.build.MinimalPairs.Kind;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinimalPairsTest {

    private static Document doc(String id, String text) {
        return new Document(id, text, Provenance.of("austen"));
    }

    private static MinimalPairs lenient() {
        return MinimalPairs.builder().optMinPerKind(1).build();
    }

    /** The two sentences an item compares: the context with each choice. */
    private static String right(MultipleChoiceItem i) {
        return i.scoredText(i.answer());
    }

    private static String wrong(MultipleChoiceItem i) {
        return i.scoredText(1 - i.answer());
    }

    @Test
    void theRightChoiceRestoresTheRealTextAndTheWrongOneDiffersByTheKindsChange() {
        String text = "It was late in the evening. The horses are tired and the road is long. "
                + "She took an apple from this basket on the table.";
        MinimalPairs.Result r = lenient().build(List.of(doc("d1", text)));
        for (Kind k : Kind.values()) {
            List<MultipleChoiceItem> items = r.items().getOrDefault(k, List.of());
            for (MultipleChoiceItem i : items) {
                assertEquals(k.task(), i.task());
                assertEquals(2, i.choices().size());
                // the context and the right choice are a stretch of the document as written
                assertTrue(text.contains(right(i)), k + ": " + right(i));
                assertTrue(!text.contains(wrong(i)), k + ": " + wrong(i));
                String[] a = right(i).split(" ");
                String[] b = wrong(i).split(" ");
                assertEquals(a.length, b.length);
                int differing = 0;
                for (int w = 0; w < a.length; w++) {
                    differing += a[w].equals(b[w]) ? 0 : 1;
                }
                assertEquals(k == Kind.ADJACENT_SWAP ? 2 : 1, differing, right(i) + " / " + wrong(i));
            }
        }
        // one item per sentence and kind; the first sentence's only context is its first word
        assertEquals(1, r.items().get(Kind.IS_ARE).size());
        assertEquals(1, r.items().get(Kind.A_AN).size());
        assertEquals(1, r.items().get(Kind.THIS_THESE).size());
        assertEquals("It", r.items().get(Kind.WAS_WERE).get(0).context());
        assertEquals(3, r.items().get(Kind.ADJACENT_SWAP).size());
        MultipleChoiceItem isAre = r.items().get(Kind.IS_ARE).get(0);
        assertTrue(wrong(isAre).contains("horses is tired") || wrong(isAre).contains("road are long"),
                wrong(isAre));
    }

    @Test
    void aChangeAtTheStartOfTheDocumentHasNoContextAndIsSkipped() {
        MinimalPairs.Result r = lenient().build(List.of(doc("d", "these men came home.")));
        assertTrue(r.dropped().contains(Kind.THIS_THESE), r.toString());
    }

    @Test
    void aLetterAIsNoArticle() {
        MinimalPairs.Result r = lenient().build(List.of(doc("d", "He wrote it down. The mark was a.")));
        assertTrue(r.dropped().contains(Kind.A_AN), r.toString());
    }

    @Test
    void kindsBelowTheMinimumAreDroppedAndCounted() {
        String text = "The day began. The men were ready and the horse was fed. The sky is blue today.";
        MinimalPairs.Result r = MinimalPairs.builder().optMinPerKind(2).build().build(List.of(doc("d", text)));
        assertEquals(1, r.found().get(Kind.WAS_WERE));
        assertEquals(1, r.found().get(Kind.IS_ARE));
        assertTrue(r.dropped().containsAll(List.of(Kind.WAS_WERE, Kind.IS_ARE)));
        assertTrue(!r.items().containsKey(Kind.WAS_WERE));
    }

    @Test
    void largeKindsAreSampledWithTheSeedAndTheChoiceOrderVaries() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            docs.add(doc("d" + i, "Once upon a time there lived a king. The king was old and the queen was young."));
        }
        MinimalPairs.Result a = MinimalPairs.builder().optMinPerKind(1).optMaxPerKind(50).optSeed(1).build().build(docs);
        MinimalPairs.Result b = MinimalPairs.builder().optMinPerKind(1).optMaxPerKind(50).optSeed(1).build().build(docs);
        MinimalPairs.Result c = MinimalPairs.builder().optMinPerKind(1).optMaxPerKind(50).optSeed(2).build().build(docs);
        assertEquals(200, a.found().get(Kind.WAS_WERE));
        assertEquals(50, a.items().get(Kind.WAS_WERE).size());
        assertEquals(a.items(), b.items());
        assertNotEquals(a.items().get(Kind.WAS_WERE), c.items().get(Kind.WAS_WERE));
        long rightFirst = a.items().get(Kind.WAS_WERE).stream().filter(i -> i.answer() == 0).count();
        assertTrue(rightFirst > 10 && rightFirst < 40, "right choice first in " + rightFirst + " of 50");
    }

    @Test
    void anItemDoesNotDependOnTheOtherDocuments() {
        Document d = doc("x", "The door opened. The children were in the garden and this dog is theirs.");
        MinimalPairs.Result alone = lenient().build(List.of(d));
        MinimalPairs.Result withOthers = lenient().build(List.of(doc("y", "It rained. Then it is over."), d));
        for (Kind k : alone.items().keySet()) {
            assertTrue(withOthers.items().get(k).containsAll(alone.items().get(k)), k.toString());
        }
    }

    @Test
    void emptyInputGivesNoItems() {
        MinimalPairs.Result r = MinimalPairs.builder().build().build(List.of());
        assertTrue(r.all().isEmpty());
        assertEquals(List.of(Kind.values()), r.dropped());
    }
}
