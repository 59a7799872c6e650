/**
 * Syntactic diversity and complexity of text sets from UPOS part-of-speech tags: a
 * {@link dev.symbiosis.metrics.syntax.SyntaxAnalyzer} (implemented by
 * {@link dev.symbiosis.metrics.syntax.OpenNlpAnalyzer} over the OpenNLP UD English-EWT models, tagging in parallel
 * with thread-confined taggers and a deterministic result) turns texts into
 * {@link dev.symbiosis.metrics.syntax.TaggedSentence}s; {@link dev.symbiosis.metrics.syntax.PosNGrams} (distinct
 * ratio, entropy and Jensen-Shannon divergence of POS n-grams, n = 1..4),
 * {@link dev.symbiosis.metrics.syntax.PosComplexity} (sentence length, subordinators and verbal heads per sentence,
 * verb rate) and {@link dev.symbiosis.metrics.syntax.PosTrigramModel} (mean surprisal under a reference's add-one
 * POS trigram model) measure them; {@link dev.symbiosis.metrics.syntax.SyntacticPanel} returns all as
 * {@code syntax.*} figures.
 */
package dev.symbiosis.metrics.syntax;
