package dev.symbiosis.core.model;

/**
 * A language model that can play both roles: sample like a {@link Generator} and learn, score and explain its
 * loss like a {@link Student}. Recursive self-training needs it (each Student generation samples the next one's
 * data), and the loop loads Generator 0 and Student 0 as language models.
 *
 * <p>Closing releases native resources; a closed model must not be used. The default {@link #close()} does
 * nothing, for models that hold none.
 */
public interface LanguageModel extends Generator, Student, AutoCloseable {

    /**
     * Number of tokens {@code text} encodes to under this model's tokenizer, so that every strategy can be given
     * the same training budget in tokens.
     */
    int countTokens(String text);

    /**
     * The token ids {@code text} encodes to under this model's tokenizer, as {@link #score} would give them, without
     * a forward pass (used to count the token frequencies of a corpus).
     *
     * @throws IllegalArgumentException if the text is empty
     * @throws UnsupportedOperationException by default: a model without a tokenizer of its own (or a wrapper that
     *     does not forward this method) cannot say
     */
    default int[] tokenIds(String text) {
        throw new UnsupportedOperationException(getClass().getName() + " does not expose its tokenizer");
    }

    /**
     * The most tokens one training window of this model holds (its context length), so that a text with a
     * {@link TrainingText#context() context} can be cut to what the model will read (masked-context teaching counts
     * the context in the token budget). {@link Integer#MAX_VALUE} by default: no limit known.
     */
    default int contextLength() {
        return Integer.MAX_VALUE;
    }

    @Override
    default void close() {}
}
