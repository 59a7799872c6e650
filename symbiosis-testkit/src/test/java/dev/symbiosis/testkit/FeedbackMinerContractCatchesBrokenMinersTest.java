package dev.symbiosis.testkit;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each property of {@link FeedbackMinerContract} fails for a miner with the mistake it is meant to catch. The
 * broken miners change the output of {@link LowLikelihoodMiner}, which passes the contract.
 */
class FeedbackMinerContractCatchesBrokenMinersTest {

    @Test
    void aCorrectMinerPassesEveryProperty() {
        ContractRun.of(Correct.class).assertAllPassed(4);
    }

    @Test
    void examplesThatAreNotFromThePoolAreCaught() {
        ContractRun.of(RewritesTheExamples.class).assertCaught("hardExamplesComeFromThePoolHardestFirst",
                "is not from the pool");
    }

    @Test
    void theEasiestFirstIsCaught() {
        ContractRun.of(EasiestFirst.class).assertCaught("hardExamplesComeFromThePoolHardestFirst",
                "sorted hardest first");
    }

    @Test
    void aFeedbackWithoutItsIterationIsCaught() {
        ContractRun.of(AlwaysIterationZero.class).assertCaught("hardExamplesComeFromThePoolHardestFirst",
                "must record the iteration");
    }

    @Test
    void repeatsAndAnIgnoredCapAreCaught() {
        ContractRun.of(RepeatsTheHardest.class).assertCaught("eachHardExampleIsSelectedOnceWithinTheCap",
                "is selected twice");
        ContractRun.of(IgnoresItsTopK.class).assertCaught("eachHardExampleIsSelectedOnceWithinTheCap",
                "exceed the miner's cap of 1");
    }

    @Test
    void anUnseededChoiceAndAMinerThatTrainsAreCaught() {
        ContractRun.of(UnseededChoice.class).assertCaught("miningIsDeterministicAndLeavesTheStudentAlone",
                "must give the same feedback");
        ContractRun.of(TrainsTheStudent.class).assertCaught("miningIsDeterministicAndLeavesTheStudentAlone",
                "must not change the Student");
    }

    @Test
    void anEmptyPoolThatLosesTheIterationIsCaught() {
        ContractRun.of(EmptyPoolAtIterationZero.class).assertCaught("anEmptyPoolGivesEmptyFeedback",
                "must record the iteration");
    }

    /** A contract on one Student (made once per test instance) and a miner that rewrites the correct feedback. */
    abstract static class On implements FeedbackMinerContract {
        final LowLikelihoodMiner correct = new LowLikelihoodMiner(3);
        private final ForwardingModel student = new ForwardingModel();

        /** The broken miner's answer, given the correct one. */
        abstract Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration);

        @Override
        public FeedbackMiner miner() {
            return (s, pool, iteration) -> rewrite(correct.mine(s, pool, iteration), s, pool, iteration);
        }

        @Override
        public Student student() {
            return student;
        }

        @Override
        public OptionalInt maxHardExamples() {
            return OptionalInt.of(correct.topK());
        }

        static Feedback withExamples(Feedback f, List<HardExample> examples) {
            return new Feedback(f.iteration(), Math.max(f.poolSize(), examples.size()),
                    ImmutableList.copyOf(examples), f.poolMeanEntropy(), f.poolMeanLogProb());
        }
    }

    static class Correct extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            return correct;
        }
    }

    /** Upper-cases the examples' texts. */
    @BrokenOnPurpose
    static class RewritesTheExamples extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            return withExamples(correct, correct.hardExamples().stream().map(h -> HardExample.of(
                    new Document(h.document().id(), h.document().text().toUpperCase(), h.document().provenance()),
                    h.meanEntropy(), h.meanLogProb(), h.hardness())).toList());
        }
    }

    @BrokenOnPurpose
    static class EasiestFirst extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            List<HardExample> reversed = new ArrayList<>(correct.hardExamples());
            Collections.reverse(reversed);
            return withExamples(correct, reversed);
        }
    }

    @BrokenOnPurpose
    static class AlwaysIterationZero extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            return new Feedback(0, correct.poolSize(), correct.hardExamples(), correct.poolMeanEntropy(),
                    correct.poolMeanLogProb());
        }
    }

    /** Pads the selection with a second copy of the hardest example. */
    @BrokenOnPurpose
    static class RepeatsTheHardest extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            List<HardExample> padded = new ArrayList<>(correct.hardExamples());
            if (!padded.isEmpty()) {
                padded.add(1, padded.get(0));
            }
            return withExamples(correct, padded);
        }
    }

    /** Says it keeps one hard example and returns all of them. */
    @BrokenOnPurpose
    static class IgnoresItsTopK extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            return new LowLikelihoodMiner(Integer.MAX_VALUE).mine(student, pool, iteration);
        }

        @Override
        public OptionalInt maxHardExamples() {
            return OptionalInt.of(1);
        }
    }

    /** Breaks ties with noise from an unseeded random source (too small to change the order). */
    @BrokenOnPurpose
    static class UnseededChoice extends On {
        private final Random random = new Random();

        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            return withExamples(correct, correct.hardExamples().stream().map(h -> HardExample.of(h.document(),
                    h.meanEntropy(), h.meanLogProb(), h.hardness() + 1e-9 * random.nextDouble())).toList());
        }
    }

    /** Trains the Student on its hardest example, as if to help. */
    @BrokenOnPurpose
    static class TrainsTheStudent extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            if (!correct.isEmpty()) {
                HardExample h = correct.hardExamples().get(0);
                student.train(List.of(TrainingText.of(h.document().text(), h.document().provenance())));
            }
            return correct;
        }
    }

    @BrokenOnPurpose
    static class EmptyPoolAtIterationZero extends On {
        @Override
        Feedback rewrite(Feedback correct, Student student, List<Document> pool, int iteration) {
            return pool.isEmpty() ? Feedback.none(0) : correct;
        }
    }
}
