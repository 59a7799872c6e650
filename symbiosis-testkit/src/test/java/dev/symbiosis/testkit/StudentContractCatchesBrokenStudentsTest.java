package dev.symbiosis.testkit;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each property of {@link StudentContract} fails for a Student with the mistake it is meant to catch. */
class StudentContractCatchesBrokenStudentsTest {

    @Test
    void aCorrectStudentPassesEveryProperty() {
        ContractRun.of(Correct.class).assertAllPassed(7);
    }

    @Test
    void tokenSpansThatCoverNothingAreCaught() {
        ContractRun.of(EmptyTokenSpans.class).assertCaught("scoringGivesOneAlignedResultPerTextInOrder",
                "lies in no token's span");
    }

    @Test
    void scoresThatDependOnTheBatchAreCaught() {
        ContractRun.of(BatchLeaksIntoScores.class).assertCaught("scoringIsDeterministicAndDoesNotDependOnTheBatch",
                "log-probs must not depend on the batch");
    }

    @Test
    void aScoreThatIgnoresTheTextIsCaught() {
        ContractRun.of(IgnoresTheText.class).assertCaught("nextTokenScoresDependOnlyOnThePastAndSumToAtMostOne",
                "> 1");
    }

    @Test
    void scoresThatLookAheadAreCaught() {
        ContractRun.of(LooksAhead.class).assertCaught("nextTokenScoresDependOnlyOnThePastAndSumToAtMostOne",
                "changes when");
    }

    @Test
    void saliencyThatTrainsOrIsZeroIsCaught() {
        ContractRun.of(SaliencyTrains.class).assertCaught("saliencyAlignsWithScoringAndChangesNothing",
                "must not change the model");
        ContractRun.of(ZeroSaliency.class).assertCaught("saliencyAlignsWithScoringAndChangesNothing",
                "all gradient norms are 0");
    }

    @Test
    void aStudentThatLearnsNothingOrCannotRestoreIsCaught() {
        ContractRun.of(LearnsNothing.class).assertCaught("trainingMakesATextMoreLikelyAndRestoreUndoesIt",
                "more likely");
        ContractRun.of(RestoreKeepsTheTraining.class).assertCaught("trainingMakesATextMoreLikelyAndRestoreUndoesIt",
                "restore must bring back");
    }

    @Test
    void wrongBehaviourOnEmptyInputIsCaught() {
        ContractRun.of(TrainsOnNothing.class).assertCaught("trainingOnNothingChangesNothing", "reports nothing");
        ContractRun.of(ScoresTheEmptyText.class).assertCaught("emptyInputGivesEmptyOutputAndEmptyTextsAreRefused",
                "IllegalArgumentException");
    }

    /** Scores with log-probs and entropies replaced, token ids and offsets kept. */
    private static TokenScores withScores(TokenScores s, double[] logProbs, double[] entropies) {
        return new TokenScores(s.text(), s.ids(), s.starts(), s.ends(), ImmutableDoubleArray.copyOf(logProbs),
                ImmutableDoubleArray.copyOf(entropies));
    }

    /** A contract on one model (see {@link ForwardingModel.Holder}). */
    abstract static class On extends ForwardingModel.Holder implements StudentContract {
        @Override
        public Student student() {
            return model;
        }
    }

    /** The Student the broken ones start from: the character bigram model unchanged. */
    static class Correct extends On {}

    @BrokenOnPurpose
    static class EmptyTokenSpans extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rescoring((s, batch) -> new TokenScores(s.text(), s.ids(), s.starts(), s.starts(),
                    s.logProbs(), s.entropies()));
        }
    }

    /** Padding noise: every log-prob lowered by 0.01 nats per other text in the batch. */
    @BrokenOnPurpose
    static class BatchLeaksIntoScores extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rescoring((s, batch) -> withScores(s,
                    s.logProbs().stream().map(v -> v - 0.01 * (batch - 1)).toArray(), s.entropies().toArray()));
        }
    }

    /** Tokenizes correctly but gives every token the same confident log-prob, whatever the text says. */
    @BrokenOnPurpose
    static class IgnoresTheText extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rescoring((s, batch) -> {
                double[] lp = new double[s.predictedCount()];
                double[] h = new double[s.predictedCount()];
                Arrays.fill(lp, -0.05);
                Arrays.fill(h, 0.2);
                return withScores(s, lp, h);
            });
        }
    }

    /** Each log-prob blended with the text's last one: a score that sees the future. */
    @BrokenOnPurpose
    static class LooksAhead extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rescoring((s, batch) -> {
                double last = s.predictedCount() == 0 ? 0 : s.logProbs().get(s.predictedCount() - 1);
                return withScores(s, s.logProbs().stream().map(v -> (v + last) / 2).toArray(),
                        s.entropies().toArray());
            });
        }
    }

    @BrokenOnPurpose
    static class SaliencyTrains extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<SaliencyMap> saliency(List<String> texts) {
                    train(texts.stream().map(t -> TrainingText.of(t, Provenance.of("saliency"))).toList());
                    return super.saliency(texts);
                }
            };
        }
    }

    @BrokenOnPurpose
    static class ZeroSaliency extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<SaliencyMap> saliency(List<String> texts) {
                    return super.saliency(texts).stream().map(m -> new SaliencyMap(m.text(), m.ids(), m.starts(),
                            m.ends(), ImmutableDoubleArray.copyOf(new double[m.size()]))).toList();
                }
            };
        }
    }

    /** Reports a step of training and changes nothing. */
    @BrokenOnPurpose
    static class LearnsNothing extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public TrainingReport train(List<TrainingText> texts) {
                    return texts.isEmpty() ? TrainingReport.empty() : new TrainingReport(texts.size(), 1, 10, 1, 1);
                }
            };
        }
    }

    @BrokenOnPurpose
    static class RestoreKeepsTheTraining extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.restoringNothing();
        }
    }

    /** Takes a step on an empty list. */
    @BrokenOnPurpose
    static class TrainsOnNothing extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public TrainingReport train(List<TrainingText> texts) {
                    return texts.isEmpty() ? new TrainingReport(0, 1, 0, 0, 0) : super.train(texts);
                }
            };
        }
    }

    /** Scores "" as one token instead of refusing it. */
    @BrokenOnPurpose
    static class ScoresTheEmptyText extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<TokenScores> score(List<String> texts) {
                    if (texts.contains("")) {
                        return texts.stream().map(t -> new TokenScores(t, ImmutableIntArray.of(0),
                                ImmutableIntArray.of(0), ImmutableIntArray.of(0), ImmutableDoubleArray.of(),
                                ImmutableDoubleArray.of())).toList();
                    }
                    return super.score(texts);
                }
            };
        }
    }
}
