package dev.symbiosis.core.strategy;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.PreferenceTraining;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Student-rewarded teaching (issue 17, point 2), the options of {@link SymbiosisStrategy#withStudentReward}: Step D
 * samples {@code candidates} continuations per teaching prompt, scores each by the Student's first-order benefit on
 * the hard example the prompt was made from ({@link ParameterGradients#gradientCosines}), and keeps the best; the
 * Generator then learns from the kept ones ({@link GeneratorUpdate#REST}) or from (best, worst) preference pairs
 * ({@link GeneratorUpdate#DPO}), and the kept continuations go to the Student in the next iteration's teaching
 * share.
 *
 * <p>Immutable and thread-safe.
 *
 * @param candidates continuations sampled per teaching prompt, {@code >= 2} (default
 *     {@value #DEFAULT_CANDIDATES})
 * @param update how the Generator learns from the scored candidates
 * @param beta DPO temperature, finite and {@code > 0} (default {@link PreferenceTraining#DEFAULT_BETA}); recorded
 *     but unused by {@link GeneratorUpdate#REST}
 */
public record StudentReward(int candidates, GeneratorUpdate update, double beta) {

    /** Candidates per teaching prompt when none is given. */
    public static final int DEFAULT_CANDIDATES = 4;

    /** Largest number of candidates per teaching prompt accepted (generation cost grows linearly with it). */
    public static final int MAX_CANDIDATES = 64;

    /** The scoring rule, as {@link #settings()} records it. */
    public static final String SCORE = "student-gradient-cosine";

    /** How the Generator learns from the scored candidates of Step D. */
    public enum GeneratorUpdate {
        /**
         * Rejection sampling (ReST-style): supervised fine-tuning on each prompt's best candidate (loss on the
         * completion only, as {@link dev.symbiosis.core.model.Generator#fineTune}).
         */
        REST,
        /**
         * DPO on (best, worst) pairs of each prompt whose best candidate scored strictly above its worst, through
         * {@link PreferenceTraining} (the Generator must implement it).
         */
        DPO
    }

    public StudentReward {
        Objects.requireNonNull(update, "update");
        if (candidates < 2 || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException("candidates per teaching prompt must be in [2, " + MAX_CANDIDATES
                    + "] (one candidate leaves nothing to choose), got " + candidates);
        }
        PreferenceTraining.checkBeta(beta);
    }

    /** ReST with {@value #DEFAULT_CANDIDATES} candidates. */
    public static StudentReward rest() {
        return new StudentReward(DEFAULT_CANDIDATES, GeneratorUpdate.REST, PreferenceTraining.DEFAULT_BETA);
    }

    /** DPO with {@value #DEFAULT_CANDIDATES} candidates and beta {@link PreferenceTraining#DEFAULT_BETA}. */
    public static StudentReward dpo() {
        return new StudentReward(DEFAULT_CANDIDATES, GeneratorUpdate.DPO, PreferenceTraining.DEFAULT_BETA);
    }

    /** A copy with {@code value} candidates per teaching prompt. */
    public StudentReward withCandidates(int value) {
        return new StudentReward(value, update, beta);
    }

    /** A copy with DPO temperature {@code value}. */
    public StudentReward withBeta(double value) {
        return new StudentReward(candidates, update, value);
    }

    /**
     * The settings a run records: {@code rewardCandidates}, {@code rewardScore} ({@value #SCORE}),
     * {@code rewardUpdate} and, for DPO, {@code dpoBeta}.
     */
    public SortedMap<String, Object> settings() {
        return update == GeneratorUpdate.DPO
                ? Describable.settingsOf("rewardCandidates", candidates, "rewardScore", SCORE, "rewardUpdate",
                        update.name(), "dpoBeta", beta)
                : Describable.settingsOf("rewardCandidates", candidates, "rewardScore", SCORE, "rewardUpdate",
                        update.name());
    }
}
