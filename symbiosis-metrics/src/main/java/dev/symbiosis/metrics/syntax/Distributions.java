package dev.symbiosis.metrics.syntax;

/**
 * Entropy and Jensen-Shannon divergence of discrete distributions given as count vectors over the same outcomes
 * (index {@code i} of both vectors is the same outcome). Logarithms are base 2 (bits). Stateless, thread-safe.
 */
public final class Distributions {

    private Distributions() {}

    /**
     * Shannon entropy {@code H(p) = - sum_i p_i log2 p_i} of {@code p_i = counts[i] / sum(counts)}, with
     * {@code 0 log 0 = 0}. C. E. Shannon (1948), "A Mathematical Theory of Communication", Bell System Technical
     * Journal 27:379-423.
     *
     * @return the entropy in bits, in {@code [0, log2(#outcomes)]}; {@code NaN} if every count is 0
     * @throws IllegalArgumentException if a count is negative
     */
    public static double entropyBits(long[] counts) {
        double total = total(counts);
        if (total == 0) {
            return Double.NaN;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = c / total;
                h -= p * log2(p);
            }
        }
        return Math.max(0, h);
    }

    /**
     * Jensen-Shannon divergence
     * <pre>
     *   JSD(P, Q) = (KL(P || M) + KL(Q || M)) / 2,   M = (P + Q) / 2,   KL(P || M) = sum_i p_i log2(p_i / m_i)
     * </pre>
     * in bits: symmetric, 0 iff {@code P = Q} (so also for proportional count vectors), at most 1 (reached for
     * disjoint supports). Computed outcome by outcome as {@code (p log2(p/m) + q log2(q/m)) / 2}, which is exactly
     * symmetric in floating point; clamped to {@code [0, 1]} against rounding. J. Lin (1991), "Divergence measures
     * based on the Shannon entropy", IEEE Transactions on Information Theory 37(1):145-151.
     *
     * @param p counts of the first distribution
     * @param q counts of the second, same length
     * @return the divergence in bits, in {@code [0, 1]}; {@code NaN} if either has no count
     * @throws IllegalArgumentException if the lengths differ or a count is negative
     */
    public static double jensenShannonBits(long[] p, long[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("lengths differ: " + p.length + " and " + q.length);
        }
        double tp = total(p);
        double tq = total(q);
        if (tp == 0 || tq == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / tp;
            double b = q[i] / tq;
            if (a == 0 && b == 0) {
                continue;
            }
            double m = (a + b) / 2;
            double term = 0;
            if (a > 0) {
                term += a * log2(a / m);
            }
            if (b > 0) {
                term += b * log2(b / m);
            }
            sum += term / 2;
        }
        return Math.min(1, Math.max(0, sum));
    }

    private static double total(long[] counts) {
        double t = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c);
            }
            t += c;
        }
        return t;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
