/**
 * Lexical diversity of text sets: one documented word tokenization
 * ({@link dev.symbiosis.metrics.lexical.WordTokenizer}) and small composable statistics in the style of Apache
 * Commons Statistics - {@code create()} gives a streaming accumulator ({@code accept(token)},
 * {@code acceptText(text)}), {@code of(...)} the statistic of given words, {@code combine(...)} merges accumulators,
 * and every route gives the same answer:
 * {@link dev.symbiosis.metrics.lexical.TypeTokenRatio}, {@link dev.symbiosis.metrics.lexical.Mattr},
 * {@link dev.symbiosis.metrics.lexical.Mtld}, {@link dev.symbiosis.metrics.lexical.YuleK},
 * {@link dev.symbiosis.metrics.lexical.YuleI}, {@link dev.symbiosis.metrics.lexical.DistinctNGrams}. MATTR and MTLD
 * are sequential (combine = concatenation); the others combine exactly through frequency tables or n-gram sets.
 * {@link dev.symbiosis.metrics.lexical.LexicalPanel} computes them all in one pass as {@code lexical.*} figures.
 *
 * <p>Accumulators are not thread-safe; tokenizers and panels are immutable and thread-safe.
 */
package dev.symbiosis.metrics.lexical;
