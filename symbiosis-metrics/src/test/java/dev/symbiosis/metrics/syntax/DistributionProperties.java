package dev.symbiosis.metrics.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

class DistributionProperties {

    @Provide
    Arbitrary<Tuple.Tuple2<long[], long[]>> pairs() {
        return Arbitraries.integers().between(1, 20).flatMap(k -> {
            Arbitrary<long[]> counts = Arbitraries.longs().between(0, 50).array(long[].class).ofSize(k);
            return Combinators.combine(counts, counts).as(Tuple::of);
        });
    }

    private static boolean positive(long[] c) {
        return Arrays.stream(c).sum() > 0;
    }

    @Property(tries = 300)
    void jsdIsSymmetricAndInZeroOne(@ForAll("pairs") Tuple.Tuple2<long[], long[]> pq) {
        long[] p = pq.get1();
        long[] q = pq.get2();
        Assume.that(positive(p) && positive(q));
        double pq1 = Distributions.jensenShannonBits(p, q);
        double qp = Distributions.jensenShannonBits(q, p);
        assertEquals(pq1, qp);
        assertTrue(pq1 >= 0 && pq1 <= 1, "jsd " + pq1);
    }

    @Property(tries = 300)
    void jsdIsZeroForTheSameDistribution(@ForAll("pairs") Tuple.Tuple2<long[], long[]> pq,
            @ForAll @IntRange(min = 1, max = 9) int scale) {
        long[] p = pq.get1();
        Assume.that(positive(p));
        long[] scaled = Arrays.stream(p).map(c -> c * scale).toArray();
        assertEquals(0.0, Distributions.jensenShannonBits(p, p), 1e-12);
        assertEquals(0.0, Distributions.jensenShannonBits(p, scaled), 1e-12);
    }

    @Property(tries = 300)
    void entropyIsBetweenZeroAndLogOfSupport(@ForAll("pairs") Tuple.Tuple2<long[], long[]> pq) {
        long[] p = pq.get1();
        Assume.that(positive(p));
        long support = Arrays.stream(p).filter(c -> c > 0).count();
        double h = Distributions.entropyBits(p);
        assertTrue(h >= 0 && h <= Math.log(support) / Math.log(2) + 1e-12, "H " + h);
    }
}
