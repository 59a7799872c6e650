package dev.symbiosis.testkit;

import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each property of {@link GeneratorContract} fails for a Generator with the mistake it is meant to catch. */
class GeneratorContractCatchesBrokenGeneratorsTest {

    @Test
    void aCorrectGeneratorPassesEveryProperty() {
        ContractRun.of(Correct.class).assertAllPassed(5);
    }

    @Test
    void reorderedSamplesAndOverrunBudgetsAreCaught() {
        ContractRun.of(ReversesTheSamples.class).assertCaught("oneSamplePerPromptWithinTheTokenBudget",
                "must continue prompt");
        ContractRun.of(OverrunsTheBudget.class).assertCaught("oneSamplePerPromptWithinTheTokenBudget",
                "exceed the budget");
    }

    @Test
    void anUnseededSamplerIsCaught() {
        ContractRun.of(Unseeded.class).assertCaught("theSameSeedGivesTheSameSamples",
                "the same seed must give the same samples");
    }

    @Test
    void greedyDecodingThatSamplesIsCaught() {
        ContractRun.of(GreedySamples.class).assertCaught("greedyDecodingIgnoresTheSeed",
                "greedy decoding must not depend on the seed");
    }

    @Test
    void aFineTuneThatLearnsNothingOrARestoreThatRestoresNothingIsCaught() {
        ContractRun.of(FineTuneLearnsNothing.class).assertCaught("fineTuningTeachesTheCompletionAndRestoreUndoesIt",
                "more likely after the prompt");
        ContractRun.of(RestoreKeepsTheFineTuning.class).assertCaught(
                "fineTuningTeachesTheCompletionAndRestoreUndoesIt", "restore must bring back");
    }

    @Test
    void fineTuningOnNothingIsCaught() {
        ContractRun.of(FineTunesOnNothing.class).assertCaught("emptyInputChangesNothing", "fine-tuning on nothing");
    }

    /** A contract on one model (see {@link ForwardingModel.Holder}). */
    abstract static class On extends ForwardingModel.Holder implements GeneratorContract {
        @Override
        public Generator generator() {
            return model;
        }
    }

    /** The Generator the broken ones start from: the character bigram model unchanged. */
    static class Correct extends On {}

    @BrokenOnPurpose
    static class ReversesTheSamples extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
                    List<Sample> out = new ArrayList<>(super.generate(prompts, sampling));
                    Collections.reverse(out);
                    return out;
                }
            };
        }
    }

    /** Writes one token more than asked for. */
    @BrokenOnPurpose
    static class OverrunsTheBudget extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
                    return super.generate(prompts, sampling.withMaxNewTokens(sampling.maxNewTokens() + 1));
                }
            };
        }
    }

    /** Draws from a sampler that moves on with every call, whatever the seed. */
    @BrokenOnPurpose
    static class Unseeded extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                private long calls;

                @Override
                public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
                    return super.generate(prompts, sampling.withSeed(sampling.seed() + calls++));
                }
            };
        }
    }

    /** Samples at temperature 1 when asked for greedy decoding. */
    @BrokenOnPurpose
    static class GreedySamples extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
                    return super.generate(prompts, sampling.isGreedy() ? sampling.withTemperature(1) : sampling);
                }
            };
        }
    }

    /** Reports a step of fine-tuning and changes nothing. */
    @BrokenOnPurpose
    static class FineTuneLearnsNothing extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public TrainingReport fineTune(List<PromptCompletion> examples) {
                    return examples.isEmpty() ? TrainingReport.empty()
                            : new TrainingReport(examples.size(), 1, 10, 1, 1);
                }
            };
        }
    }

    @BrokenOnPurpose
    static class RestoreKeepsTheFineTuning extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.restoringNothing();
        }
    }

    /** Takes a step on an empty list. */
    @BrokenOnPurpose
    static class FineTunesOnNothing extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public TrainingReport fineTune(List<PromptCompletion> examples) {
                    return examples.isEmpty() ? new TrainingReport(0, 1, 0, 0, 0) : super.fineTune(examples);
                }
            };
        }
    }
}
