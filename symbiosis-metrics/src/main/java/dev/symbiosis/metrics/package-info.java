/**
 * Measures of text sets: {@link dev.symbiosis.metrics.MetricsPanel} combines the lexical
 * ({@code dev.symbiosis.metrics.lexical}), syntactic ({@code dev.symbiosis.metrics.syntax}), semantic
 * ({@code dev.symbiosis.metrics.semantic}) and fidelity ({@code dev.symbiosis.metrics.fidelity}) figures behind
 * core's {@link dev.symbiosis.core.measure.TextSetMeasure}, on an equal-size seeded sub-sample of every set.
 */
package dev.symbiosis.metrics;
