/**
 * Semantic diversity of text sets from sentence embeddings.
 *
 * <ul>
 *   <li>Encoders: {@link dev.symbiosis.metrics.semantic.SentenceEncoder}, implemented by
 *       {@link dev.symbiosis.metrics.semantic.MiniLmEncoder} (all-MiniLM-L6-v2 on ONNX Runtime, unit-norm
 *       384-dimensional vectors, SHA-256-keyed LRU cache) and
 *       {@link dev.symbiosis.metrics.semantic.PrecomputedEncoder} (vectors supplied by the user, read by
 *       {@link dev.symbiosis.metrics.semantic.VectorFiles} from CSV or NumPy {@code .npy}).</li>
 *   <li>Statistics on an {@link dev.symbiosis.metrics.semantic.Embeddings} matrix:
 *       {@link dev.symbiosis.metrics.semantic.CosineDistances} (exact mean pairwise cosine distance in
 *       {@code O(N d)}, distribution on a seeded pair sample), {@link dev.symbiosis.metrics.semantic.HullVolume}
 *       (exact convex-hull volume by {@link dev.symbiosis.metrics.semantic.ConvexHull} after
 *       {@link dev.symbiosis.metrics.semantic.Pca}), {@link dev.symbiosis.metrics.semantic.CovarianceLogDet} and
 *       {@link dev.symbiosis.metrics.semantic.VendiScore}.</li>
 * </ul>
 *
 * <p>Statistics are stateless static methods, thread-safe; each class documents its formula, reference and its
 * value on empty or degenerate input.
 */
package dev.symbiosis.metrics.semantic;
