package dev.symbiosis.metrics.syntax;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One sentence: its tokens and one part-of-speech tag per token, as the analyzer gave them.
 *
 * <p><b>Multi-word tokens.</b> The UD English-EWT models tag a contraction that the tokenizer keeps whole with a
 * compound tag joined by {@code '+'} ({@code "didn't"} is {@code AUX+PART}, {@code "I'm"} {@code PRON+AUX}), as UD
 * treats such a token as several syntactic words. {@link #upos()} expands a compound tag into its parts, so the UPOS
 * sequence is one of syntactic words, like the UD treebanks'; every statistic of this package (sentence length in
 * tokens included) counts syntactic words.
 *
 * <p>Immutable.
 *
 * @param tokens the tokens, in order
 * @param tags the tag of each token (same size)
 */
public record TaggedSentence(List<String> tokens, List<String> tags) {

    /**
     * @throws IllegalArgumentException if the lists differ in size
     */
    public TaggedSentence {
        tokens = List.copyOf(tokens);
        tags = List.copyOf(tags);
        if (tokens.size() != tags.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + tags.size() + " tags");
        }
    }

    /** Tokens and tags from arrays (as OpenNLP returns them). */
    public static TaggedSentence of(String[] tokens, String[] tags) {
        return new TaggedSentence(List.of(tokens), List.of(tags));
    }

    /** The number of tokens (before expanding compound tags). */
    public int size() {
        return tokens.size();
    }

    /**
     * The UPOS sequence of the sentence's syntactic words: each tag split on {@code '+'} and each part read by
     * {@link Upos#parse(String)} (a non-UPOS tag becomes {@link Upos#X}).
     */
    public List<Upos> upos() {
        List<Upos> out = new ArrayList<>(tags.size() + 2);
        for (String tag : tags) {
            if (tag.indexOf('+') < 0) {
                out.add(Upos.parse(tag));
            } else {
                for (String part : tag.split("\\+")) {
                    if (!part.isEmpty()) {
                        out.add(Upos.parse(part));
                    }
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(tokens.get(i)).append('/').append(tags.get(i));
        }
        return b.toString();
    }
}
