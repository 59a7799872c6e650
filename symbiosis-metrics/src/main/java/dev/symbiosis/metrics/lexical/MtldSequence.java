package dev.symbiosis.metrics.lexical;

import java.util.Arrays;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The token-id sequence MTLD needs (its backward pass reads the sequence from the end), and the MTLD computation.
 * Memory 4 bytes per token. Not thread-safe.
 */
final class MtldSequence {

    private int[] ids = new int[1024];
    private int size;
    private int maxId = -1;

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        if (id > maxId) {
            maxId = id;
        }
    }

    /** Makes room for {@code more} ids without re-copying. */
    void reserve(long more) {
        long needed = size + Math.max(0, more);
        if (needed > ids.length && needed <= Integer.MAX_VALUE - 8) {
            ids = Arrays.copyOf(ids, (int) needed);
        }
    }

    /** Appends {@code other}'s sequence, its id {@code i} being this sequence's id {@code remap[i]}. */
    void append(MtldSequence other, int[] remap) {
        for (int k = 0; k < other.size; k++) {
            add(remap[other.ids[k]]);
        }
    }

    int size() {
        return size;
    }

    /**
     * MTLD: the mean of {@code N / F_forward} and {@code N / F_backward}, NaN if {@code N = 0} or no factor can
     * be formed (every token distinct).
     */
    double value(double threshold) {
        if (size == 0) {
            return Double.NaN;
        }
        int[] stamp = new int[maxId + 1];
        double forward = factors(false, threshold, stamp, 1);
        double backward = factors(true, threshold, stamp, size + 2);
        if (forward == 0 || backward == 0) {
            return Double.NaN;
        }
        return (size / forward + size / backward) / 2;
    }

    /**
     * The factor count of one pass: a factor is complete when the running TTR of the current segment falls to
     * {@code threshold} or below; the remaining partial segment counts {@code (1 - TTR) / (1 - threshold)}.
     * Segments are told apart by stamps starting at {@code firstStamp}.
     */
    private double factors(boolean backward, double threshold, int[] stamp, int firstStamp) {
        int segment = firstStamp;
        double factors = 0;
        int types = 0;
        int tokens = 0;
        for (int k = 0; k < size; k++) {
            int id = ids[backward ? size - 1 - k : k];
            tokens++;
            if (stamp[id] != segment) {
                stamp[id] = segment;
                types++;
            }
            if ((double) types / tokens <= threshold) {
                factors++;
                segment++;
                types = 0;
                tokens = 0;
            }
        }
        if (tokens > 0) {
            factors += (1 - (double) types / tokens) / (1 - threshold);
        }
        return factors;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int k = 0; k < size; k++) {
            out.writeInt(ids[k]);
        }
    }

    void read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative MTLD sequence length " + n);
        }
        ids = new int[Math.max(1024, n)];
        size = 0;
        maxId = -1;
        for (int k = 0; k < n; k++) {
            int id = in.readInt();
            if (id < 0) {
                throw new IOException("corrupt MTLD sequence: id " + id);
            }
            add(id);
        }
    }
}
