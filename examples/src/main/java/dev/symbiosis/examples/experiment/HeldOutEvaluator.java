package dev.symbiosis.examples.experiment;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.eval.EvalResult;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.MultipleChoiceEvaluator;
import dev.symbiosis.core.eval.PerplexityEvaluator;
import dev.symbiosis.core.eval.PerplexityResult;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.ProgressSink;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.text.Document;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The experiment's D_eval: held-out bits per byte per domain (the headline at tiny scale, lower is better) and the
 * multiple-choice tasks, whose macro accuracy counts only the tasks Generator 0 beats chance on ("headline tasks",
 * fixed before any strategy runs).
 *
 * <p>Figures: {@link PerplexityResult#figures()} ({@code bpb.<domain>}, {@code bpb.macro} = the headline, ...), {@code mc.acc.<task>} and the rest of
 * {@link EvalResult#figures()} prefixed with {@code mc.}, and {@code mc.headline_acc}.
 */
public final class HeldOutEvaluator implements StudentEvaluator {

    /** Name of the headline figure. */
    public static final String HEADLINE = "bpb.macro";

    private final EvalSuite suite;
    private final List<Document> heldOut;
    private final Set<String> headlineTasks;
    private final int batchSize;

    /**
     * @param suite multiple-choice items
     * @param heldOut held-out documents (never trained on), grouped into domains by provenance source
     * @param headlineTasks tasks that count in {@code mc.headline_acc}
     */
    public HeldOutEvaluator(EvalSuite suite, List<Document> heldOut, Set<String> headlineTasks, int batchSize) {
        this.suite = suite;
        this.heldOut = List.copyOf(heldOut);
        this.headlineTasks = Set.copyOf(headlineTasks);
        this.batchSize = batchSize;
    }

    @Override
    public Evaluation evaluate(Student student, ProgressSink progress) {
        long total = heldOut.size() + suite.size();
        SortedMap<String, Double> figures = new TreeMap<>();
        PerplexityResult ppl = PerplexityEvaluator.create().withBatchSize(batchSize)
                .evaluate(student, heldOut, (d, t) -> progress.progress(d, total));
        figures.putAll(ppl.figures());
        EvalResult mc = multipleChoice(student, (d, t) -> progress.progress(heldOut.size() + d, total));
        mc.figures().forEach((k, v) -> figures.put("mc." + k, v));
        figures.put("mc.headline_acc", headlineTasks.isEmpty() ? Double.NaN : mc.macroAccuracy(headlineTasks));
        return new Evaluation(HEADLINE, false, ImmutableSortedMap.copyOfSorted(figures));
    }

    /** The multiple-choice result of any scorer (used to choose the headline tasks with Generator 0). */
    public EvalResult multipleChoice(TextScorer scorer, dev.symbiosis.core.eval.EvalProgress progress) {
        return MultipleChoiceEvaluator.create().withBatchSize(batchSize).evaluate(scorer, suite, progress);
    }

}
