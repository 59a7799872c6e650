package dev.symbiosis.core.loop;

import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Fresh real text for every iteration: the stream's documents in a seeded order, consumed front to back, so that
 * iteration {@code t} of a strategy sees text that no earlier iteration of that strategy saw. Deterministic: the
 * texts of iteration {@code t} are found by replaying iterations {@code 1..t}, so resumption needs no state.
 * When the stream runs out it starts again from the front and says so ({@link Slice#reused()}).
 */
public final class RealStream {

    private final List<Document> docs;
    private final ToIntFunction<String> counter;

    /**
     * @param docs the stream's documents (windows of a size the Student can take)
     * @param seed seed of the order
     * @param counter token counter of the Student
     */
    public RealStream(List<Document> docs, long seed, ToIntFunction<String> counter) {
        List<Document> shuffled = new ArrayList<>(docs);
        Collections.shuffle(shuffled, new Random(seed));
        this.docs = List.copyOf(shuffled);
        this.counter = counter;
    }

    public boolean isEmpty() {
        return docs.isEmpty();
    }

    /** The real texts of one iteration, and whether the stream had to be reused. */
    public record Slice(List<TrainingText> texts, boolean reused) {}

    /**
     * Real texts of iteration {@code iteration} ({@code >= 1}) for a strategy that takes {@code tokens} real tokens
     * per iteration.
     */
    public Slice slice(int iteration, int tokens, double weight) {
        if (docs.isEmpty()) {
            throw new IllegalStateException("the real-data stream is empty");
        }
        int cursor = 0;
        boolean reused = false;
        List<TrainingText> out = List.of();
        for (int t = 1; t <= iteration; t++) {
            TokenBudget b = new TokenBudget(tokens, counter);
            int start = cursor;
            while (!b.isFull()) {
                if (cursor >= docs.size()) {
                    cursor = 0;
                    reused = true;
                }
                Document d = docs.get(cursor++);
                b.offer(new TrainingText(d.text(), weight, d.provenance().with("doc", d.id())
                        .with(IterationContext.ORIGIN, IterationContext.REAL)));
                if (cursor == start && !b.isFull()) {
                    break; // the whole stream is smaller than one budget
                }
            }
            out = b.texts();
        }
        return new Slice(out, reused);
    }
}
