package dev.symbiosis.core.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down adjustment of a family of p-values (controls the family-wise error rate under any dependence):
 * sort ascending, {@code p'_(k) = max_{j <= k} min(1, (m - j + 1) p_(j))} for ranks {@code j = 1..m}, returned in
 * the input order.
 *
 * <p>{@code NaN} p-values are left {@code NaN} and do not count in {@code m}. Empty input gives an empty array.
 * Stateless and thread-safe.
 */
public final class HolmAdjustment {

    private HolmAdjustment() {}

    /**
     * The adjusted p-values, in the order of {@code pValues}.
     *
     * @throws IllegalArgumentException if a p-value is outside [0, 1]
     */
    public static double[] of(double... pValues) {
        double[] out = new double[pValues.length];
        Arrays.fill(out, Double.NaN);
        Integer[] order = new Integer[pValues.length];
        int m = 0;
        for (int i = 0; i < pValues.length; i++) {
            double p = pValues[i];
            if (Double.isNaN(p)) {
                continue;
            }
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("p-value " + i + " is outside [0, 1]: " + p);
            }
            order[m++] = i;
        }
        Integer[] valid = Arrays.copyOf(order, m);
        Arrays.sort(valid, Comparator.comparingDouble(i -> pValues[i]));
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = valid[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            out[i] = running;
        }
        return out;
    }
}
