package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hash tables behind distinct-n, and the panel's figures before and after their speed-ups. */
class NGramTablesTest {

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
