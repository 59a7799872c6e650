/**
 * The experiment harness as a library: {@link dev.symbiosis.experiment.ExperimentRunner} runs strategies against
 * the baselines over run seeds (strategies by name from a {@link dev.symbiosis.experiment.StrategyRegistry} or as
 * one's own factories; models, evaluator, miner, curriculum, measurement and data injectable),
 * {@link dev.symbiosis.experiment.ExperimentConfig} describes a run completely,
 * {@link dev.symbiosis.experiment.HeldOutEvaluator} evaluates with per-item results,
 * {@link dev.symbiosis.experiment.SeedStatistics} gives means over seeds and paired tests, and
 * {@link dev.symbiosis.experiment.Report} writes the HTML report.
 *
 * <p>Nothing in this package returns or accepts {@code null} unless the type says {@code @Nullable}.
 */
@NullMarked
package dev.symbiosis.experiment;

import org.jspecify.annotations.NullMarked;
