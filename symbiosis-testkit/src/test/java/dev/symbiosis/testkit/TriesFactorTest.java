package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** {@link Contract#triesFactor()} scales the declared tries of every property. */
class TriesFactorTest {

    private static final AtomicInteger CALLS = new AtomicInteger();

    private static int triesOf(Class<?> contract) {
        CALLS.set(0);
        ContractRun.Result r = ContractRun.of(contract);
        assertEquals(java.util.Set.of("counted"), r.passed(), "failed: " + r.failed());
        return CALLS.get();
    }

    @Test
    void theDeclaredTriesRunByDefault() {
        assertEquals(10, triesOf(Declared.class));
    }

    @Test
    void theFactorScalesTheTriesDownAndUp() {
        assertEquals(3, triesOf(Third.class));
        assertEquals(25, triesOf(TwoAndAHalf.class));
        assertEquals(1, triesOf(Tiny.class), "every property runs at least once");
    }

    @Test
    void anInvalidFactorFailsNamingTheTestClass() {
        Throwable why = ContractRun.of(Zero.class).failed().get("counted");
        assertInstanceOf(IllegalArgumentException.class, why);
        assertTrue(why.getMessage().contains(Zero.class.getName() + ".triesFactor()"), why.getMessage());
    }

    /** A contract with one property of 10 declared tries that counts its calls. */
    interface Counting extends Contract {
        @Property(tries = 10)
        @ScaledTries
        default void counted(@ForAll int x) {
            CALLS.incrementAndGet();
        }
    }

    static class Declared implements Counting {}

    static class Third implements Counting {
        @Override
        public double triesFactor() {
            return 0.3;
        }
    }

    static class TwoAndAHalf implements Counting {
        @Override
        public double triesFactor() {
            return 2.5;
        }
    }

    static class Tiny implements Counting {
        @Override
        public double triesFactor() {
            return 1e-6;
        }
    }

    @BrokenOnPurpose
    static class Zero implements Counting {
        @Override
        public double triesFactor() {
            return 0;
        }
    }
}
