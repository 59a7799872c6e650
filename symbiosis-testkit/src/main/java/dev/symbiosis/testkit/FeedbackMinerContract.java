package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties every {@link FeedbackMiner} must have, checked against a Student of the implementer's choice.
 * Implement this interface in a test class of your miner:
 *
 * <pre>{@code
 * class MyMinerContractTest implements FeedbackMinerContract {
 *     private static final Student STUDENT = MyStudent.load(Path.of("src/test/resources/tiny-model"));
 *
 *     public FeedbackMiner miner() {
 *         return new MyMiner(5);
 *     }
 *
 *     public Student student() {
 *         return STUDENT;
 *     }
 *
 *     public OptionalInt maxHardExamples() {
 *         return OptionalInt.of(5); // MyMiner keeps its 5 hardest
 *     }
 * }
 * }</pre>
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #hardExamplesComeFromThePoolHardestFirst}: examples made up or rewritten; the wrong sort order; an
 *       iteration not recorded.</li>
 *   <li>{@link #eachHardExampleIsSelectedOnceWithinTheCap}: a selection padded with repeats; a cap such as top-k
 *       not applied.</li>
 *   <li>{@link #miningIsDeterministicAndLeavesTheStudentAlone}: a miner that trains or otherwise changes the
 *       Student; a choice from an unseeded random source.</li>
 *   <li>{@link #anEmptyPoolGivesEmptyFeedback}: the wrong behaviour on an empty pool.</li>
 * </ul>
 *
 * <p>The pools are 1 to 12 documents ({@link #contractPools()}) with ids {@code pool-0, pool-1, ...}.
 * {@link #miner()} and {@link #student()} are called once or more per try and should return the same Student
 * each time. When a test class implements both this contract and {@link StudentContract}, one
 * {@code student()} serves both. See {@link Contract#triesFactor()} for the number of tries.
 */
public interface FeedbackMinerContract extends Contract {

    /** The miner under test. */
    FeedbackMiner miner();

    /** The Student the miner examines. */
    Student student();

    /**
     * The most hard examples {@link #miner()} returns for one pool (its top-k, say), checked by {@link
     * #eachHardExampleIsSelectedOnceWithinTheCap}; empty (the default) when it has no fixed cap.
     */
    default OptionalInt maxHardExamples() {
        return OptionalInt.empty();
    }

    /** Pools of 1 to 12 documents of 16 to 200 lower-case letters, spaces and full stops. */
    @Provide
    default Arbitrary<List<Document>> contractPools() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop qrstu.").ofMinLength(16).ofMaxLength(200)
                .filter(s -> s.strip().length() >= 12)
                .list().ofMinSize(1).ofMaxSize(12)
                .map(texts -> {
                    List<Document> docs = new ArrayList<>();
                    for (int i = 0; i < texts.size(); i++) {
                        docs.add(new Document("pool-" + i, texts.get(i), Provenance.of("contract")));
                    }
                    return docs;
                });
    }

    /**
     * Every hard example's text is contained in a pool document's text (a document or a window of one), the examples
     * are sorted by non-increasing hardness, and the feedback records the iteration.
     */
    @Property(tries = 8)
    @ScaledTries
    default void hardExamplesComeFromThePoolHardestFirst(@ForAll("contractPools") List<Document> pool,
            @ForAll @IntRange(min = 0, max = 50) int iteration) {
        Feedback f = miner().mine(student(), pool, iteration);
        assertEquals(iteration, f.iteration(), "the feedback must record the iteration");
        double last = Double.POSITIVE_INFINITY;
        for (HardExample h : f.hardExamples()) {
            assertTrue(pool.stream().anyMatch(d -> d.text().contains(h.document().text())),
                    "hard example '" + h.document().id() + "' is not from the pool");
            assertTrue(h.hardness() <= last, "hard examples must be sorted hardest first");
            last = h.hardness();
        }
    }

    /**
     * No document id occurs twice among the hard examples, and there are at most {@link #maxHardExamples()} of them
     * when that is given.
     */
    @Property(tries = 8)
    @ScaledTries
    default void eachHardExampleIsSelectedOnceWithinTheCap(@ForAll("contractPools") List<Document> pool) {
        Feedback f = miner().mine(student(), pool, 0);
        Set<String> ids = new HashSet<>();
        for (HardExample h : f.hardExamples()) {
            assertTrue(ids.add(h.document().id()), "hard example '" + h.document().id() + "' is selected twice");
        }
        maxHardExamples().ifPresent(max -> assertTrue(f.hardExamples().size() <= max,
                f.hardExamples().size() + " hard examples exceed the miner's cap of " + max));
    }

    /**
     * After mining, the Student scores every pool document exactly as before; mining the same pool at the same
     * iteration again gives equal feedback.
     */
    @Property(tries = 4)
    @ScaledTries
    default void miningIsDeterministicAndLeavesTheStudentAlone(@ForAll("contractPools") List<Document> pool) {
        List<String> texts = pool.stream().map(Document::text).toList();
        List<TokenScores> before = student().score(texts);
        Feedback a = miner().mine(student(), pool, 1);
        List<TokenScores> after = student().score(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(before.get(i).logProbs().toArray(), after.get(i).logProbs().toArray(), 0.0,
                    "mining must not change the Student (scores of pool document " + i + ")");
        }
        Feedback b = miner().mine(student(), pool, 1);
        assertEquals(a, b, "the same Student, pool and iteration must give the same feedback");
    }

    /**
     * An empty pool gives feedback without hard examples that records the iteration.
     */
    @Property(tries = 1)
    @ScaledTries
    default void anEmptyPoolGivesEmptyFeedback() {
        Feedback f = miner().mine(student(), List.of(), 3);
        assertTrue(f.isEmpty(), "an empty pool gives no hard examples");
        assertEquals(3, f.iteration(), "the feedback must record the iteration");
    }
}
