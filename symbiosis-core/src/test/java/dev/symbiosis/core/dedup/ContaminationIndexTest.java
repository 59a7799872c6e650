package dev.symbiosis.core.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContaminationIndexTest {

    private static final String PASSAGE = "It is a truth universally acknowledged, that a single man in possession of"
            + " a good fortune, must be in want of a wife. However little known the feelings or views of such a man"
            + " may be on his first entering a neighbourhood, this truth is so well fixed in the minds of the"
            + " surrounding families.";
    private static final List<Document> EVAL = List.of(
            new Document("eval-1", PASSAGE, Provenance.of("austen")),
            new Document("eval-2", "Call me Ishmael. Some years ago, never mind how long precisely, having little or"
                    + " no money in my purse, I thought I would sail about a little.", Provenance.of("moby")));

    @Test
    void aCopiedPassageIsFoundWithItsSpansInBothTexts() {
        ContaminationIndex index = ContaminationIndex.of(EVAL);
        // 21 words of the passage, in other case and punctuation, inside new text
        String copied = "however LITTLE known the feelings, or views of such a man may be on his first entering a"
                + " neighbourhood this truth";
        String text = "The letter said: " + copied + " and nothing more.";
        ContaminationIndex.Finding f = index.check(text);
        assertEquals(1, f.matches().size(), f.toString());
        ContaminationIndex.Match m = f.matches().get(0);
        assertEquals("eval-1", m.document());
        assertEquals(21, m.words());
        assertEquals(copied, text.substring(m.textStart(), m.textEnd()));
        assertEquals("However little known the feelings or views of such a man may be on his first entering a"
                + " neighbourhood, this truth", PASSAGE.substring(m.documentStart(), m.documentEnd()));
        assertTrue(f.contaminated());
    }

    @Test
    void twelveSharedWordsAreNotAThirteenGramAndTwoRunsAreTwoMatches() {
        ContaminationIndex index = ContaminationIndex.of(EVAL);
        ContaminationIndex.Finding twelve = index.check("so: a single man in possession of a good fortune must be in"
                + " trouble");
        assertTrue(twelve.matches().isEmpty(), twelve.toString());
        ContaminationIndex.Finding two = index.check("Call me Ishmael. Some years ago, never mind how long precisely,"
                + " having little or money. It is a truth universally acknowledged, that a single man in possession"
                + " of a good fortune");
        assertEquals(List.of("eval-2", "eval-1"), two.matches().stream().map(ContaminationIndex.Match::document)
                .toList());
        assertEquals(List.of(14, 16), two.matches().stream().map(ContaminationIndex.Match::words).toList());
    }

    @Test
    void nearDuplicatesAreFoundByWindowAndUnrelatedTextIsClean() {
        ContaminationIndex index = ContaminationIndex.of(EVAL);
        ContaminationIndex.Finding dup = index.check(PASSAGE.replace("wife", "husband"));
        assertTrue(dup.nearDuplicate(), dup.toString());
        assertTrue(dup.similarity() > 0.7, dup.toString());
        assertEquals("eval-1", dup.nearestWindow());
        for (Document d : TinyLoop.POOL.subList(0, 5)) {
            ContaminationIndex.Finding clean = index.check(d.text());
            assertFalse(clean.contaminated(), clean.toString());
            assertTrue(clean.similarity() < 0.2, clean.toString());
        }
        // a shorter n and a lower threshold find more, never less
        ContaminationIndex loose = ContaminationIndex.builder().optNgramWords(5).optNearDuplicateThreshold(0.05)
                .build(EVAL);
        assertTrue(loose.check("a single man in possession of nothing").matches().size() == 1);
    }

    @Test
    void emptyIndexAndInvalidOptions() {
        ContaminationIndex empty = ContaminationIndex.of(List.of());
        ContaminationIndex.Finding f = empty.check(PASSAGE);
        assertFalse(f.contaminated());
        assertNull(f.nearestWindow());
        assertTrue(empty.check("").matches().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ContaminationIndex.builder().optNgramWords(0));
        assertThrows(IllegalArgumentException.class, () -> ContaminationIndex.builder().optNearDuplicateThreshold(0));
        assertEquals(13, ContaminationIndex.of(EVAL).settings().get("ngramWords"));
    }
}
