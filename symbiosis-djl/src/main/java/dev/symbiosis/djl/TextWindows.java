package dev.symbiosis.djl;

import dev.symbiosis.djl.tokenizer.BpeTokenizer;
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

    /**
     * The inputs of a batch of windows: {@code b} rows of {@code t} (the longest window) ids and next ids, row-major,
     * right-padded with {@code pad}.
     */
    record Batch(long[] ids, long[] next, int b, int t) {}

    /** The ids and next ids of {@code windows} over the encoded texts {@code enc}, padded with {@code pad}. */
    static Batch inputs(List<Window> windows, List<BpeTokenizer.Encoding> enc, int pad) {
        int b = windows.size();
        int t = 0;
        for (Window w : windows) {
            t = Math.max(t, w.length());
        }
        long[] ids = new long[b * t];
        long[] next = new long[b * t];
        for (int r = 0; r < b; r++) {
            Window w = windows.get(r);
            int[] all = enc.get(w.text()).ids();
            for (int j = 0; j < t; j++) {
                ids[r * t + j] = j < w.length() ? all[w.start() + j] : pad;
                next[r * t + j] = j + 1 < w.length() ? all[w.start() + j + 1] : pad;
            }
        }
        return new Batch(ids, next, b, t);
    }
}
