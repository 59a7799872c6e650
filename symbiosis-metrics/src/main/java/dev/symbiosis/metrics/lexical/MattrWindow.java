package dev.symbiosis.metrics.lexical;

import java.util.Arrays;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The state of a moving-average type-token ratio over a token sequence of ids: the number of distinct ids in the
 * current window of the last {@code W} tokens, the exact sum of that number over every complete window seen, and
 * the first {@code W - 1} tokens (needed to join a following sequence's windows when appending). Memory
 * {@code O(W + ids)}. Not thread-safe.
 */
final class MattrWindow {

    private final int window;
    private final int[] ring;
    private int ringPos;
    private final int[] prefix;
    private int prefixLength;
    private int[] inWindow = new int[256];
    private int distinct;
    private long tokens;
    private long windowSum;

    MattrWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.window = window;
        this.ring = new int[window];
        this.prefix = new int[window - 1];
    }

    int window() {
        return window;
    }

    long tokens() {
        return tokens;
    }

    void add(int id) {
        if (id >= inWindow.length) {
            inWindow = Arrays.copyOf(inWindow, Math.max(inWindow.length * 2, id + 1));
        }
        tokens++;
        if (prefixLength < prefix.length) {
            prefix[prefixLength++] = id;
        }
        if (tokens > window && --inWindow[ring[ringPos]] == 0) {
            distinct--;
        }
        ring[ringPos] = id;
        if (inWindow[id]++ == 0) {
            distinct++;
        }
        if (++ringPos == window) {
            ringPos = 0;
        }
        if (tokens >= window) {
            windowSum += distinct;
        }
    }

    /**
     * Makes this the state of this sequence followed by {@code other}'s, {@code other}'s id {@code i} being this
     * state's id {@code remap[i]}. Exact: the windows across the junction are recomputed from this state's window
     * and {@code other}'s first {@code W - 1} tokens; the windows inside {@code other} are its own sum.
     */
    void append(MattrWindow other, int[] remap) {
        if (other.window != window) {
            throw new IllegalArgumentException("windows differ: " + window + " and " + other.window);
        }
        // the windows ending in the first W - 1 tokens of other: replay those tokens
        int head = (int) Math.min(other.tokens, window - 1L);
        for (int k = 0; k < head; k++) {
            add(remap[other.prefix[k]]);
        }
        if (other.tokens < window) {
            return; // all of other was in its prefix
        }
        // the windows ending at other's tokens W-1.. lie inside other
        windowSum += other.windowSum;
        int filled = (int) Math.min(tokens, window); // ring slots in use (from 0 when the ring has not wrapped)
        tokens += other.tokens - head;
        for (int k = 0; k < filled; k++) {
            if (--inWindow[ring[k]] == 0) {
                distinct--;
            }
        }
        for (int k = 0; k < window; k++) {
            int id = remap[other.ring[(other.ringPos + k) % window]];
            if (id >= inWindow.length) {
                inWindow = Arrays.copyOf(inWindow, Math.max(inWindow.length * 2, id + 1));
            }
            ring[k] = id;
            if (inWindow[id]++ == 0) {
                distinct++;
            }
        }
        ringPos = 0;
    }

    /**
     * {@code sum over windows of (distinct in window) / (W (N - W + 1))}; if {@code N < W} the TTR of all tokens;
     * NaN if {@code N = 0}.
     */
    double value() {
        if (tokens == 0) {
            return Double.NaN;
        }
        if (tokens < window) {
            return (double) distinct / tokens;
        }
        return windowSum / ((double) window * (tokens - window + 1));
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(window);
        out.writeLong(tokens);
        out.writeLong(windowSum);
        out.writeInt(ringPos);
        out.writeInt(prefixLength);
        for (int k = 0; k < prefixLength; k++) {
            out.writeInt(prefix[k]);
        }
        int filled = (int) Math.min(tokens, window);
        for (int k = 0; k < filled; k++) {
            out.writeInt(ring[k]);
        }
    }

    /** Reads a state written by {@link #write} into this empty window; the window counts are rebuilt. */
    void read(DataInput in) throws IOException {
        int w = in.readInt();
        if (w != window) {
            throw new IOException("MATTR window " + w + ", this panel uses " + window);
        }
        tokens = in.readLong();
        windowSum = in.readLong();
        ringPos = in.readInt();
        prefixLength = in.readInt();
        if (prefixLength < 0 || prefixLength > prefix.length || ringPos < 0 || ringPos >= window || tokens < 0) {
            throw new IOException("corrupt MATTR state");
        }
        for (int k = 0; k < prefixLength; k++) {
            prefix[k] = in.readInt();
        }
        int filled = (int) Math.min(tokens, window);
        distinct = 0;
        for (int k = 0; k < filled; k++) {
            int id = in.readInt();
            if (id < 0) {
                throw new IOException("corrupt MATTR state: id " + id);
            }
            ring[k] = id;
            if (id >= inWindow.length) {
                inWindow = Arrays.copyOf(inWindow, Math.max(inWindow.length * 2, id + 1));
            }
            if (inWindow[id]++ == 0) {
                distinct++;
            }
        }
    }
}
