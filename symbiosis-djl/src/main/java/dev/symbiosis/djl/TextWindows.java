package dev.symbiosis.djl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Forward windows over encoded texts and their batching, shared by scoring and saliency.
 *
 * <p>Stateless.
 */
final class TextWindows {

    private TextWindows() {}

    /** One forward window of a text: ids[start, end), predictions for targets [firstTarget, end). */
    record Window(int text, int start, int end, int firstTarget) {
        int length() {
            return end - start;
        }
    }

    /** Windows sorted by length, grouped so that rows times padded length stays within {@code maxBatchTokens}. */
    static List<List<Window>> batches(List<Window> windows, int maxBatchTokens) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingInt(Window::length).thenComparingInt(Window::text)
                .thenComparingInt(Window::start));
        List<List<Window>> out = new ArrayList<>();
        List<Window> cur = new ArrayList<>();
        for (Window w : sorted) {
            if (!cur.isEmpty() && (long) (cur.size() + 1) * w.length() > maxBatchTokens) {
                out.add(cur);
                cur = new ArrayList<>();
            }
            cur.add(w);
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** The longest window of a batch. */
    static int longest(List<Window> batch) {
        int t = 0;
        for (Window w : batch) {
            t = Math.max(t, w.length());
        }
        return t;
    }
}
