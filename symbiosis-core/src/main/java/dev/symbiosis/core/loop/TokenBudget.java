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
 */
public final class TokenBudget {

    private final int budget;
    private final ToIntFunction<String> counter;
    private final List<TrainingText> texts = new ArrayList<>();
    private long tokens;
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

    public long tokens() {
        return tokens;
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
        int n = counter.applyAsInt(t.text());
        if (n < 2) {
            return false; // a single token carries no next-token loss
        }
        if (n <= remaining()) {
            texts.add(t);
            tokens += n;
            return true;
        }
        // A cut can re-tokenize to more tokens than its share of characters suggests: shrink until it fits.
        double share = (double) remaining() / n;
        String cut = cut(t.text(), share);
        int m = cut.isEmpty() ? 0 : counter.applyAsInt(cut);
        while (m > remaining() && !cut.isEmpty()) {
            share *= 0.9;
            cut = cut(t.text(), share);
            m = cut.isEmpty() ? 0 : counter.applyAsInt(cut);
        }
        if (m < 2) {
            closed = true; // less than a word of budget is left: the set is full
            return false;
        }
        texts.add(new TrainingText(cut, t.weight(), t.provenance().with("truncated", "true")));
        tokens += m;
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

    private static String cut(String text, double share) {
        int end = (int) Math.floor(text.length() * share);
        while (end > 0 && end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        return text.substring(0, Math.max(0, end)).strip();
    }
}
