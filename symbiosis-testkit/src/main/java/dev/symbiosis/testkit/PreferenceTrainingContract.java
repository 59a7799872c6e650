package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties every Generator that implements {@link PreferenceTraining} must have. Implement this interface in a
 * test class of your implementation and return a new model from {@link #freshPreferenceModel()} (the contract
 * trains it and closes it).
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #trainingRaisesTheChosenOverTheRejected}: a loss of the wrong sign, chosen and rejected swapped, a
 *       reference that follows the model (no signal), no update at all.</li>
 *   <li>{@link #nothingToLearnChangesNothing}: an empty call or a refused beta that still changes the model.</li>
 * </ul>
 *
 * <p>The margin is measured with the model's own {@link LanguageModel#score}: the summed log-probability of the
 * completion's tokens (those starting at or after the prompt's end) in {@code prompt + completion}; the model should
 * frame prompts for {@link PreferenceTraining#fineTunePreferences} as it frames them for scoring (a plain format).
 */
public interface PreferenceTrainingContract extends Contract {

    /** A new model in the same state at every call; it must implement {@link PreferenceTraining}. */
    LanguageModel freshPreferenceModel();

    /**
     * Completions of the prompt {@code "the"}. Default: a space, then 4 to 24 lower-case letters and spaces starting
     * with a letter (so that a BPE tokenizer gives the completion the same tokens alone and after the prompt).
     */
    @Provide
    default Arbitrary<String> completions() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop").ofMinLength(3).ofMaxLength(23)
                .map(s -> " a" + s);
    }

    /**
     * After one call on a pair (prompt {@code "the"}, two different completions): the report counts one example,
     * at least one step and token, finite losses; the chosen completion's log-probability minus the rejected one's is larger
     * than before.
     */
    @Property(tries = 3)
    @ScaledTries
    default void trainingRaisesTheChosenOverTheRejected(@ForAll("completions") String chosen,
            @ForAll("completions") String rejected) {
        if (chosen.equals(rejected)) {
            rejected = rejected + "x";
        }
        try (LanguageModel m = freshPreferenceModel()) {
            PreferenceTraining p = asPreference(m);
            String prompt = "the";
            double before = completionLogProb(m, prompt, chosen) - completionLogProb(m, prompt, rejected);
            TrainingReport r = p.fineTunePreferences(List.of(new PreferencePair(prompt, chosen, rejected)), 0.5);
            assertEquals(1, r.examples(), "one pair");
            assertTrue(r.steps() >= 1 && r.tokens() >= 1, "a step on some tokens: " + r);
            assertTrue(Double.isFinite(r.meanLoss()) && Double.isFinite(r.finalLoss()), "finite losses: " + r);
            double after = completionLogProb(m, prompt, chosen) - completionLogProb(m, prompt, rejected);
            assertTrue(after > before, "the margin must grow: " + before + " -> " + after);
        }
    }

    /**
     * An empty list returns {@link TrainingReport#empty()}; beta 0, negative, NaN or infinite throws
     * {@link IllegalArgumentException}; neither changes the model's scores.
     */
    @Property(tries = 1)
    @ScaledTries
    default void nothingToLearnChangesNothing() {
        try (LanguageModel m = freshPreferenceModel()) {
            PreferenceTraining p = asPreference(m);
            double[] before = m.score(List.of("the abc dog")).get(0).logProbs().toArray();
            assertEquals(TrainingReport.empty(), p.fineTunePreferences(List.of(), 0.1));
            List<PreferencePair> pair = List.of(new PreferencePair("the", " abc", " ade"));
            for (double beta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThrows(IllegalArgumentException.class, () -> p.fineTunePreferences(pair, beta), "beta " + beta);
            }
            assertArrayEquals(before, m.score(List.of("the abc dog")).get(0).logProbs().toArray(), 0.0);
        }
    }

    /** The summed log-probability of the tokens of {@code prompt + completion} that start at or after the prompt. */
    private static double completionLogProb(LanguageModel m, String prompt, String completion) {
        TokenScores s = m.score(List.of(prompt + completion)).get(0);
        double sum = 0;
        for (int token = 1; token < s.size(); token++) {
            if (s.starts().get(token) >= prompt.length()) {
                sum += s.logProbs().get(token - 1);
            }
        }
        return sum;
    }

    private static PreferenceTraining asPreference(LanguageModel m) {
        assertInstanceOf(PreferenceTraining.class, m, "freshPreferenceModel() must implement PreferenceTraining");
        return (PreferenceTraining) m;
    }
}
