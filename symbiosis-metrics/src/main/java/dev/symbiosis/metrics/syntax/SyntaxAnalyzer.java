package dev.symbiosis.metrics.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into part-of-speech tagged sentences: sentence splitting, tokenization and tagging with UPOS tags
 * ({@link Upos}; compound tags joined by {@code '+'} allowed, see {@link TaggedSentence}). The statistics of this
 * package need only this; a full dependency parser can implement it too (and add what it knows in a richer
 * subtype).
 *
 * <p>Implementations must be deterministic (the same text always gives the same sentences) and say whether they are
 * thread-safe.
 */
public interface SyntaxAnalyzer {

    /**
     * Splits a text into sentences, tokenizes and tags them.
     *
     * @param text any text
     * @return the sentences in order; empty if the text has none (blank text)
     */
    List<TaggedSentence> analyze(String text);

    /**
     * Tags one already tokenized sentence.
     *
     * @param tokens the tokens
     * @return the tagged sentence, with these tokens
     */
    TaggedSentence tag(List<String> tokens);

    /**
     * Analyzes every text; element {@code i} of the result is {@code analyze(texts.get(i))}. Implementations may
     * work in parallel but must return the same result as this sequential default.
     */
    default List<List<TaggedSentence>> analyzeAll(List<String> texts) {
        List<List<TaggedSentence>> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(analyze(t));
        }
        return out;
    }
}
