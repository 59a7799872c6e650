package dev.symbiosis.core.dedup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops near-duplicate texts, as Self-Instruct and LLM2LLM filter generated data: a text is a near duplicate when
 * the MinHash-estimated Jaccard similarity of its word shingles to some already accepted text is at least the
 * threshold. Accepted texts are remembered (as signatures), so later texts are compared with everything accepted
 * before, across calls.
 *
 * <p>Greedy and order-dependent: a text is compared with accepted texts only, never with dropped ones. For one
 * text against a fixed set of accepted texts the decision is monotone in the threshold (dropped at {@code t}
 * implies dropped at every lower threshold); the total number dropped from a sequence is not always monotone,
 * because a text kept at a higher threshold can in turn cause later texts to be dropped.
 *
 * <p>Comparison is a linear scan over accepted signatures ({@code O(accepted x hashes)} per text), ample for the
 * loop's thousands of samples. Not thread-safe.
 */
public final class NearDuplicateFilter {

    private static final int MAGIC = 0x4E445550; // "NDUP"

    private final MinHash minHash;
    private final double threshold;
    private final List<long[]> accepted = new ArrayList<>();

    /**
     * @param minHash the signature family
     * @param threshold estimated Jaccard similarity at or above which a text is a near duplicate, in (0, 1]
     */
    public NearDuplicateFilter(MinHash minHash, double threshold) {
        this.minHash = java.util.Objects.requireNonNull(minHash, "minHash");
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** Number of accepted texts remembered. */
    public int size() {
        return accepted.size();
    }

    /** The largest estimated similarity of {@code text} to an accepted text (0 when none is accepted). */
    public double maxSimilarity(String text) {
        return maxSimilarity(minHash.signature(text));
    }

    private double maxSimilarity(long[] sig) {
        double best = 0;
        for (long[] a : accepted) {
            best = Math.max(best, MinHash.estimate(a, sig));
            if (best >= 1) {
                break;
            }
        }
        return best;
    }

    /** Whether {@code text} is a near duplicate of an accepted text. Changes nothing. */
    public boolean isNearDuplicate(String text) {
        return maxSimilarity(text) >= threshold;
    }

    /** Remembers {@code text} as accepted (whether or not it is a near duplicate). */
    public void accept(String text) {
        accepted.add(minHash.signature(text));
    }

    /**
     * Accepts {@code text} unless it is a near duplicate of an accepted text.
     *
     * @return whether it was accepted
     */
    public boolean offer(String text) {
        long[] sig = minHash.signature(text);
        if (maxSimilarity(sig) >= threshold) {
            return false;
        }
        accepted.add(sig);
        return true;
    }

    /** The texts of {@code texts} that {@link #offer} accepts, in order. */
    public List<String> filter(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            if (offer(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Writes the accepted signatures (for checkpoints). */
    public void save(OutputStream out) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(buf);
        d.writeInt(MAGIC);
        d.writeInt(minHash.hashes());
        d.writeInt(accepted.size());
        for (long[] sig : accepted) {
            for (long v : sig) {
                d.writeLong(v);
            }
        }
        d.flush();
        buf.writeTo(out);
    }

    /**
     * Replaces the accepted signatures with those written by {@link #save}.
     *
     * @param what names the source in error messages (e.g. the file)
     * @throws IOException if the data is not a filter state of this signature length
     */
    public void restore(InputStream in, String what) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            if (d.readInt() != MAGIC) {
                throw new IOException(what + ": not a near-duplicate filter state");
            }
            int k = d.readInt();
            if (k != minHash.hashes()) {
                throw new IOException(what + ": signatures of " + k + " hashes, this filter uses "
                        + minHash.hashes());
            }
            int n = d.readInt();
            if (n < 0) {
                throw new IOException(what + ": negative signature count " + n);
            }
            List<long[]> read = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long[] sig = new long[k];
                for (int j = 0; j < k; j++) {
                    sig[j] = d.readLong();
                }
                read.add(sig);
            }
            if (d.read() != -1) {
                throw new IOException(what + ": trailing bytes after " + n + " signatures");
            }
            accepted.clear();
            accepted.addAll(read);
        } catch (EOFException e) {
            throw new IOException(what + ": truncated near-duplicate filter state", e);
        }
    }
}
