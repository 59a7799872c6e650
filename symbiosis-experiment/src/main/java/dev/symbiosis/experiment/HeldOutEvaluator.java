package dev.symbiosis.experiment;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.eval.EvalResult;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.eval.GenerativeEvaluator;
import dev.symbiosis.core.eval.GenerativeItem;
import dev.symbiosis.core.eval.GenerativeResult;
import dev.symbiosis.core.eval.GenerativeTaskReader;
import dev.symbiosis.core.eval.MultipleChoiceEvaluator;
import dev.symbiosis.core.eval.PerplexityEvaluator;
import dev.symbiosis.core.eval.PerplexityResult;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.ProgressSink;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The experiment's D_eval: held-out bits per byte per domain (the headline at tiny scale, lower is better), the
 * multiple-choice tasks, whose macro accuracy counts only the tasks Generator 0 beats chance on ("headline tasks",
 * fixed before any strategy runs), and the generative tasks (exact match of a greedy completion), reported apart
 * from the headline: at the embedded models' size they are expected near 0.
 *
 * <p>Figures: {@link PerplexityResult#figures()} ({@code bpb.<domain>}, {@code bpb.macro} = the headline, ...),
 * {@code mc.acc.<task>} and the rest of {@link EvalResult#figures()} prefixed with {@code mc.}, {@code
 * mc.headline_acc}, and, when the Student is also a {@link Generator} (as the DJL models are) and there are
 * generative items, {@code gen.em.<task>} and the rest of {@link GenerativeResult#figures()} prefixed with {@code
 * gen.}.
 */
public final class HeldOutEvaluator implements StudentEvaluator {

    /** Name of the headline figure. */
    public static final String HEADLINE = "bpb.macro";
    /** Items taken from the start of each embedded generative task file (the files are shuffled when built). */
    public static final int GENERATIVE_ITEMS_PER_TASK = 24;
    /** New tokens per generative completion: enough for a number or a capital, cheap for the smoke preset. */
    public static final int GENERATIVE_MAX_NEW_TOKENS = 8;

    private static final String GENERATIVE_RESOURCES = "/dev/symbiosis/assets/tasks/generative/";

    private final EvalSuite suite;
    private final List<Document> heldOut;
    private final Set<String> headlineTasks;
    private final int batchSize;
    private final List<GenerativeItem> generative;

    /**
     * An evaluator with the first {@value #GENERATIVE_ITEMS_PER_TASK} items of every embedded generative task.
     *
     * @param suite multiple-choice items
     * @param heldOut held-out documents (never trained on), grouped into domains by provenance source
     * @param headlineTasks tasks that count in {@code mc.headline_acc}
     */
    public HeldOutEvaluator(EvalSuite suite, List<Document> heldOut, Set<String> headlineTasks, int batchSize) {
        this(suite, heldOut, headlineTasks, batchSize, embeddedGenerativeTasks(GENERATIVE_ITEMS_PER_TASK));
    }

    /**
     * @param generative generate-and-check items (may be empty: no {@code gen.} figures)
     */
    public HeldOutEvaluator(EvalSuite suite, List<Document> heldOut, Set<String> headlineTasks, int batchSize,
            List<GenerativeItem> generative) {
        this.suite = suite;
        this.heldOut = List.copyOf(heldOut);
        this.headlineTasks = Set.copyOf(headlineTasks);
        this.batchSize = batchSize;
        this.generative = List.copyOf(generative);
    }

    @Override
    public Evaluation evaluate(Student student, ProgressSink progress) {
        Generator generator = student instanceof Generator g && !generative.isEmpty() ? g : null;
        long total = heldOut.size() + suite.size() + (generator == null ? 0 : generative.size());
        SortedMap<String, Double> figures = new TreeMap<>();
        PerplexityResult ppl = PerplexityEvaluator.create().withBatchSize(batchSize)
                .evaluate(student, heldOut, (d, t) -> progress.progress(d, total));
        figures.putAll(ppl.figures());
        EvalResult mc = multipleChoice(student, (d, t) -> progress.progress(heldOut.size() + d, total));
        mc.figures().forEach((k, v) -> figures.put("mc." + k, v));
        figures.put("mc.headline_acc", headlineTasks.isEmpty() ? Double.NaN : mc.macroAccuracy(headlineTasks));
        if (generator != null) {
            long before = heldOut.size() + suite.size();
            generative(generator, (d, t) -> progress.progress(before + d, total))
                    .figures().forEach((k, v) -> figures.put("gen." + k, v));
        }
        return new Evaluation(HEADLINE, false, ImmutableSortedMap.copyOfSorted(figures));
    }

    /** The multiple-choice result of any scorer (used to choose the headline tasks with Generator 0). */
    public EvalResult multipleChoice(TextScorer scorer, dev.symbiosis.core.eval.EvalProgress progress) {
        return MultipleChoiceEvaluator.create().withBatchSize(batchSize).evaluate(scorer, suite, progress);
    }

    /**
     * The generative result of any generator: one greedy completion of {@value #GENERATIVE_MAX_NEW_TOKENS} tokens
     * per item, checked by exact match.
     *
     * @throws IllegalStateException if this evaluator has no generative items
     */
    public GenerativeResult generative(Generator generator, dev.symbiosis.core.eval.EvalProgress progress) {
        if (generative.isEmpty()) {
            throw new IllegalStateException("this evaluator has no generative items");
        }
        return GenerativeEvaluator.create().withBatchSize(batchSize).withMaxNewTokens(GENERATIVE_MAX_NEW_TOKENS)
                .evaluate(generator, generative, progress);
    }

    /** The generative items evaluated. */
    public List<GenerativeItem> generativeItems() {
        return generative;
    }

    /**
     * The first {@code perTask} items (all when 0) of every generative task embedded in the examples
     * ({@code tasks/generative/INDEX} names them), task by task in index order.
     *
     * @throws UncheckedIOException if a listed file is missing or malformed (a broken build)
     */
    public static List<GenerativeItem> embeddedGenerativeTasks(int perTask) {
        if (perTask < 0) {
            throw new IllegalArgumentException("perTask must be >= 0, got " + perTask);
        }
        try {
            Map<String, List<GenerativeItem>> byTask = new LinkedHashMap<>();
            for (String name : new String(resource("INDEX").readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                String file = name + ".jsonl";
                List<GenerativeItem> items = GenerativeTaskReader.read(resource(file),
                        Path.of("tasks", "generative", file), EvalSuiteReader.Options.defaults());
                byTask.put(name, perTask == 0 ? items : items.subList(0, Math.min(perTask, items.size())));
            }
            List<GenerativeItem> all = new ArrayList<>();
            byTask.values().forEach(all::addAll);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded generative tasks: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = HeldOutEvaluator.class.getResourceAsStream(GENERATIVE_RESOURCES + name);
        if (in == null) {
            throw new java.nio.file.NoSuchFileException("class-path resource " + GENERATIVE_RESOURCES + name);
        }
        return in;
    }
}
