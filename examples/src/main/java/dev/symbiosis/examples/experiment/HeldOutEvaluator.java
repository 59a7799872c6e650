package dev.symbiosis.examples.experiment;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.eval.EvalResult;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.MultipleChoiceEvaluator;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.ProgressSink;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The experiment's D_eval: held-out bits per byte per domain (the headline at tiny scale, lower is better) and the
 * multiple-choice tasks, whose macro accuracy counts only the tasks Generator 0 beats chance on ("headline tasks",
 * fixed before any strategy runs).
 *
 * <p>Figures: {@code bpb.<domain>}, {@code bpb.macro} (headline), {@code mc.acc.<task>} and the rest of
 * {@link EvalResult#figures()} prefixed with {@code mc.}, and {@code mc.headline_acc}.
 */
public final class HeldOutEvaluator implements StudentEvaluator {

    /** Name of the headline figure. */
    public static final String HEADLINE = "bpb.macro";

    private final EvalSuite suite;
    private final SortedMap<String, List<String>> heldOut;
    private final Set<String> headlineTasks;
    private final int batchSize;

    /**
     * @param suite multiple-choice items
     * @param heldOutByDomain held-out texts per domain (never trained on)
     * @param headlineTasks tasks that count in {@code mc.headline_acc}
     */
    public HeldOutEvaluator(EvalSuite suite, Map<String, List<String>> heldOutByDomain, Set<String> headlineTasks,
            int batchSize) {
        this.suite = suite;
        this.heldOut = new TreeMap<>(heldOutByDomain);
        this.headlineTasks = Set.copyOf(headlineTasks);
        this.batchSize = batchSize;
    }

    @Override
    public Evaluation evaluate(Student student, ProgressSink progress) {
        long heldOutTexts = heldOut.values().stream().mapToLong(List::size).sum();
        long total = heldOutTexts + suite.size();
        SortedMap<String, Double> figures = new TreeMap<>();
        long done = 0;
        double sum = 0;
        for (Map.Entry<String, List<String>> e : heldOut.entrySet()) {
            figures.put("bpb." + e.getKey(), bitsPerByte(student, e.getValue(), batchSize));
            sum += figures.get("bpb." + e.getKey());
            done += e.getValue().size();
            progress.progress(done, total);
        }
        figures.put(HEADLINE, heldOut.isEmpty() ? Double.NaN : sum / heldOut.size());
        final long base = done;
        EvalResult mc = multipleChoice(student, (d, t) -> progress.progress(base + d, total));
        mc.figures().forEach((k, v) -> figures.put("mc." + k, v));
        figures.put("mc.headline_acc", headlineTasks.isEmpty() ? Double.NaN : mc.macroAccuracy(headlineTasks));
        return new Evaluation(HEADLINE, false, ImmutableSortedMap.copyOfSorted(figures));
    }

    /** The multiple-choice result of any scorer (used to choose the headline tasks with Generator 0). */
    public EvalResult multipleChoice(TextScorer scorer, dev.symbiosis.core.eval.EvalProgress progress) {
        return MultipleChoiceEvaluator.create().withBatchSize(batchSize).evaluate(scorer, suite, progress);
    }

    /**
     * Bits per byte of texts: the summed negative log-likelihood of every predicted token (nats) / ln 2 / the UTF-8
     * bytes those tokens cover (the first token of a text is not predicted, so its bytes do not count).
     */
    public static double bitsPerByte(TextScorer scorer, List<String> texts, int batchSize) {
        double nll = 0;
        long bytes = 0;
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = new ArrayList<>(texts.subList(from, Math.min(texts.size(), from + batchSize)));
            for (TokenScores s : scorer.score(batch)) {
                nll -= s.sumLogProb();
                int firstEnd = s.ends().get(0);
                bytes += s.text().substring(firstEnd).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes == 0 ? Double.NaN : nll / Math.log(2) / bytes;
    }
}
