package dev.symbiosis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MatchedSampleTest {

    private static List<String> texts(String stem, int n, int repeat) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((stem + i + " ").repeat(repeat).strip());
        }
        return out;
    }

    @Test
    void everyDrawHasTheCountAndLengthWhateverTheSetsSizeAndLengths() {
        MatchedSample m = new MatchedSample(7, 20, 11L);
        List<String> manyShort = texts("short", 50, 4);
        List<String> fewLong = texts("a-long-text-", 9, 40);
        for (List<String> set : List.of(manyShort, fewLong)) {
            List<String> drawn = m.draw(set).orElseThrow();
            assertEquals(7, drawn.size());
            for (String t : drawn) {
                assertEquals(20, t.codePointCount(0, t.length()));
                assertTrue(set.stream().anyMatch(s -> s.startsWith(t)), t);
            }
            assertEquals(7, drawn.stream().distinct().count(), "drawn without replacement");
            assertEquals(drawn, m.draw(set).orElseThrow(), "seeded");
        }
        assertNotEquals(m.draw(manyShort), new MatchedSample(7, 20, 12L).draw(manyShort), "the seed matters");
    }

    @Test
    void shortTextsAreNeverDrawnAndTooFewEligibleGiveNoSample() {
        List<String> set = List.of("0123456789", "abc", "ABCDEFGHIJKL", "xy", "qrstuvwxyz");
        assertEquals(List.of("0123456789", "ABCDEFGHIJKL", "qrstuvwxyz"), MatchedSample.eligible(set, 10));
        // three eligible texts, three drawn: all of them, in order, cut to 10
        assertEquals(Optional.of(List.of("0123456789", "ABCDEFGHIJ", "qrstuvwxyz")),
                new MatchedSample(3, 10, 1L).draw(set));
        assertEquals(Optional.empty(), new MatchedSample(4, 10, 1L).draw(set));
        assertEquals(3, MatchedSample.commonCount(List.of(set, texts("t", 40, 5)), 10, 100));
        assertEquals(2, MatchedSample.commonCount(List.of(set, texts("t", 40, 5)), 10, 2));
        assertEquals(0, MatchedSample.commonCount(List.of(set), 13, 100));
    }

    @Test
    void lengthCountsCodePointsAndNeverSplitsASurrogatePair() {
        String faces = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02";
        assertEquals("\uD83D\uDE00\uD83D\uDE01", MatchedSample.cut(faces, 2));
        assertEquals(List.of(faces), MatchedSample.eligible(List.of(faces, "ab"), 3));
        assertThrows(IllegalArgumentException.class, () -> MatchedSample.cut(faces, 4));
        assertThrows(IllegalArgumentException.class, () -> new MatchedSample(0, 5, 1L));
        assertThrows(IllegalArgumentException.class, () -> new MatchedSample(5, 0, 1L));
        assertThrows(IllegalArgumentException.class, () -> MatchedSample.commonCount(List.of(), 5, 5));
    }
}
