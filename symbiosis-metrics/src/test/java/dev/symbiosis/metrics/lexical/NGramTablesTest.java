package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.metrics.bench.LexicalBenchmark;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hash tables behind distinct-n, and the panel's figures before and after their speed-ups. */
class NGramTablesTest {

    /**
     * The panel's figures on 3 MB of the benchmark's synthetic corpus (634,635 tokens: tables far larger than the
     * caches, grown many times), as computed by the implementation before the tables were sized ahead and given
     * hash-ordered homes (commit 096ce78): bit for bit, sized ahead by {@code measure} or grown by streaming.
     */
    @Test
    void figuresOnALargeCorpusEqualThoseOfThePreviousImplementation() {
        List<String> texts = LexicalBenchmark.syntheticCorpus(20260101L, 3_000_000);
        Map<String, Double> before = Map.ofEntries(
                Map.entry("lexical.distinct_1", 0.023229100191448627),
                Map.entry("lexical.distinct_2", 0.24067233513596636),
                Map.entry("lexical.distinct_3", 0.5690794564015188),
                Map.entry("lexical.distinct_4", 0.8384845562724299),
                Map.entry("lexical.mattr", 0.5813057647032869),
                Map.entry("lexical.mtld", 17.789769161175634),
                Map.entry("lexical.tokens", 634635.0),
                Map.entry("lexical.ttr", 0.023229100191448627),
                Map.entry("lexical.types", 14742.0),
                Map.entry("lexical.yule_i", 0.010803355436300295),
                Map.entry("lexical.yule_k", 499.4508154160859));
        SortedMap<String, Double> sizedAhead = LexicalPanel.create().measure(texts);
        assertEquals(before, sizedAhead);
        LexicalPanel.Accumulator streamed = LexicalPanel.create().accumulator();
        texts.forEach(streamed::acceptText);
        assertEquals(before, streamed.figures());
    }

    @Test
    void longSetEqualsAHashSet() {
        SplittableRandom r = new SplittableRandom(11);
        for (boolean reserved : new boolean[] {false, true}) {
            LongSet set = new LongSet();
            if (reserved) {
                set.reserve(50_000);
            }
            Set<Long> reference = new HashSet<>();
            long[] batch = new long[NGramCounter.CHUNK];
            for (int round = 0; round < 60; round++) {
                int m = 1 + r.nextInt(batch.length);
                for (int j = 0; j < m; j++) {
                    // few distinct keys so that repeats are common; -1 = no key
                    batch[j] = r.nextInt(10) == 0 ? -1 : LongIndex.pair(r.nextInt(300), r.nextInt(300));
                    if (batch[j] >= 0) {
                        reference.add(batch[j]);
                    }
                }
                set.addAll(batch, m);
                long single = LongIndex.pair(r.nextInt(300), r.nextInt(300));
                set.add(single);
                reference.add(single);
                assertEquals(reference.size(), set.size());
            }
            Set<Long> listed = new HashSet<>();
            set.forEach(listed::add);
            assertEquals(reference, listed);
        }
    }

    @Test
    void longIndexGivesIdsInOrderOfFirstSight() {
        SplittableRandom r = new SplittableRandom(12);
        for (boolean reserved : new boolean[] {false, true}) {
            LongIndex index = new LongIndex();
            if (reserved) {
                index.reserve(100_000);
            }
            Map<Long, Integer> reference = new HashMap<>();
            long[] batch = new long[NGramCounter.CHUNK];
            int[] ids = new int[batch.length];
            for (int round = 0; round < 60; round++) {
                int m = 1 + r.nextInt(batch.length);
                for (int j = 0; j < m; j++) {
                    batch[j] = r.nextInt(10) == 0 ? -1 : LongIndex.pair(r.nextInt(400), r.nextInt(400));
                }
                index.internAll(batch, ids, m);
                for (int j = 0; j < m; j++) {
                    if (batch[j] < 0) {
                        assertEquals(-1, ids[j]);
                    } else {
                        int expected = reference.computeIfAbsent(batch[j], k -> reference.size());
                        assertEquals(expected, ids[j]);
                        assertEquals(batch[j], index.key(ids[j]));
                    }
                }
                long single = LongIndex.pair(r.nextInt(400), r.nextInt(400));
                assertEquals((int) reference.computeIfAbsent(single, k -> reference.size()), index.intern(single));
                assertEquals(reference.size(), index.size());
            }
        }
    }
}
