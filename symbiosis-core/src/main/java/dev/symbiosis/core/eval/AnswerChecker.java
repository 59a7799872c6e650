package dev.symbiosis.core.eval;

/**
 * Decides whether one completion answers one item: exact match after extraction and normalisation by default
 * ({@link ExactMatch}); a user implementation can execute code against unit tests (HumanEval-style) or call any other
 * judge, and {@link GenerativeEvaluator} turns its verdicts into accuracy and pass@k.
 *
 * <p>Implementations must be thread-safe if one evaluator is used from several threads, and deterministic if
 * results are to be reproducible.
 */
@FunctionalInterface
public interface AnswerChecker {

    /**
     * Checks one completion.
     *
     * @param item the item (prompt, references, metadata)
     * @param completion the generated text after the prompt, as the generator returned it
     * @return the verdict and the answer that was judged (for the per-item record)
     */
    Verdict check(GenerativeItem item, String completion);

    /** The default: {@link ExactMatch#create()}. */
    static AnswerChecker exactMatch() {
        return ExactMatch.create();
    }

    /**
     * One verdict.
     *
     * @param correct whether the completion answers the item
     * @param answer what was judged (the extracted answer for exact match; anything readable for other checkers,
     *     never null)
     */
    record Verdict(boolean correct, String answer) {

        public Verdict {
            java.util.Objects.requireNonNull(answer, "answer");
        }
    }
}
