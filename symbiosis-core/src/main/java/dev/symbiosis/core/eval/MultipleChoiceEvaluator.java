package dev.symbiosis.core.eval;

import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scores an {@link EvalSuite} with any {@link TextScorer}, as lm-evaluation-harness scores multiple-choice tasks.
 *
 * <p><b>Scoring.</b> For every choice {@code c} of an item with context {@code x}, the text {@code x + " " + c} is
 * scored and the choice's log-likelihood is {@link TokenScores#sumLogProbFrom(int) sumLogProbFrom(x.length())}: the
 * summed log-likelihood (nats) of every predicted token that overlaps the continuation {@code " " + c}, scored jointly
 * with its context. A token that straddles the boundary counts, and so does its whole log-probability.
 * <ul>
 *   <li><b>acc</b>: the picked choice maximises the log-likelihood;</li>
 *   <li><b>acc_norm</b>: the picked choice maximises log-likelihood / length, the length counted in Unicode code
 *       points per {@link LengthNormalization} (default {@link LengthNormalization#CHOICE_CHARS}: the choice without
 *       the delimiter, exactly as the harness does);</li>
 *   <li><b>ties</b>: the lowest index wins (numpy's {@code argmax} rule).</li>
 * </ul>
 *
 * <p><b>Batching.</b> Items are taken in suite order, {@code batchSize} items at a time; all choices of a batch go to
 * the scorer in one call. Results do not depend on the batch size for a deterministic scorer.
 *
 * <p><b>Scorer contract.</b> The scorer must return one {@link TokenScores} per text, in order, for the very text
 * sent, and give every continuation at least one predicted token; otherwise {@link IllegalStateException} naming the
 * item and choice.
 *
 * <p>Immutable and thread-safe; concurrent evaluations are as safe as the scorer is.
 */
public final class MultipleChoiceEvaluator {

    /** Default number of items per scorer call. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private final int batchSize;
    private final LengthNormalization normalization;
    private final Set<String> headlineTasks;

    private MultipleChoiceEvaluator(int batchSize, LengthNormalization normalization, Set<String> headlineTasks) {
        this.batchSize = batchSize;
        this.normalization = normalization;
        this.headlineTasks = headlineTasks;
    }

    /** Batches of {@value #DEFAULT_BATCH_SIZE} items, acc_norm per choice characters, macro over all tasks. */
    public static MultipleChoiceEvaluator create() {
        return new MultipleChoiceEvaluator(DEFAULT_BATCH_SIZE, LengthNormalization.CHOICE_CHARS, Set.of());
    }

    /** A copy scoring {@code items} items per scorer call ({@code >= 1}). */
    public MultipleChoiceEvaluator withBatchSize(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + items);
        }
        return new MultipleChoiceEvaluator(items, normalization, headlineTasks);
    }

    /** A copy normalising acc_norm by {@code n}. */
    public MultipleChoiceEvaluator withNormalization(LengthNormalization n) {
        return new MultipleChoiceEvaluator(batchSize, Objects.requireNonNull(n, "normalization"), headlineTasks);
    }

    /**
     * A copy whose macro averages cover only {@code tasks} (the headline tasks); empty means all tasks. Every name
     * must be a task of the suites evaluated, else {@link #evaluate} throws {@link IllegalArgumentException}.
     */
    public MultipleChoiceEvaluator withHeadlineTasks(Collection<String> tasks) {
        return new MultipleChoiceEvaluator(batchSize, normalization, Set.copyOf(new LinkedHashSet<>(tasks)));
    }

    public int batchSize() {
        return batchSize;
    }

    public LengthNormalization normalization() {
        return normalization;
    }

    public Set<String> headlineTasks() {
        return headlineTasks;
    }

    /** Evaluates without progress reports. */
    public EvalResult evaluate(TextScorer scorer, EvalSuite suite) {
        return evaluate(scorer, suite, EvalProgress.NONE);
    }

    /**
     * Scores every item of {@code suite}.
     *
     * @param progress receives (items done, items total) after every batch
     * @throws IllegalArgumentException if a headline task is not in the suite
     * @throws IllegalStateException if the scorer breaks its contract
     */
    public EvalResult evaluate(TextScorer scorer, EvalSuite suite, EvalProgress progress) {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(progress, "progress");
        List<String> unknown = headlineTasks.stream().filter(t -> suite.task(t).isEmpty()).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("headline tasks " + unknown + " are not in the suite; tasks are "
                    + suite.taskNames());
        }
        List<MultipleChoiceItem> items = suite.items();
        List<ItemResult> results = new ArrayList<>(items.size());
        for (int from = 0; from < items.size(); from += batchSize) {
            List<MultipleChoiceItem> batch = items.subList(from, Math.min(items.size(), from + batchSize));
            results.addAll(scoreBatch(scorer, batch));
            progress.progress(from + batch.size(), items.size());
        }
        List<TaskResult> tasks = new ArrayList<>();
        int k = 0;
        for (EvalTask t : suite.tasks()) {
            int correct = 0;
            int correctNorm = 0;
            for (int i = 0; i < t.size(); i++) {
                ItemResult r = results.get(k++);
                correct += r.correct() ? 1 : 0;
                correctNorm += r.correctNorm() ? 1 : 0;
            }
            tasks.add(new TaskResult(t.name(), t.size(), Proportion.of(correct, t.size()),
                    Proportion.of(correctNorm, t.size()), ChanceLevel.of(t)));
        }
        List<TaskResult> macro = tasks.stream()
                .filter(t -> headlineTasks.isEmpty() || headlineTasks.contains(t.task())).toList();
        return new EvalResult(tasks, macro.stream().map(TaskResult::task).toList(),
                macro.stream().mapToDouble(t -> t.accuracy().value()).average().orElseThrow(),
                macro.stream().mapToDouble(t -> t.accNorm().value()).average().orElseThrow(),
                macro.stream().mapToDouble(TaskResult::chance).average().orElseThrow(),
                normalization, results);
    }

    private List<ItemResult> scoreBatch(TextScorer scorer, List<MultipleChoiceItem> batch) {
        List<String> texts = new ArrayList<>();
        for (MultipleChoiceItem it : batch) {
            for (int c = 0; c < it.choices().size(); c++) {
                texts.add(it.scoredText(c));
            }
        }
        List<TokenScores> scores = scorer.score(texts);
        if (scores == null || scores.size() != texts.size()) {
            throw new IllegalStateException("scorer returned " + (scores == null ? "null" : scores.size() + " results")
                    + " for " + texts.size() + " texts");
        }
        List<ItemResult> out = new ArrayList<>(batch.size());
        int k = 0;
        for (MultipleChoiceItem it : batch) {
            int n = it.choices().size();
            List<Double> lls = new ArrayList<>(n);
            int best = 0;
            int bestNorm = 0;
            double bestLl = Double.NaN;
            double bestNormLl = Double.NaN;
            for (int c = 0; c < n; c++, k++) {
                TokenScores s = scores.get(k);
                if (s == null || !s.text().equals(texts.get(k))) {
                    throw new IllegalStateException("scorer returned scores of a different text for item '" + it.id()
                            + "' choice " + c);
                }
                int from = it.context().length();
                if (s.countFrom(from) == 0) {
                    throw new IllegalStateException("item '" + it.id() + "' choice " + c
                            + ": no predicted token overlaps the continuation (the whole text is one token?)");
                }
                double ll = s.sumLogProbFrom(from);
                String choice = it.choices().get(c);
                int len = choice.codePointCount(0, choice.length())
                        + (normalization == LengthNormalization.CONTINUATION_CHARS ? 1 : 0);
                double norm = ll / len;
                lls.add(ll);
                if (c == 0 || ll > bestLl) { // strictly greater: ties keep the lowest index
                    best = c;
                    bestLl = ll;
                }
                if (c == 0 || norm > bestNormLl) {
                    bestNorm = c;
                    bestNormLl = norm;
                }
            }
            out.add(new ItemResult(it.id(), it.task(), it.answer(), best, best == it.answer(), bestNorm,
                    bestNorm == it.answer(), lls));
        }
        return out;
    }
}
