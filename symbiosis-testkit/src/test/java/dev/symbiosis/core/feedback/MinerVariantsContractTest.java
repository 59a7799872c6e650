package dev.symbiosis.core.feedback;

import dev.symbiosis.testkit.FeedbackMinerContract;
import dev.symbiosis.core.model.Student;
import java.util.OptionalInt;

/** The miner with random selection and gradient hints on still honours the miner contract. */
class MinerVariantsContractTest implements FeedbackMinerContract {

    @Override
    public FeedbackMiner miner() {
        return MinerOptionsTest.base().optRandomSelection(3).optGradientHints(2, 2).build();
    }

    @Override
    public Student student() {
        return MinerOptionsTest.STUDENT;
    }

    @Override
    public OptionalInt maxHardExamples() {
        return OptionalInt.of(5); // MinerOptionsTest.base()'s top-k, also with random selection
    }
}
