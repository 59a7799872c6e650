package dev.symbiosis.core.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MinHashTest {

    private static final String A = "It was the best of times, it was the worst of times, it was the age of wisdom, "
            + "it was the age of foolishness.";
    private static final String B = "The sea was calm that morning and the fishing boats went out before the sun "
            + "rose over the grey cliffs.";

    @Test
    void wordsAreLowerCasedRunsOfLettersAndDigits() {
        assertEquals(List.of("it", "s", "3", "o", "clock", "déjà", "vu"), MinHash.words("It's 3 o'clock — Déjà vu!"));
        MinHash m = MinHash.of(16, 3, 1);
        assertEquals(1, m.shingles("two words").size(), "fewer words than a shingle: one shingle");
        assertEquals(m.shingles("Two, WORDS."), m.shingles("two words"));
        assertTrue(m.shingles("...").isEmpty());
    }

    @Test
    void identicalTextsAreDroppedAndDistinctOnesKept() {
        NearDuplicateFilter f = new NearDuplicateFilter(MinHash.create(5), 0.7);
        assertTrue(f.offer(A));
        assertFalse(f.offer(A), "the same text");
        assertFalse(f.offer(A.toUpperCase().replace(",", ";")), "the same words, other case and punctuation");
        assertTrue(f.offer(B));
        assertEquals(List.of(), f.filter(List.of(A, B)));
        assertEquals(2, f.size());
        // a light edit of a long text stays a near duplicate; the estimate is close to the exact Jaccard
        String edited = A.replace("foolishness", "folly");
        MinHash m = MinHash.create(5);
        double exact = MinHash.jaccard(m.shingles(A), m.shingles(edited));
        assertEquals(exact, MinHash.estimate(m.signature(A), m.signature(edited)), 0.2);
        assertTrue(f.maxSimilarity(edited) >= 0.5, "similarity " + f.maxSimilarity(edited));
    }

    @Test
    void theSameSeedGivesTheSameSignatures() {
        assertArrayEquals(MinHash.create(9).signature(A), MinHash.create(9).signature(A));
        assertFalse(java.util.Arrays.equals(MinHash.create(9).signature(A), MinHash.create(10).signature(A)));
        assertThrows(IllegalArgumentException.class, () -> MinHash.of(0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> MinHash.of(8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> MinHash.estimate(new long[2], new long[3]));
    }

    /** Two random sets of shingle hashes with a chosen overlap. */
    private static List<Set<Long>> sets(long seed, int sizeA, int sizeB, double overlap) {
        SplittableRandom r = new SplittableRandom(seed);
        Set<Long> a = new HashSet<>();
        while (a.size() < sizeA) {
            a.add(r.nextLong());
        }
        Set<Long> b = new HashSet<>();
        List<Long> fromA = new ArrayList<>(a);
        int shared = (int) Math.round(overlap * Math.min(sizeA, sizeB));
        for (int i = 0; i < shared; i++) {
            b.add(fromA.get(i));
        }
        while (b.size() < sizeB) {
            b.add(r.nextLong());
        }
        return List.of(a, b);
    }

    /**
     * The estimate is within 4.5 standard errors {@code sqrt(J (1 - J) / k)} of the exact Jaccard similarity
     * (a failure chance below 1e-5 per try for a sound hash family), with {@code k = 256}.
     */
    @Property(tries = 200)
    void theEstimateIsCloseToTheExactJaccard(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int sizeA,
            @ForAll @IntRange(min = 1, max = 300) int sizeB, @ForAll @DoubleRange(min = 0, max = 1) double overlap) {
        List<Set<Long>> s = sets(seed, sizeA, sizeB, overlap);
        MinHash m = MinHash.of(256, 3, seed ^ 0x5DEECE66DL);
        double exact = MinHash.jaccard(s.get(0), s.get(1));
        double est = MinHash.estimate(m.signatureOf(s.get(0)), m.signatureOf(s.get(1)));
        double tolerance = 4.5 * Math.sqrt(exact * (1 - exact) / 256) + 1e-12;
        assertEquals(exact, est, tolerance, "sizes " + sizeA + ", " + sizeB);
    }

    @Provide
    Arbitrary<List<String>> texts() {
        Arbitrary<String> word = Arbitraries.of("sea", "ship", "wind", "rain", "cold", "grey", "sail", "north", "rope",
                "the", "a", "and", "over", "captain");
        return word.list().ofMinSize(1).ofMaxSize(12).map(w -> String.join(" ", w)).list().ofMinSize(1)
                .ofMaxSize(12);
    }

    /** Against the same accepted texts, a text dropped at a threshold is dropped at every lower one. */
    @Property(tries = 100)
    void aLowerThresholdDropsAtLeastTheSameTexts(@ForAll("texts") List<String> accepted,
            @ForAll("texts") List<String> candidates, @ForAll @DoubleRange(min = 0.01, max = 1) double high,
            @ForAll @DoubleRange(min = 0, max = 1) double fraction) {
        double low = Math.max(0.005, high * fraction);
        NearDuplicateFilter strict = new NearDuplicateFilter(MinHash.of(64, 2, 3), high);
        NearDuplicateFilter loose = new NearDuplicateFilter(MinHash.of(64, 2, 3), low);
        for (String t : accepted) {
            strict.accept(t);
            loose.accept(t);
        }
        int droppedHigh = 0;
        int droppedLow = 0;
        for (String c : candidates) {
            boolean h = strict.isNearDuplicate(c);
            boolean l = loose.isNearDuplicate(c);
            assertTrue(!h || l, "dropped at " + high + " but kept at " + low + ": " + c);
            droppedHigh += h ? 1 : 0;
            droppedLow += l ? 1 : 0;
        }
        assertTrue(droppedLow >= droppedHigh);
        assertEquals(accepted.size(), strict.size(), "isNearDuplicate changes nothing");
    }

    @Test
    void greedyFilteringOfASequenceIsNotMonotoneInTheThreshold() {
        // The documented caveat, with one-word shingles: B = C + D, A shares a little with B and less with C, D.
        String a = "p1 q1 x1";
        String b = "p1 p2 p3 p4 q1 q2 q3 q4";
        String c = "p1 p2 p3 p4";
        String d = "q1 q2 q3 q4";
        MinHash m = MinHash.of(2048, 1, 1);
        assertEquals(2.0 / 9, MinHash.jaccard(m.shingles(a), m.shingles(b)), 1e-12);
        assertEquals(1.0 / 6, MinHash.jaccard(m.shingles(a), m.shingles(c)), 1e-12);
        assertEquals(0.5, MinHash.jaccard(m.shingles(b), m.shingles(c)), 1e-12);
        // at 0.19, B is dropped as a near duplicate of A, so C and D (far from A and each other) are kept;
        // at 0.45, B is kept and then C and D are dropped as near duplicates of B: more dropped at the higher one
        assertEquals(List.of(a, c, d), new NearDuplicateFilter(m, 0.19).filter(List.of(a, b, c, d)));
        assertEquals(List.of(a, b), new NearDuplicateFilter(m, 0.45).filter(List.of(a, b, c, d)));
    }

    @Test
    void stateRoundTripsAndBadStateIsRefusedWithItsName() throws IOException {
        NearDuplicateFilter f = new NearDuplicateFilter(MinHash.of(32, 3, 4), 0.6);
        f.accept(A);
        f.accept(B);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.save(out);
        NearDuplicateFilter g = new NearDuplicateFilter(MinHash.of(32, 3, 4), 0.6);
        g.restore(new ByteArrayInputStream(out.toByteArray()), "state.bin");
        assertEquals(2, g.size());
        assertTrue(g.isNearDuplicate(A));
        NearDuplicateFilter other = new NearDuplicateFilter(MinHash.of(16, 3, 4), 0.6);
        IOException e = assertThrows(IOException.class,
                () -> other.restore(new ByteArrayInputStream(out.toByteArray()), "state.bin"));
        assertTrue(e.getMessage().startsWith("state.bin: "), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 3);
        e = assertThrows(IOException.class, () -> g.restore(new ByteArrayInputStream(cut), "cut.bin"));
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NearDuplicateFilter(MinHash.create(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new NearDuplicateFilter(MinHash.create(1), 1.5));
    }
}
