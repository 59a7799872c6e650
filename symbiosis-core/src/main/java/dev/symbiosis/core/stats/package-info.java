/**
 * Small statistics for comparing strategies over run seeds and evaluation items, in the style of Commons
 * Statistics (static factories, immutable seeded configurations, streaming accumulators with {@code combine}).
 *
 * <ul>
 *   <li>{@link dev.symbiosis.core.stats.MeanInterval}: mean with a Student-t interval (spread over seeds);</li>
 *   <li>{@link dev.symbiosis.core.stats.PairedBootstrap}: percentile interval and p-value of a mean paired
 *       difference, resampling seeds and items (crossed two-way bootstrap);</li>
 *   <li>{@link dev.symbiosis.core.stats.PairedPermutationTest}: exact or Monte Carlo sign-flip test;</li>
 *   <li>{@link dev.symbiosis.core.stats.EffectSize}: paired Cohen's {@code d_z} and Hedges' {@code g_z};</li>
 *   <li>{@link dev.symbiosis.core.stats.HolmAdjustment}: Holm's family-wise adjustment of p-values.</li>
 * </ul>
 *
 * <p>Every random procedure takes a seed and gives the same result for the same seed.
 */
package dev.symbiosis.core.stats;
