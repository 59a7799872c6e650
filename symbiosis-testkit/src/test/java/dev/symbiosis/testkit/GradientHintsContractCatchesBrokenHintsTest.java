package dev.symbiosis.testkit;

import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each property of {@link GradientHintsContract} fails for hints with the mistake it is meant to catch. */
class GradientHintsContractCatchesBrokenHintsTest {

    @Test
    void correctHintsPassEveryProperty() {
        ContractRun.of(Correct.class).assertAllPassed(3);
    }

    @Test
    void hintsInTextOrderAreCaught() {
        ContractRun.of(InTextOrder.class).assertCaught("hintsAreTheMostSalientTokensWithVisibleCandidates",
                "most salient first");
    }

    @Test
    void aSaliencyThatIsNotTheGradientNormIsCaught() {
        ContractRun.of(DoubledSaliency.class).assertCaught("hintsAreTheMostSalientTokensWithVisibleCandidates",
                "saliency = gradient norm");
    }

    @Test
    void theTokenItselfAsACandidateIsCaught() {
        ContractRun.of(TokenItselfFirst.class).assertCaught("hintsAreTheMostSalientTokensWithVisibleCandidates",
                "the token itself is no candidate");
    }

    @Test
    void hintsThatTrainAreCaught() {
        ContractRun.of(HintsTrain.class).assertCaught("askingForHintsChangesNothing",
                "asking for hints must not change the model");
    }

    @Test
    void badArgumentsThatAreAcceptedAreCaught() {
        ContractRun.of(AcceptsZeroPositions.class).assertCaught("badArgumentsAreRefused", "IllegalArgumentException");
    }

    /** A contract on one model (see {@link ForwardingModel.Holder}). */
    abstract static class On extends ForwardingModel.Holder implements GradientHintsContract {
        @Override
        public Student hintingStudent() {
            return model;
        }
    }

    /** The hints the broken ones start from: the character bigram model's, unchanged. */
    static class Correct extends On {}

    /** The most salient tokens, but listed by position. */
    @BrokenOnPurpose
    static class InTextOrder extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rehinting((text, hints) -> hints.stream()
                    .sorted(Comparator.comparingInt(TokenHint::tokenIndex)).toList());
        }
    }

    @BrokenOnPurpose
    static class DoubledSaliency extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rehinting((text, hints) -> hints.stream().map(h -> new TokenHint(h.tokenIndex(),
                    h.span(), 2 * h.saliency(), h.candidates(), h.scores())).toList());
        }
    }

    /** Puts the token's own text first among its candidates when it is visible. */
    @BrokenOnPurpose
    static class TokenItselfFirst extends On {
        @Override
        ForwardingModel model() {
            return ForwardingModel.rehinting((text, hints) -> hints.stream().map(h -> {
                String own = h.tokenText(text);
                if (own.isBlank() || h.candidates().isEmpty()) {
                    return h;
                }
                List<String> words = new ArrayList<>(h.candidates());
                words.set(0, own);
                return TokenHint.of(h.tokenIndex(), h.span(), h.saliency(), words, h.scores().toArray());
            }).toList());
        }
    }

    /** Takes a training step on the texts it is asked about. */
    @BrokenOnPurpose
    static class HintsTrain extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
                    train(texts.stream().map(t -> TrainingText.of(t, Provenance.of("hints"))).toList());
                    return super.gradientHints(texts, positions, candidates);
                }
            };
        }
    }

    /** Answers positions = 0 with no hints instead of refusing it. */
    @BrokenOnPurpose
    static class AcceptsZeroPositions extends On {
        @Override
        ForwardingModel model() {
            return new ForwardingModel() {
                @Override
                public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
                    if (positions == 0) {
                        return texts.stream().map(t -> List.<TokenHint>of()).toList();
                    }
                    return super.gradientHints(texts, positions, candidates);
                }
            };
        }
    }
}
