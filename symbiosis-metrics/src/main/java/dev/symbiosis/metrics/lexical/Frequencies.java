package dev.symbiosis.metrics.lexical;

import java.util.Arrays;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Token counts by word id: the frequency table behind TTR and Yule's characteristics. Every id from 0 to
 * {@link #types()} - 1 has a count of at least one (ids are handed out on first sight). Not thread-safe.
 */
final class Frequencies {

    private int[] counts = new int[256];
    private int types;
    private long tokens;

    void add(int id) {
        if (id >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(counts.length * 2, id + 1));
        }
        if (counts[id]++ == 0) {
            types++;
        }
        tokens++;
    }

    /** Adds {@code other}'s counts, its id {@code i} being this table's id {@code remap[i]}. */
    void merge(Frequencies other, int[] remap) {
        for (int i = 0; i < other.types; i++) {
            int id = remap[i];
            if (id >= counts.length) {
                counts = Arrays.copyOf(counts, Math.max(counts.length * 2, id + 1));
            }
            if (counts[id] == 0) {
                types++;
            }
            counts[id] += other.counts[i];
        }
        tokens += other.tokens;
    }

    long tokens() {
        return tokens;
    }

    int types() {
        return types;
    }

    /** {@code M2 = sum_i i^2 V_i = sum over types of f^2}. */
    double sumOfSquares() {
        double s = 0;
        for (int i = 0; i < types; i++) {
            double f = counts[i];
            s += f * f;
        }
        return s;
    }

    /** {@code V / N}, NaN if {@code N = 0}. */
    double typeTokenRatio() {
        return tokens == 0 ? Double.NaN : (double) types / tokens;
    }

    /** {@code 10^4 (M2 - N) / N^2}, NaN if {@code N = 0}. */
    double yuleK() {
        if (tokens == 0) {
            return Double.NaN;
        }
        double n = tokens;
        return 1e4 * (sumOfSquares() - n) / (n * n);
    }

    /** {@code V^2 / (M2 - V)}, NaN if {@code N = 0} or every type occurs once ({@code M2 = V}). */
    double yuleI() {
        if (tokens == 0) {
            return Double.NaN;
        }
        double v = types;
        double d = sumOfSquares() - v;
        return d == 0 ? Double.NaN : v * v / d;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(types);
        out.writeLong(tokens);
        for (int i = 0; i < types; i++) {
            out.writeInt(counts[i]);
        }
    }

    void read(DataInput in) throws IOException {
        types = in.readInt();
        tokens = in.readLong();
        counts = new int[Math.max(256, types)];
        long sum = 0;
        for (int i = 0; i < types; i++) {
            counts[i] = in.readInt();
            if (counts[i] < 1) {
                throw new IOException("word " + i + " has count " + counts[i]);
            }
            sum += counts[i];
        }
        if (sum != tokens) {
            throw new IOException("counts sum to " + sum + ", not " + tokens + " tokens");
        }
    }
}
