package dev.symbiosis.core.loop;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.symbiosis.core.model.TrainingReport;
import java.util.SortedMap;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

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
 * @param trainingTokens tokens of the training texts under the Student's tokenizer, their contexts included
 *     ({@link dev.symbiosis.core.model.TrainingText#context()}: the Student reads them, the token budget counts them)
 * @param realShare share of training tokens that are real text (real contexts included)
 * @param realStreamReused whether the real stream ran out and was reused
 * @param stopped {@code "plateau"} if early stopping ended the strategy after this iteration, else {@code null}
 * @param analytics feedback and composition analytics (JSON field {@code analytics}, see {@link FeedbackAnalytics}
 *     for its fields); {@code null} for iteration 0 and in records written before analytics existed
 * @param nearDuplicatesDropped generated samples the curriculum's near-duplicate filter dropped in this iteration
 *     (JSON field {@code nearDuplicatesDropped}; 0 when the control is off)
 * @param nearDuplicatesAdmitted near duplicates admitted anyway because the generator produced nothing else for
 *     {@value IterationContext#NEAR_DUPLICATE_ROUNDS} rounds, to keep the token budget (JSON field
 *     {@code nearDuplicatesAdmitted}; a sign of collapse)
 * @param realContextTokens real tokens that reached the Student as context only (loss-masked, issue 17's
 *     masked-context teaching), under the Student's tokenizer (JSON field {@code realContextTokens}); {@code null},
 *     and left out of the JSON line, when no training text of the iteration had a context (every strategy before
 *     issue 17), so older records stay byte-identical
 */
@NullMarked
public record IterationRecord(
        String strategy,
        int iteration,
        String headline,
        SortedMap<String, Double> evaluation,
        SortedMap<String, Double> synthetic,
        @Nullable String measuredOrigin,
        TrainingReport studentTraining,
        @Nullable TrainingReport generatorTraining,
        @Nullable FeedbackSummary feedback,
        int trainingTexts,
        long trainingTokens,
        double realShare,
        boolean realStreamReused,
        @Nullable String stopped,
        @Nullable FeedbackAnalytics analytics,
        int nearDuplicatesDropped,
        int nearDuplicatesAdmitted,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long realContextTokens) {

    /** A record without context tokens (the form before masked-context teaching). */
    public IterationRecord(String strategy, int iteration, String headline, SortedMap<String, Double> evaluation,
            SortedMap<String, Double> synthetic, @Nullable String measuredOrigin, TrainingReport studentTraining,
            @Nullable TrainingReport generatorTraining, @Nullable FeedbackSummary feedback, int trainingTexts,
            long trainingTokens, double realShare, boolean realStreamReused, @Nullable String stopped,
            @Nullable FeedbackAnalytics analytics, int nearDuplicatesDropped, int nearDuplicatesAdmitted) {
        this(strategy, iteration, headline, evaluation, synthetic, measuredOrigin, studentTraining,
                generatorTraining, feedback, trainingTexts, trainingTokens, realShare, realStreamReused, stopped,
                analytics, nearDuplicatesDropped, nearDuplicatesAdmitted, null);
    }

    /** A record without analytics (the form before they existed). */
    public IterationRecord(String strategy, int iteration, String headline, SortedMap<String, Double> evaluation,
            SortedMap<String, Double> synthetic, @Nullable String measuredOrigin, TrainingReport studentTraining,
            @Nullable TrainingReport generatorTraining, @Nullable FeedbackSummary feedback, int trainingTexts,
            long trainingTokens, double realShare, boolean realStreamReused, @Nullable String stopped) {
        this(strategy, iteration, headline, evaluation, synthetic, measuredOrigin, studentTraining,
                generatorTraining, feedback, trainingTexts, trainingTokens, realShare, realStreamReused, stopped,
                null, 0, 0);
    }

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

    /**
     * What the feedback did, per iteration (issue 9.5): whether teaching fixed earlier hard examples, how hard sets
     * move, and what the hard examples and the synthetic data are made of. Computed by the loop from this
     * iteration's data and the earlier iterations' {@code hard-examples.jsonl} in the run folder, so a resumed run
     * records the same values. Every share is a fraction of a count (hard examples or training texts) and the
     * shares of one map sum to 1; a map is empty when there is nothing to count. No wall-clock values.
     *
     * <p>JSON fields (camelCase, as every field of results.jsonl):
     *
     * @param hardSetLoss {@code hardSetLoss}: for every earlier iteration {@code s} with hard examples (key
     *     {@code s}), the Student's loss on that iteration's hard set after this iteration's training: the mean
     *     over the set's windows of the mean negative log-likelihood per token (nats). Comparable with
     *     {@code -feedback.hardMeanLogProb} of record {@code s}, the same quantity when they were mined; lower now
     *     means the teaching (or anything else) fixed them. Empty for strategies that mine no feedback
     * @param hardJaccard {@code hardJaccard}: Jaccard similarity of this iteration's hard set with the previous
     *     iteration's, on window ids; {@code null} when either has no hard set
     * @param hardJaccardDocuments {@code hardJaccardDocuments}: the same on the documents the windows come from
     * @param hardJaccardCommonPool {@code hardJaccardCommonPool}: the window Jaccard restricted to documents that
     *     were in both iterations' pool samples (the pool sample is redrawn every iteration, which alone lowers
     *     the plain overlap); {@code null} when neither hard set has a window of a common document
     * @param hardDomains {@code hardDomains}: share of the hard examples per domain (the document's provenance
     *     attribute {@code domain}, else its source)
     * @param syntheticKinds {@code syntheticKinds}: share of the synthetic training texts per prompt kind
     *     ({@code topic}, {@code teaching})
     * @param syntheticTopics {@code syntheticTopics}: share of the topic-prompt synthetic training texts per topic
     * @param teachingDomains {@code teachingDomains}: share of the teaching-prompt synthetic training texts per
     *     domain (source) of the hard example their prompt came from
     */
    public record FeedbackAnalytics(
            SortedMap<Integer, Double> hardSetLoss,
            @Nullable Double hardJaccard,
            @Nullable Double hardJaccardDocuments,
            @Nullable Double hardJaccardCommonPool,
            SortedMap<String, Double> hardDomains,
            SortedMap<String, Double> syntheticKinds,
            SortedMap<String, Double> syntheticTopics,
            SortedMap<String, Double> teachingDomains) {}
}
