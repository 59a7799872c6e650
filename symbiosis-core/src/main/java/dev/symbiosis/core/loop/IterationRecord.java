package dev.symbiosis.core.loop;

import dev.symbiosis.core.model.TrainingReport;
import java.util.SortedMap;

/**
 * One line of {@code results.jsonl}: what one strategy did and measured in one iteration. Iteration 0 is the
 * evaluation of Student 0 before any training. Holds no wall-clock value (those go to {@code timings.jsonl}), so two
 * runs with the same seed and config write identical records.
 *
 * @param strategy the strategy's name
 * @param iteration 0 for the initial evaluation, then 1..T
 * @param headline name of the evaluation's headline figure
 * @param evaluation the Student's figures on the held-out suite
 * @param synthetic figures of the iteration's measured texts (the synthetic part of the training data, or the
 *     real data for real-only strategies); empty for iteration 0
 * @param measuredOrigin {@code "synthetic"} or {@code "real"}: which texts {@code synthetic} measured
 * @param studentTraining the Student's training report (empty for iteration 0)
 * @param generatorTraining the Generator's Step D report, or {@code null}
 * @param feedback Step C summary, or {@code null}
 * @param trainingTexts number of training texts
 * @param trainingTokens tokens of the training texts under the Student's tokenizer
 * @param realShare share of training tokens that are real text
 * @param realStreamReused whether the real stream ran out and was reused
 * @param stopped {@code "plateau"} if early stopping ended the strategy after this iteration, else {@code null}
 */
public record IterationRecord(
        String strategy,
        int iteration,
        String headline,
        SortedMap<String, Double> evaluation,
        SortedMap<String, Double> synthetic,
        String measuredOrigin,
        TrainingReport studentTraining,
        TrainingReport generatorTraining,
        FeedbackSummary feedback,
        int trainingTexts,
        long trainingTokens,
        double realShare,
        boolean realStreamReused,
        String stopped) {

    /** The headline figure's value. */
    public double headlineValue() {
        Double v = evaluation.get(headline);
        return v == null ? Double.NaN : v;
    }

    /**
     * Step C in figures.
     *
     * @param poolSize windows examined
     * @param hardExamples hard examples kept
     * @param poolMeanEntropy mean entropy over the examined pool (nats)
     * @param poolMeanLogProb mean log-likelihood over the examined pool (nats per token)
     * @param hardMeanEntropy mean entropy of the hard examples
     * @param hardMeanLogProb mean log-likelihood of the hard examples
     */
    public record FeedbackSummary(int poolSize, int hardExamples, double poolMeanEntropy, double poolMeanLogProb,
            double hardMeanEntropy, double hardMeanLogProb) {}
}
