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
     * The token ids {@code text} encodes to under this model's tokenizer, as {@link #score} would give them (used
     * to count token frequencies of a corpus). The default scores the text, which costs a forward pass; models with
     * a tokenizer of their own override it.
     *
     * @throws IllegalArgumentException if the text is empty
     */
    default int[] tokenIds(String text) {
        return score(java.util.List.of(text)).get(0).ids().toArray();
    }

    @Override
    default void close() {}
}
