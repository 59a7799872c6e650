package dev.symbiosis.core.eval;

/**
 * The unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on Code": with
 * {@code n} samples of which {@code c} are correct, {@code pass@k = 1 - C(n - c, k) / C(n, k)}, the probability that
 * at least one of {@code k} samples drawn without replacement from the {@code n} is correct. Computed as their
 * numerically stable product {@code 1 - prod_{i = n - c + 1}^{n} (1 - k / i)}, and exactly 1 when {@code n - c < k}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PassAtK {

    private PassAtK() {}

    /**
     * pass@k of one item.
     *
     * @param n samples drawn, {@code >= 1}
     * @param c correct samples, {@code 0 <= c <= n}
     * @param k samples allowed, {@code 1 <= k <= n}
     * @throws IllegalArgumentException naming the violated bound
     */
    public static double estimate(int n, int c, int k) {
        if (n < 1) {
            throw new IllegalArgumentException("pass@k needs n >= 1 samples, got " + n);
        }
        if (c < 0 || c > n) {
            throw new IllegalArgumentException("pass@k needs 0 <= c <= n, got c = " + c + " of n = " + n);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("pass@k needs 1 <= k <= n, got k = " + k + " with n = " + n
                    + " samples");
        }
        if (n - c < k) {
            return 1.0;
        }
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return 1.0 - allWrong;
    }
}
