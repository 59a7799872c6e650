package dev.symbiosis.testkit;

import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each property of {@link ParameterGradientsContract} and {@link PreferenceTrainingContract} fails for a model with
 * the mistake it is meant to catch, and the character bigram model they forward to passes them all.
 */
class RewardContractsCatchBrokenModelsTest {

    @Test
    void correctGradientsPassEveryProperty() {
        ContractRun.of(CorrectGradients.class).assertAllPassed(3);
    }

    @Test
    void aDotProductInsteadOfACosineIsCaught() {
        ContractRun.of(DotProduct.class).assertCaught("cosinesAreBoundedSymmetricAndOneWithItself",
                "cosine 1 with itself");
    }

    @Test
    void gradientsThatTrainAreCaught() {
        ContractRun.of(GradientsTrain.class).assertCaught("askingForGradientsChangesNothing",
                "must not change the model");
    }

    @Test
    void anEmptyTextThatIsAcceptedIsCaught() {
        ContractRun.of(AcceptsEmpty.class).assertCaught("badGradientArgumentsAreRefused", "IllegalArgumentException");
    }

    @Test
    void correctPreferenceTrainingPassesEveryProperty() {
        ContractRun.of(CorrectPreferences.class).assertAllPassed(2);
    }

    @Test
    void chosenAndRejectedSwappedAreCaught() {
        ContractRun.of(Swapped.class).assertCaught("trainingRaisesTheChosenOverTheRejected", "the margin must grow");
    }

    @Test
    void aBetaThatIsNotCheckedIsCaught() {
        ContractRun.of(UncheckedBeta.class).assertCaught("nothingToLearnChangesNothing", "IllegalArgumentException");
    }

    /** The bigram model with both capabilities, forwarded; the broken ones override one method. */
    static class Capable extends ForwardingModel implements ParameterGradients, PreferenceTraining {
        @Override
        public double[] gradientCosines(String target, List<String> candidates) {
            return delegate.gradientCosines(target, candidates);
        }

        @Override
        public TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta) {
            return delegate.fineTunePreferences(pairs, beta);
        }
    }

    /** A gradient contract on one model. */
    abstract static class OnGradients implements ParameterGradientsContract {
        final Capable model = model();

        Capable model() {
            return new Capable();
        }

        @Override
        public Student gradientStudent() {
            return model;
        }
    }

    static class CorrectGradients extends OnGradients {}

    /** The cosine times the product of the norms: here the cosine scaled by a constant other than 1. */
    @BrokenOnPurpose
    static class DotProduct extends OnGradients {
        @Override
        Capable model() {
            return new Capable() {
                @Override
                public double[] gradientCosines(String target, List<String> candidates) {
                    double[] c = super.gradientCosines(target, candidates);
                    for (int i = 0; i < c.length; i++) {
                        c[i] *= 0.5;
                    }
                    return c;
                }
            };
        }
    }

    /** Takes a training step on the target before answering. */
    @BrokenOnPurpose
    static class GradientsTrain extends OnGradients {
        @Override
        Capable model() {
            return new Capable() {
                @Override
                public double[] gradientCosines(String target, List<String> candidates) {
                    train(List.of(TrainingText.of(target, Provenance.of("gradients"))));
                    return super.gradientCosines(target, candidates);
                }
            };
        }
    }

    /** Answers an empty text with cosine 0 instead of refusing it. */
    @BrokenOnPurpose
    static class AcceptsEmpty extends OnGradients {
        @Override
        Capable model() {
            return new Capable() {
                @Override
                public double[] gradientCosines(String target, List<String> candidates) {
                    if (target.isEmpty() || candidates.contains("")) {
                        return new double[candidates.size()];
                    }
                    return super.gradientCosines(target, candidates);
                }
            };
        }
    }

    /** A preference contract on fresh models of one kind. */
    abstract static class OnPreferences implements PreferenceTrainingContract {
        Capable fresh() {
            return new Capable();
        }

        @Override
        public LanguageModel freshPreferenceModel() {
            return fresh();
        }
    }

    static class CorrectPreferences extends OnPreferences {}

    @BrokenOnPurpose
    static class Swapped extends OnPreferences {
        @Override
        Capable fresh() {
            return new Capable() {
                @Override
                public TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta) {
                    return super.fineTunePreferences(pairs.stream()
                            .map(p -> new PreferencePair(p.prompt(), p.rejected(), p.chosen())).toList(), beta);
                }
            };
        }
    }

    /** Trains with any beta, taking its absolute value when it is not positive. */
    @BrokenOnPurpose
    static class UncheckedBeta extends OnPreferences {
        @Override
        Capable fresh() {
            return new Capable() {
                @Override
                public TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta) {
                    return super.fineTunePreferences(pairs, beta > 0 && beta < Double.POSITIVE_INFINITY ? beta
                            : 1.0);
                }
            };
        }
    }
}
