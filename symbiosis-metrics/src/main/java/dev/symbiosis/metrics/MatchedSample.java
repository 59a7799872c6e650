package dev.symbiosis.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A like-with-like sample of a text set: exactly {@link #count()} texts, each cut to exactly {@link #length()}
 * Unicode code points, so that diversity figures of different sets (arms, iterations, real text) see the same
 * number of texts of the same length. Most diversity figures move with both: type-token ratio falls and MTLD, hull
 * volume and Vendi score grow with the amount of text, and Vendi is at most the number of texts.
 *
 * <p><b>Rule.</b> The <i>eligible</i> texts are those with at least {@code length} code points (a shorter text
 * cannot be cut to the length, and padding would invent text). Of them {@code count} are drawn without replacement
 * by {@link MetricsPanel#subsample(List, int, long)} with {@link #seed()} (the chosen texts in their original
 * order), and each is cut to its first {@code length} code points (a cut may end inside a word; every set's texts
 * are cut alike). A set with fewer than {@code count} eligible texts has no matched sample ({@link #draw} is empty):
 * its figures would not be comparable.
 *
 * <p>Length is counted in code points, not tokens, so that it does not depend on a tokenizer and never splits a
 * surrogate pair. Immutable and thread-safe.
 *
 * @param count texts in every matched sample, {@code >= 1}
 * @param length code points of every matched text, {@code >= 1}
 * @param seed seed of the draw
 */
public record MatchedSample(int count, int length, long seed) {

    public MatchedSample {
        if (count < 1) {
            throw new IllegalArgumentException("matched sample count must be >= 1, got " + count);
        }
        if (length < 1) {
            throw new IllegalArgumentException("matched sample length must be >= 1 code point, got " + length);
        }
    }

    /**
     * The matched sample of {@code texts}: {@link #count()} eligible texts cut to {@link #length()} code points, or
     * empty when fewer than {@link #count()} texts are eligible.
     */
    public Optional<List<String>> draw(List<String> texts) {
        List<String> eligible = eligible(texts, length);
        if (eligible.size() < count) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(count);
        for (String t : MetricsPanel.subsample(eligible, count, seed)) {
            out.add(cut(t, length));
        }
        return Optional.of(Collections.unmodifiableList(out));
    }

    /** The texts with at least {@code length} code points, in their order. */
    public static List<String> eligible(List<String> texts, int length) {
        Objects.requireNonNull(texts, "texts");
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            if (Objects.requireNonNull(t, "text").codePointCount(0, t.length()) >= length) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The first {@code length} code points of {@code text}.
     *
     * @throws IllegalArgumentException if the text is shorter
     */
    public static String cut(String text, int length) {
        if (text.codePointCount(0, text.length()) < length) {
            throw new IllegalArgumentException("text of " + text.codePointCount(0, text.length())
                    + " code points cannot be cut to " + length);
        }
        return text.substring(0, text.offsetByCodePoints(0, length));
    }

    /**
     * The largest count every set can give at {@code length}: the smallest number of eligible texts over the
     * sets, capped at {@code cap} (use it to match arms measured after the fact; 0 when a set has no eligible text).
     *
     * @throws IllegalArgumentException if there is no set
     */
    public static int commonCount(Collection<? extends List<String>> sets, int length, int cap) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no text sets to match");
        }
        int n = cap;
        for (List<String> s : sets) {
            n = Math.min(n, eligible(s, length).size());
        }
        return n;
    }
}
