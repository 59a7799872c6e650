package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties every {@link FeedbackMiner} must have, checked against a Student of the implementer's choice. */
public interface FeedbackMinerContract {

    FeedbackMiner miner();

    /** The Student the miner examines. */
    Student student();

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

    @Property(tries = 8)
    default void hardExamplesComeFromThePoolHardestFirst(@ForAll("contractPools") List<Document> pool,
            @ForAll @IntRange(min = 0, max = 50) int iteration) {
        Feedback f = miner().mine(student(), pool, iteration);
        assertEquals(iteration, f.iteration());
        assertTrue(f.hardExamples().size() <= f.poolSize());
        double last = Double.POSITIVE_INFINITY;
        for (HardExample h : f.hardExamples()) {
            assertTrue(pool.stream().anyMatch(d -> d.text().contains(h.document().text())),
                    "hard example '" + h.document().id() + "' is not from the pool");
            assertTrue(h.hardness() <= last, "hard examples must be sorted hardest first");
            last = h.hardness();
        }
    }

    @Property(tries = 4)
    default void miningIsDeterministicAndLeavesTheStudentAlone(@ForAll("contractPools") List<Document> pool) {
        String probe = pool.get(0).text();
        double[] before = student().score(List.of(probe)).get(0).logProbs().toArray();
        Feedback a = miner().mine(student(), pool, 1);
        Feedback b = miner().mine(student(), pool, 1);
        assertEquals(a, b);
        assertArrayEquals(before, student().score(List.of(probe)).get(0).logProbs().toArray(), 0.0);
    }

    @Property(tries = 1)
    default void anEmptyPoolGivesEmptyFeedback() {
        Feedback f = miner().mine(student(), List.of(), 3);
        assertTrue(f.isEmpty());
        assertEquals(3, f.iteration());
    }
}
