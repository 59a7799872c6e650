/**
 * Fidelity of a text set: corpus perplexity and bits per byte under a reference language model given as a
 * {@link dev.symbiosis.core.model.TextScorer} ({@link dev.symbiosis.metrics.fidelity.Fidelity}).
 */
package dev.symbiosis.metrics.fidelity;
