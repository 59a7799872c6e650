package dev.symbiosis.core.loop;

import dev.symbiosis.core.model.TrainingText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Fills a training set up to a token budget, so that every strategy trains on the same number of tokens.
 *
 * <p>Texts are taken in order until the budget is reached; the text that crosses it is cut at a whitespace
 * boundary in proportion to the tokens still needed, never past the budget (it may fall short by a word).
 *
 * <p>A text's {@link TrainingText#context() context} counts too: the Student reads it, so its tokens are part of the
 * budget ({@link #contextTokens()} tells how many). A text with context needs at least one token of its own (it is
 * predicted from the context), a text without at least two (a single token carries no next-token loss). When such a
 * text crosses the budget its own text is cut, never its context; if the context alone does not fit, the set is full.
 */
public final class TokenBudget {

    private final int budget;
    private final ToIntFunction<String> counter;
    private final List<TrainingText> texts = new ArrayList<>();
    private long tokens;
    private long contextTokens;
    private boolean closed;

    public TokenBudget(int budget, ToIntFunction<String> counter) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1, got " + budget);
        }
        this.budget = budget;
        this.counter = counter;
    }

    /** Whether the budget is reached. */
    public boolean isFull() {
        return closed || tokens >= budget;
    }

    /** Tokens still wanted (0 when full). */
    public long remaining() {
        return Math.max(0, budget - tokens);
    }

    /** Tokens taken so far, texts and contexts. */
    public long tokens() {
        return tokens;
    }

    /** The part of {@link #tokens()} that is context ({@link TrainingText#context()}); 0 when no text has one. */
    public long contextTokens() {
        return contextTokens;
    }

    /**
     * Adds a text (or the part of it that fits).
     *
     * @return whether anything was added
     */
    public boolean offer(TrainingText t) {
        if (isFull()) {
            return false;
        }
        int c = t.hasContext() ? counter.applyAsInt(t.context()) : 0;
        int minimum = t.hasContext() ? 1 : 2; // a single token carries no next-token loss without a context
        int n = counter.applyAsInt(t.text());
        if (n < minimum) {
            return false;
        }
        if (n + c <= remaining()) {
            texts.add(t);
            tokens += n + c;
            contextTokens += c;
            return true;
        }
        long room = remaining() - c;
        if (room < minimum) {
            closed = true; // less than a word of budget is left beside the context: the set is full
            return false;
        }
        // A cut can re-tokenize to more tokens than its share of characters suggests: shrink until it fits.
        double share = (double) room / n;
        String cut = cut(t.text(), share, t.hasContext());
        int m = cut.isEmpty() ? 0 : counter.applyAsInt(cut);
        while (m > room && !cut.isEmpty()) {
            share *= 0.9;
            cut = cut(t.text(), share, t.hasContext());
            m = cut.isEmpty() ? 0 : counter.applyAsInt(cut);
        }
        if (m < minimum) {
            closed = true; // less than a word of budget is left: the set is full
            return false;
        }
        texts.add(t.withText(cut, t.provenance().with("truncated", "true")));
        tokens += m + c;
        contextTokens += c;
        closed = true; // the cut text is the last one, even if the cut fell a word short of the budget
        return true;
    }

    /** Offers texts from {@code source} until full or exhausted. */
    public TokenBudget fillFrom(Iterator<TrainingText> source) {
        while (!isFull() && source.hasNext()) {
            offer(source.next());
        }
        return this;
    }

    public List<TrainingText> texts() {
        return List.copyOf(texts);
    }

    /** The text's first {@code share} cut at whitespace; a text that follows a context keeps its leading space. */
    private static String cut(String text, double share, boolean afterContext) {
        int end = (int) Math.floor(text.length() * share);
        while (end > 0 && end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        String part = text.substring(0, Math.max(0, end));
        return afterContext ? (part.isBlank() ? "" : part.stripTrailing()) : part.strip();
    }
}
