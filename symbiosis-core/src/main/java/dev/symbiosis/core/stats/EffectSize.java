package dev.symbiosis.core.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Standardised effect sizes of paired samples.
 *
 * <ul>
 *   <li>{@link #pairedDz(double[])}: Cohen's {@code d_z = mean(d) / sd(d)} of the differences {@code d} (sample
 *       standard deviation, {@code n - 1} denominator); the paired t statistic is {@code d_z * sqrt(n)};</li>
 *   <li>{@link #hedgesGz(double[])}: {@code d_z} times the small-sample correction
 *       {@code J(m) = Gamma(m / 2) / (sqrt(m / 2) Gamma((m - 1) / 2))}, {@code m = n - 1} (Hedges 1981), which
 *       removes d's upward bias.</li>
 * </ul>
 *
 * <p>Fewer than two pairs give {@code NaN}; so do differences that are all equal and zero (0 / 0). Equal non-zero
 * differences give an infinite effect. {@code NaN} values propagate. Stateless and thread-safe.
 */
public final class EffectSize {

    private EffectSize() {}

    /**
     * Cohen's {@code d_z} of {@code a[i] - b[i]}.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static double pairedDz(double[] a, double[] b) {
        return pairedDz(differences(a, b));
    }

    /** Cohen's {@code d_z} of the paired differences. */
    public static double pairedDz(double[] differences) {
        MeanInterval m = MeanInterval.of(differences);
        if (m.getN() < 2) {
            return Double.NaN;
        }
        return m.getMean() / m.getStandardDeviation();
    }

    /** Hedges' bias-corrected {@code g_z} of the paired differences; {@code NaN} for fewer than three pairs. */
    public static double hedgesGz(double[] differences) {
        return pairedDz(differences) * correction(differences.length - 1);
    }

    /** Hedges' {@code J(m)} for {@code m >= 2} degrees of freedom (exact, through log-gamma); else NaN. */
    static double correction(int m) {
        if (m < 2) {
            return Double.NaN; // J(1) = 0: with two pairs the corrected effect is not informative
        }
        return Math.exp(Gamma.logGamma(m / 2.0) - Gamma.logGamma((m - 1) / 2.0)) / Math.sqrt(m / 2.0);
    }

    static double[] differences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " and " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
