package dev.symbiosis.metrics.semantic;

import java.util.Objects;

/**
 * The volume of the convex hull of a set's embeddings after projection onto {@code k} principal components: how
 * much of the (reduced) semantic space the set covers.
 *
 * <p><b>Definition.</b> {@code V_k(X) = vol(conv(P(X)))} with {@code P} a {@link Pca} projection to {@code k}
 * dimensions, computed exactly by {@link ConvexHull} (Quickhull, sum of the facet simplices from an interior
 * point). Volumes scale as length<sup>k</sup>; compare sets under the same projection only.
 *
 * <p><b>Why {@code k = 5} by default.</b> A hull in {@code k} dimensions needs at least {@code k+1} affinely
 * independent points, and its volume is only a stable summary when the set has many more than {@code 2^k} points:
 * with few points per "orthant" the hull is a handful of simplices whose volume jumps from sample to sample, and
 * the volume of {@code N} Gaussian points grows with {@code N} in ways that depend strongly on {@code k}. The number
 * of facets also grows quickly with {@code k} (up to {@code O(N^floor(k/2))} by the upper bound theorem), so the
 * cost rises sharply above 5. With the few hundred texts per set typical here, {@code k <= 5} keeps
 * {@code N >> 2^k = 32}; the default is therefore 5, and values above 8 are refused.
 *
 * <p><b>Projection.</b> {@link #measure(Embeddings, Pca)} uses a projection fitted once on a reference set (for
 * example held-out real text) and shared by all measured sets, so their volumes are comparable;
 * {@link #measureSelf(Embeddings, int)} fits the projection on the set itself.
 *
 * <p><b>Degenerate input.</b> Fewer than {@code k+1} affinely independent projected points:
 * {@link IllegalArgumentException} ("need at least k+1 affinely independent points"); {@link #measureOrNaN} maps
 * that case to {@code NaN}.
 *
 * <p>Stateless and thread-safe.
 */
public final class HullVolume {

    /** Default number of principal components. */
    public static final int DEFAULT_K = 5;
    /** Largest supported number of components. */
    public static final int MAX_K = 8;

    private HullVolume() {}

    /**
     * Hull volume of {@code vectors} projected by {@code pca}.
     *
     * @throws IllegalArgumentException for degenerate input or a dimension mismatch
     */
    public static double measure(Embeddings vectors, Pca pca) {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(pca, "pca");
        checkK(pca.components());
        return ConvexHull.volume(pca.project(vectors));
    }

    /**
     * Hull volume after a projection fitted on {@code vectors} themselves.
     *
     * @throws IllegalArgumentException for degenerate input or {@code k} outside {@code [1, 8]}
     */
    public static double measureSelf(Embeddings vectors, int k) {
        checkK(k);
        if (vectors.size() < k + 1) {
            throw new IllegalArgumentException("need at least k+1 affinely independent points: k = " + k + ", got "
                    + vectors.size() + " points");
        }
        return measure(vectors, Pca.fit(vectors, k));
    }

    /**
     * As {@link #measure}, but {@code NaN} instead of an exception when the projected points are degenerate or so
     * nearly degenerate that the hull cannot be built ({@link ConvexHull}'s {@link IllegalStateException}).
     *
     * @throws IllegalArgumentException for a dimension mismatch or an invalid {@code k}
     */
    public static double measureOrNaN(Embeddings vectors, Pca pca) {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(pca, "pca");
        checkK(pca.components());
        double[][] projected = pca.project(vectors);
        try {
            return ConvexHull.volume(projected);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Double.NaN;
        }
    }

    private static void checkK(int k) {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("hull dimension k must be in [1, " + MAX_K + "], got " + k);
        }
    }
}
