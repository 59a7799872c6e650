package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The miner contract on the second, independent miner of the kit's tests. */
class LowLikelihoodMinerContractTest implements FeedbackMinerContract {

    private static final CharBigramModel STUDENT =
            CharBigramModel.trainedOn("s", List.of("the cat sat on the mat. the cat sat on the mat."));
    private static final LowLikelihoodMiner MINER = new LowLikelihoodMiner(4);

    @Override
    public FeedbackMiner miner() {
        return MINER;
    }

    @Override
    public Student student() {
        return STUDENT;
    }

    @Override
    public OptionalInt maxHardExamples() {
        return OptionalInt.of(MINER.topK());
    }

    @Test
    void strangeTextIsHarderThanFamiliarText() {
        List<Document> pool = List.of(new Document("easy", "the cat sat on the mat.", Provenance.of("pool")),
                new Document("hard", "xqzv wkjy pfgb.", Provenance.of("pool")),
                new Document("easier", "the cat sat.", Provenance.of("pool")));
        Feedback f = new LowLikelihoodMiner(2).mine(STUDENT, pool, 0);
        assertEquals(3, f.poolSize());
        assertEquals("hard", f.hardExamples().get(0).document().id());
        assertEquals(2, f.hardExamples().size());
    }
}
