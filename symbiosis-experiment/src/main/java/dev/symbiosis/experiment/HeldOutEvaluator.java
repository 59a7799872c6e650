package dev.symbiosis.experiment;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.Describable;
import dev.symbiosis.core.eval.EvalProgress;
import dev.symbiosis.core.eval.EvalResult;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.eval.GenerativeEvaluator;
import dev.symbiosis.core.eval.GenerativeItem;
import dev.symbiosis.core.eval.GenerativeResult;
import dev.symbiosis.core.eval.GenerativeTaskReader;
import dev.symbiosis.core.eval.ItemResult;
import dev.symbiosis.core.eval.MultipleChoiceEvaluator;
import dev.symbiosis.core.eval.PerplexityEvaluator;
import dev.symbiosis.core.eval.PerplexityResult;
import dev.symbiosis.core.eval.SourcePerplexity;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.EvaluationContext;
import dev.symbiosis.core.loop.Figure;
import dev.symbiosis.core.loop.ItemScore;
import dev.symbiosis.core.loop.ProgressSink;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>Token-level figures from the same scores (no extra model work), present only when their input is:
 * {@code top1.<domain>} (the fraction of a domain's predicted tokens whose most likely token under the Student is
 * the true next token, token-weighted within the domain) and {@code top1.macro} (their unweighted mean over domains),
 * when the Student supplies its most likely ids ({@link TokenScores#hasArgmax()}); and, with
 * {@link Builder#optTokenFrequencies}, the tail bits per byte {@code bpb.freq.head}, {@code bpb.freq.middle},
 * {@code bpb.freq.tail}: every predicted token of the held-out documents falls in the {@link TokenFrequencies}
 * bucket of its target id, and a bucket's figure is the sum of {@code -log2 p} over its tokens divided by the UTF-8
 * bytes those tokens cover (a token covers the characters from the end of the previous token to its own end, so the
 * buckets' bytes add up to the document's predicted bytes), with the bucket's token count as
 * {@code tokens.freq.<bucket>}; a bucket without tokens or bytes has no figure.
 *
 * <p>The multiple-choice family can be switched off ({@link Builder#optMultipleChoice}), the generative one by giving
 * no generative items; bits per byte is always evaluated.
 *
 * <p>Per-item results ({@link Evaluation#items()}): every held-out document and multiple-choice item, the input of
 * the paired tests of {@link SeedStatistics}. Immutable and thread-safe.
 */
public final class HeldOutEvaluator implements StudentEvaluator {

    /** The headline figure: held-out bits per byte, macro-averaged over domains. */
    public static final Figure BPB_MACRO = Figure.lowerIsBetter("bpb.macro");
    /** Macro accuracy over the headline tasks (those Generator 0 beats chance on). */
    public static final Figure MC_HEADLINE_ACC = Figure.higherIsBetter("mc.headline_acc");
    /** Macro accuracy over every multiple-choice task. */
    public static final Figure MC_ACC_MACRO = Figure.higherIsBetter("mc.acc.macro");
    /** The figures whose per-item results support paired tests ({@link SeedStatistics}), in report order. */
    public static final List<Figure> PAIRED_FIGURES = List.of(BPB_MACRO, MC_HEADLINE_ACC, MC_ACC_MACRO);
    /** Name of the headline figure. */
    public static final String HEADLINE = BPB_MACRO.name();

    /** {@link ItemScore#kind()} of a held-out document: values {@code nll}, {@code bytes}, {@code bpb}. */
    public static final String KIND_DOCUMENT = "bpb";
    /** {@link ItemScore#kind()} of a multiple-choice item: values {@code correct}, {@code correct_norm} (0 or 1). */
    public static final String KIND_CHOICE = "mc";
    /** A document's negative log-likelihood in nats. */
    public static final String VALUE_NLL = "nll";
    /** A document's predicted bytes. */
    public static final String VALUE_BYTES = "bytes";
    /** A document's bits per byte. */
    public static final String VALUE_BPB = "bpb";
    /** 1 if the item was answered right (raw log-likelihood), else 0. */
    public static final String VALUE_CORRECT = "correct";
    /** 1 if the item was answered right by length-normalised log-likelihood, else 0. */
    public static final String VALUE_CORRECT_NORM = "correct_norm";

    /** Items taken from the start of each embedded generative task file (the files are shuffled when built). */
    public static final int GENERATIVE_ITEMS_PER_TASK = 24;
    /** New tokens per generative completion: enough for a number or a capital, cheap for the smoke preset. */
    public static final int GENERATIVE_MAX_NEW_TOKENS = 8;
    /** Texts per scoring or generation call by default. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private static final String GENERATIVE_RESOURCES = "/dev/symbiosis/assets/tasks/generative/";

    private final EvalSuite suite;
    private final List<Document> heldOut;
    private final Set<String> headlineTasks;
    private final int batchSize;
    private final List<GenerativeItem> generative;
    private final int generativeMaxNewTokens;
    private final boolean multipleChoice;
    private final int tasksEvery;
    private final int lastIteration;
    private final @Nullable Supplier<@Nullable TokenFrequencies> frequencies;

    private HeldOutEvaluator(Builder b) {
        this.suite = b.suite;
        this.heldOut = b.heldOut;
        this.headlineTasks = b.headlineTasks;
        this.batchSize = b.batchSize;
        this.generative = b.generative != null ? b.generative : embeddedGenerativeTasks(GENERATIVE_ITEMS_PER_TASK);
        this.generativeMaxNewTokens = b.generativeMaxNewTokens;
        this.multipleChoice = b.multipleChoice;
        this.frequencies = b.frequencies;
        this.tasksEvery = b.tasksEvery;
        this.lastIteration = b.lastIteration;
    }

    /** Whether the task families are evaluated at {@code iteration} ({@link Builder#optTasksEvery}). */
    public boolean evaluatesTasksAt(int iteration) {
        return iteration % tasksEvery == 0 || iteration == lastIteration;
    }

    /**
     * A builder.
     *
     * @param suite multiple-choice items
     * @param heldOut held-out documents (never trained on), grouped into domains by provenance source; copied
     */
    public static Builder builder(EvalSuite suite, List<Document> heldOut) {
        return new Builder(suite, heldOut);
    }

    /** The sizes and item counts (the items themselves are part of the data the run records). */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("batchSize", batchSize, "tasksEvery", tasksEvery, "lastIteration",
                lastIteration, "generativeItems", generative.size(),
                "generativeMaxNewTokens", generativeMaxNewTokens, "heldOutDocuments", heldOut.size(),
                "multipleChoiceItems", multipleChoice ? suite.size() : 0, "headlineTasks",
                List.copyOf(new TreeSet<>(headlineTasks)));
    }

    /**
     * Evaluates, and returns with the figures one {@link ItemScore} per held-out document ({@link #KIND_DOCUMENT})
     * and per multiple-choice item ({@link #KIND_CHOICE}). The per-item values come from the very scores of the
     * evaluation (kept for the duration of one call), so they add no model work and agree with the figures.
     * Thread-safe: keeps no state between calls.
     */
    @Override
    public Evaluation evaluate(Student student, EvaluationContext context) {
        ProgressSink progress = context.progress();
        boolean tasks = evaluatesTasksAt(context.iteration());
        Generator generator = tasks && student instanceof Generator g && !generative.isEmpty() ? g : null;
        boolean multipleChoice = tasks && this.multipleChoice;
        int choiceItems = multipleChoice ? suite.size() : 0;
        long total = heldOut.size() + choiceItems + (generator == null ? 0 : generative.size());
        ScoreCache scores = new ScoreCache(student);
        SortedMap<String, Double> figures = new TreeMap<>();
        PerplexityResult ppl = PerplexityEvaluator.create().withBatchSize(batchSize)
                .evaluate(scores, heldOut, (d, t) -> progress.progress(d, total));
        figures.putAll(ppl.figures());
        figures.putAll(tokenFigures(scores.cached(heldOut.stream().map(Document::text).toList()), heldOut,
                frequencies == null ? null : frequencies.get()));
        EvalResult mc = null;
        if (multipleChoice) {
            mc = multipleChoice(scores, (d, t) -> progress.progress(heldOut.size() + d, total));
            mc.figures().forEach((k, v) -> figures.put("mc." + k, v));
            figures.put(MC_HEADLINE_ACC.name(), headlineTasks.isEmpty() ? Double.NaN
                    : mc.macroAccuracy(headlineTasks));
        }
        if (generator != null) {
            long before = heldOut.size() + choiceItems;
            generative(generator, (d, t) -> progress.progress(before + d, total))
                    .figures().forEach((k, v) -> figures.put("gen." + k, v));
        }
        List<ItemScore> items = new ArrayList<>();
        PerplexityEvaluator one = PerplexityEvaluator.create().withBatchSize(1);
        for (Document d : heldOut) {
            SourcePerplexity p = one.evaluate(scores::cached, List.of(d)).overall();
            Map<String, Number> v = new LinkedHashMap<>();
            v.put(VALUE_NLL, p.nll());
            v.put(VALUE_BYTES, p.bytes());
            v.put(VALUE_BPB, p.bitsPerByte());
            items.add(new ItemScore(KIND_DOCUMENT, d.provenance().source(), d.id(), v));
        }
        for (ItemResult r : mc == null ? List.<ItemResult>of() : mc.items()) {
            Map<String, Number> v = new LinkedHashMap<>();
            v.put(VALUE_CORRECT, r.correct() ? 1 : 0);
            v.put(VALUE_CORRECT_NORM, r.correctNorm() ? 1 : 0);
            items.add(new ItemScore(KIND_CHOICE, r.task(), r.id(), v));
        }
        return new Evaluation(BPB_MACRO, ImmutableSortedMap.copyOfSorted(figures), items);
    }

    /**
     * The Generator's held-out bits per byte on the same documents as the Student's: the {@code bpb.*} figures of
     * {@link PerplexityResult#figures()} ({@code bpb.macro}, {@code bpb.all}, {@code bpb.<domain>}), recorded by the loop as {@code generator.bpb.macro} etc.
     * Thread-safe: keeps no state between calls.
     */
    @Override
    public SortedMap<String, Double> evaluateGenerator(TextScorer generator, EvaluationContext context) {
        ProgressSink progress = context.progress();
        SortedMap<String, Double> out = new TreeMap<>(PerplexityEvaluator.create().withBatchSize(batchSize)
                .evaluate(generator, heldOut, (d, t) -> progress.progress(d, t)).figures());
        out.keySet().removeIf(k -> !k.startsWith("bpb."));
        return out;
    }

    /** True: {@link #evaluateGenerator} gives the Generator's held-out bits per byte. */
    @Override
    public boolean evaluatesGenerator() {
        return true;
    }

    /**
     * The token-level figures of the class comment ({@code top1.*}, {@code bpb.freq.*}, {@code tokens.freq.*}) from
     * the held-out documents' scores, in document order; empty when neither input is there.
     *
     * @param frequencies the buckets' source, or null for no {@code bpb.freq} figures
     */
    static SortedMap<String, Double> tokenFigures(List<TokenScores> scores, List<Document> documents,
            @Nullable TokenFrequencies frequencies) {
        SortedMap<String, Double> out = new TreeMap<>();
        boolean top1 = scores.stream().allMatch(s -> s.predictedCount() == 0 || s.hasArgmax())
                && scores.stream().anyMatch(TokenScores::hasArgmax);
        Map<String, long[]> byDomain = new TreeMap<>(); // domain -> {correct, predicted}
        int buckets = TokenFrequencies.Bucket.values().length;
        double[] nll = new double[buckets];
        long[] bytes = new long[buckets];
        long[] tokens = new long[buckets];
        for (int k = 0; k < scores.size(); k++) {
            TokenScores s = scores.get(k);
            long[] c = byDomain.computeIfAbsent(documents.get(k).provenance().source(), d -> new long[2]);
            for (int i = 1; i < s.size(); i++) {
                if (top1) {
                    c[0] += s.top1Correct(i - 1) ? 1 : 0;
                    c[1]++;
                }
                if (frequencies != null) {
                    int b = frequencies.bucket(s.ids().get(i)).ordinal();
                    int from = s.ends().get(i - 1);
                    nll[b] -= s.logProbs().get(i - 1);
                    bytes[b] += PerplexityEvaluator.utf8Length(s.text(), from, Math.max(from, s.ends().get(i)));
                    tokens[b]++;
                }
            }
        }
        if (top1) {
            double sum = 0;
            int domains = 0;
            for (Map.Entry<String, long[]> e : byDomain.entrySet()) {
                if (e.getValue()[1] > 0) {
                    double acc = (double) e.getValue()[0] / e.getValue()[1];
                    out.put("top1." + e.getKey(), acc);
                    sum += acc;
                    domains++;
                }
            }
            if (domains > 0) {
                out.put("top1.macro", sum / domains);
            }
        }
        if (frequencies != null) {
            for (TokenFrequencies.Bucket b : TokenFrequencies.Bucket.values()) {
                if (bytes[b.ordinal()] > 0) {
                    out.put("bpb.freq." + b.label(), nll[b.ordinal()] / Math.log(2) / bytes[b.ordinal()]);
                    out.put("tokens.freq." + b.label(), (double) tokens[b.ordinal()]);
                }
            }
        }
        return out;
    }

    /** The multiple-choice result of any scorer (used to choose the headline tasks with Generator 0). */
    public EvalResult multipleChoice(TextScorer scorer, EvalProgress progress) {
        return MultipleChoiceEvaluator.create().withBatchSize(batchSize).evaluate(scorer, suite, progress);
    }

    /**
     * The generative result of any generator: one greedy completion of {@link Builder#optGenerativeMaxNewTokens}
     * tokens per item, checked by exact match.
     *
     * @throws IllegalStateException if this evaluator has no generative items
     */
    public GenerativeResult generative(Generator generator, EvalProgress progress) {
        if (generative.isEmpty()) {
            throw new IllegalStateException("this evaluator has no generative items");
        }
        return GenerativeEvaluator.create().withBatchSize(batchSize).withMaxNewTokens(generativeMaxNewTokens)
                .evaluate(generator, generative, progress);
    }

    /** The generative items evaluated. */
    public List<GenerativeItem> generativeItems() {
        return generative;
    }

    /** The tasks that count in {@code mc.headline_acc}. */
    public Set<String> headlineTasks() {
        return headlineTasks;
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

    /** The Student's scores of one evaluation, kept by text so that the per-item passes re-use them. */
    private static final class ScoreCache implements TextScorer {
        private final TextScorer scorer;
        private final Map<String, TokenScores> scores = new HashMap<>();

        ScoreCache(TextScorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            List<TokenScores> out = scorer.score(texts);
            for (int i = 0; i < texts.size() && i < out.size(); i++) {
                scores.put(texts.get(i), out.get(i));
            }
            return out;
        }

        /** The evaluation's scores of {@code texts}, scoring only texts it did not score. */
        List<TokenScores> cached(List<String> texts) {
            List<String> missing = texts.stream().filter(t -> !scores.containsKey(t)).distinct().toList();
            if (!missing.isEmpty()) {
                score(missing);
            }
            return texts.stream().map(scores::get).toList();
        }
    }

    /** Options of {@link HeldOutEvaluator}. Not thread-safe. */
    public static final class Builder {
        private final EvalSuite suite;
        private final List<Document> heldOut;
        private Set<String> headlineTasks = Set.of();
        private int batchSize = DEFAULT_BATCH_SIZE;
        private @Nullable List<GenerativeItem> generative;
        private int generativeMaxNewTokens = GENERATIVE_MAX_NEW_TOKENS;
        private boolean multipleChoice = true;
        private int tasksEvery = 1;
        private int lastIteration = -1;
        private @Nullable Supplier<@Nullable TokenFrequencies> frequencies;

        private Builder(EvalSuite suite, List<Document> heldOut) {
            this.suite = Objects.requireNonNull(suite, "suite");
            this.heldOut = List.copyOf(heldOut);
        }

        /** Tasks that count in {@code mc.headline_acc}. Default none (the figure is then NaN). */
        public Builder optHeadlineTasks(Set<String> value) {
            this.headlineTasks = Set.copyOf(value);
            return this;
        }

        /** Texts per scoring or generation call. Default {@value HeldOutEvaluator#DEFAULT_BATCH_SIZE}. */
        public Builder optBatchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * Generate-and-check items (empty: no {@code gen.} figures). Default the first
         * {@value HeldOutEvaluator#GENERATIVE_ITEMS_PER_TASK} items of every embedded generative task.
         */
        public Builder optGenerativeItems(List<GenerativeItem> value) {
            this.generative = List.copyOf(value);
            return this;
        }

        /**
         * Whether the multiple-choice suite is evaluated; when not, there are no {@code mc.*} figures and no
         * multiple-choice items (the suite is still needed by {@link #multipleChoice}). Default true.
         */
        public Builder optMultipleChoice(boolean value) {
            this.multipleChoice = value;
            return this;
        }

        /**
         * Token frequencies of a reference corpus tokenized with the Student's tokenizer (the experiment gives those
         * of the run's seed split, the pretrained models' training text), whose buckets split the held-out bits per
         * byte into {@code bpb.freq.head}, {@code middle} and {@code tail} (see the class comment). Default none:
         * no {@code bpb.freq} figures.
         */
        public Builder optTokenFrequencies(TokenFrequencies value) {
            Objects.requireNonNull(value, "value");
            this.frequencies = () -> value;
            return this;
        }

        /**
         * As {@link #optTokenFrequencies(TokenFrequencies)}, asked for at every evaluation (so that a run that
         * evaluates nothing, e.g. one that only resumes finished work, does not count them): the supplier should
         * remember its result and must be thread-safe; a null result means no {@code bpb.freq} figures.
         */
        public Builder optTokenFrequencies(Supplier<@Nullable TokenFrequencies> value) {
            this.frequencies = Objects.requireNonNull(value, "value");
            return this;
        }

        /** New tokens per generative completion. Default {@value HeldOutEvaluator#GENERATIVE_MAX_NEW_TOKENS}. */
        public Builder optGenerativeMaxNewTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("generativeMaxNewTokens must be >= 1, got " + value);
            }
            this.generativeMaxNewTokens = value;
            return this;
        }

        /**
         * Evaluates the task families (multiple-choice and generative) only at the iterations that are multiples of
         * {@code every} and at {@code lastIteration}; held-out bits per byte is evaluated at every iteration.
         * Default every iteration.
         */
        public Builder optTasksEvery(int every, int lastIteration) {
            if (every < 1) {
                throw new IllegalArgumentException("tasksEvery must be >= 1, got " + every);
            }
            this.tasksEvery = every;
            this.lastIteration = lastIteration;
            return this;
        }

        /** The evaluator. */
        public HeldOutEvaluator build() {
            return new HeldOutEvaluator(this);
        }
    }
}
