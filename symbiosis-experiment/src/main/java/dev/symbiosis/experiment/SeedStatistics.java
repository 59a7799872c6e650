package dev.symbiosis.experiment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Figure;
import dev.symbiosis.core.loop.ItemScore;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.stats.EffectSize;
import dev.symbiosis.core.stats.HolmAdjustment;
import dev.symbiosis.core.stats.Interval;
import dev.symbiosis.core.stats.MeanInterval;
import dev.symbiosis.core.stats.PairedBootstrap;
import dev.symbiosis.core.stats.PairedPermutationTest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The statistics of an experiment over its run seeds, recomputed from the seed folders' records and per-item files
 * (so an interrupted multi-seed run gets them again when it resumes):
 *
 * <ul>
 *   <li>for every figure of the records (evaluation, data, training, feedback and any numeric field a record
 *       carries), strategy and iteration: the mean over run seeds with its 95% Student-t interval
 *       ({@link MeanInterval}; no interval with one seed);</li>
 *   <li>for every pair of strategies and every iteration (the last one marked), paired comparisons of the
 *       item-backed evaluation figures {@link #PAIRED_FIGURES}: the mean difference {@code a - b} with a 95%
 *       percentile interval and p-value from a {@link PairedBootstrap} that resamples run seeds and evaluation
 *       items (crossed), a {@link PairedPermutationTest} p-value on the per-item differences averaged over seeds,
 *       the per-item effect size {@link EffectSize#pairedDz d_z} (and Hedges' {@code g_z}), and the bootstrap
 *       p-value adjusted by Holm over the pairs of the same figure and iteration.</li>
 * </ul>
 *
 * <p>Per-item values are each item's contribution to the figure, so that their mean is the figure: for
 * {@code bpb.macro} a document contributes {@code nll / ln 2 / bytes(domain) * N / D} (its domain's byte total,
 * {@code N} documents, {@code D} domains), for the accuracy macros an item contributes
 * {@code correct * N / (T n(task))} over the {@code T} tasks averaged. Within a seed every strategy is evaluated on
 * the same items; every seed uses the same items too (the evaluation sample depends on the master seed only), so
 * the differences are paired on both.
 *
 * <p>Deterministic: the bootstrap and permutation seeds are fixed. Immutable once computed; the lists it returns
 * are unmodifiable.
 */
public final class SeedStatistics {

    /** Resamples of the paired bootstrap. */
    public static final int BOOTSTRAP_RESAMPLES = 10_000;

    /** Evaluation figures with per-item paired tests: {@link HeldOutEvaluator#PAIRED_FIGURES}. */
    public static final List<Figure> PAIRED_FIGURES = HeldOutEvaluator.PAIRED_FIGURES;

    /** Per-task bookkeeping figures the summaries leave out (bounds, counts, chance levels, token counts). */
    private static final Pattern NOT_A_FIGURE = Pattern.compile(
            "mc\\.(n|chance)\\..*|mc\\.chance\\.macro|.*\\.(lower95|upper95)|tokens\\..*");

    /**
     * One run seed: its folder and records.
     *
     * @param seed the run seed
     * @param dir its run folder
     * @param records its records in file order (copied)
     */
    public record SeedRun(long seed, Path dir, List<IterationRecord> records) {
        public SeedRun {
            records = List.copyOf(records);
        }
    }

    /**
     * Mean and 95% interval over the run seeds of one figure of one strategy at one iteration.
     *
     * @param group {@code evaluation}, {@code data}, {@code training}, {@code feedback}, {@code analytics} or
     *     {@code record}
     * @param figure the figure's name within the group
     * @param strategy the strategy
     * @param iteration the iteration
     * @param seeds run seeds with a finite value
     * @param mean mean over those seeds
     * @param sd standard deviation over them (NaN with one seed)
     * @param lower95 lower end of the 95% Student-t interval (NaN with one seed)
     * @param upper95 upper end (NaN with one seed)
     */
    public record FigureSummary(String group, String figure, String strategy, int iteration, int seeds, double mean,
            double sd, double lower95, double upper95) {}

    /**
     * The paired comparison {@code a - b} of one figure at one iteration.
     *
     * @param figure the figure's name (one of {@link #PAIRED_FIGURES})
     * @param a the first strategy
     * @param b the second strategy
     * @param iteration the iteration
     * @param last whether it is the final iteration
     * @param seeds run seeds compared
     * @param items evaluation items per seed
     * @param meanDifference mean of {@code a - b} over seeds and items: the difference of the figures
     * @param lower95 lower end of the bootstrap's 95% percentile interval
     * @param upper95 upper end
     * @param standardError the bootstrap's standard error
     * @param pBootstrap two-sided bootstrap p-value
     * @param pPermutation sign-flip permutation p-value on the per-item differences averaged over seeds
     * @param pHolm the bootstrap p adjusted by Holm over the pairs of the figure and iteration
     * @param dz mean over standard deviation of the per-item differences
     * @param gz Hedges' small-sample correction of {@code dz}
     * @param direction which way the figure improves (not written to stats.json: the figure's name fixes it)
     */
    @JsonIgnoreProperties({"direction"})
    public record PairedComparison(String figure, String a, String b, int iteration, boolean last, int seeds,
            int items, double meanDifference, double lower95, double upper95, double standardError,
            double pBootstrap, double pPermutation, double pHolm, double dz, double gz, Figure.Direction direction) {

        /** The strategy the interval says is better, or empty when the interval holds 0. */
        public Optional<String> better() {
            if (!(lower95 > 0 || upper95 < 0)) {
                return Optional.empty();
            }
            boolean aSmaller = upper95 < 0;
            return Optional.of(aSmaller == (direction == Figure.Direction.LOWER_IS_BETTER) ? a : b);
        }

        /** The same comparison as {@code b - a}. */
        public PairedComparison flipped() {
            return new PairedComparison(figure, b, a, iteration, last, seeds, items, -meanDifference, -upper95,
                    -lower95, standardError, pBootstrap, pPermutation, pHolm, -dz, -gz, direction);
        }
    }

    private final List<Long> seeds;
    private final List<String> strategies;
    private final int iterations;
    private final Set<String> headlineTasks;
    private final List<FigureSummary> figures = new ArrayList<>();
    private final List<PairedComparison> paired = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private SeedStatistics(List<Long> seeds, List<String> strategies, int iterations, Set<String> headlineTasks) {
        this.seeds = seeds;
        this.strategies = strategies;
        this.iterations = iterations;
        this.headlineTasks = headlineTasks;
    }

    /** The run seeds aggregated, in order. */
    public List<Long> seeds() {
        return List.copyOf(seeds);
    }

    /** The strategies, in report order. */
    public List<String> strategies() {
        return strategies;
    }

    /** T, the final iteration. */
    public int iterations() {
        return iterations;
    }

    /** The tasks counted in {@code mc.headline_acc}. */
    public Set<String> headlineTasks() {
        return Collections.unmodifiableSet(headlineTasks);
    }

    /** Every figure's mean and interval, by group, figure, strategy and iteration. */
    public List<FigureSummary> figures() {
        return Collections.unmodifiableList(figures);
    }

    /** Every paired comparison, by figure, iteration and pair. */
    public List<PairedComparison> paired() {
        return Collections.unmodifiableList(paired);
    }

    /** Warnings (e.g. per-item files that disagree with the records); empty when all is consistent. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * The paired comparison {@code a - b} of a figure at an iteration (computed as {@code b - a} when {@code b}
     * comes first in the report order, then flipped).
     *
     * @return empty when either strategy lacks per-item results there, or the figure has no items
     */
    public Optional<PairedComparison> paired(Figure figure, String a, String b, int iteration) {
        for (PairedComparison c : paired) {
            if (c.figure().equals(figure.name()) && c.iteration() == iteration) {
                if (c.a().equals(a) && c.b().equals(b)) {
                    return Optional.of(c);
                }
                if (c.a().equals(b) && c.b().equals(a)) {
                    return Optional.of(c.flipped());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Computes the statistics from the records and the per-item files of the run folders.
     *
     * @param runs the run seeds, in order (at least one)
     * @param strategies strategy names in report order
     * @param iterations T
     * @param log receives warnings (e.g. per-item files that disagree with the records)
     * @throws IllegalArgumentException if {@code runs} is empty
     * @throws IOException naming the file of a malformed per-item line
     */
    public static SeedStatistics compute(List<SeedRun> runs, List<String> strategies, int iterations, PrintStream log)
            throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run seeds to aggregate");
        }
        Set<String> headline = readHeadlineTasks(runs.get(0).dir());
        SeedStatistics st = new SeedStatistics(runs.stream().map(SeedRun::seed).toList(), List.copyOf(strategies),
                iterations, headline);
        st.summarise(runs);
        st.compare(runs, log);
        st.warnings.forEach(w -> log.println("warning: " + w));
        return st;
    }

    // ---- means over seeds ----

    private void summarise(List<SeedRun> runs) {
        // group -> figure -> strategy -> iteration -> values over seeds
        Map<String, Map<String, Map<String, Map<Integer, List<Double>>>>> values = new TreeMap<>();
        Set<String> shareKeys = new TreeSet<>();
        for (SeedRun run : runs) {
            for (IterationRecord r : run.records()) {
                for (String key : flatten(r).keySet()) {
                    if (isShare(key)) {
                        shareKeys.add(key);
                    }
                }
            }
        }
        for (SeedRun run : runs) {
            for (IterationRecord r : run.records()) {
                SortedMap<String, Double> flat = flatten(r);
                // a share map that lacks a key has share 0 there (else the mean would count only seeds with it)
                for (String key : shareKeys) {
                    String map = key.substring(0, key.indexOf('.') + 1);
                    if (!flat.containsKey(key) && flat.keySet().stream().anyMatch(k -> k.startsWith(map))) {
                        flat.put(key, 0.0);
                    }
                }
                flat.forEach((key, v) -> {
                    int dot = key.indexOf('/');
                    values.computeIfAbsent(key.substring(0, dot), k -> new TreeMap<>())
                            .computeIfAbsent(key.substring(dot + 1), k -> new TreeMap<>())
                            .computeIfAbsent(r.strategy(), k -> new TreeMap<>())
                            .computeIfAbsent(r.iteration(), k -> new ArrayList<>()).add(v);
                });
            }
        }
        values.forEach((group, byFigure) -> byFigure.forEach((figure, byStrategy) -> {
            for (String s : strategies) {
                byStrategy.getOrDefault(s, Map.of()).forEach((t, vs) -> {
                    MeanInterval m = MeanInterval.of(vs.stream().mapToDouble(Double::doubleValue).toArray());
                    Interval i = m.interval();
                    figures.add(new FigureSummary(group, figure, s, t, (int) m.getN(), m.getMean(),
                            m.getStandardDeviation(), i.lower(), i.upper()));
                });
            }
        }));
    }

    /** Whether a flattened key is an entry of an analytics share map (shares of one map sum to 1). */
    private static boolean isShare(String key) {
        return key.startsWith("analytics/") && key.indexOf('.') > 0 && !key.startsWith("analytics/hardSetLoss.");
    }

    /**
     * Every finite figure of a record as {@code group/name}: evaluation figures ({@code evaluation/}), measured
     * data ({@code data/}), training ({@code training/student_loss}, {@code generator_loss}, {@code real_share},
     * and {@code real_context_tokens} for records that have it),
     * and every other numeric field of the record, nested objects flattened with dots ({@code feedback/...} and
     * whatever analytics a record carries).
     */
    static SortedMap<String, Double> flatten(IterationRecord r) {
        SortedMap<String, Double> out = new TreeMap<>();
        r.evaluation().forEach((k, v) -> {
            if (!NOT_A_FIGURE.matcher(k).matches()) {
                putFinite(out, "evaluation/" + k, v);
            }
        });
        r.synthetic().forEach((k, v) -> putFinite(out, "data/" + k, v));
        if (r.iteration() > 0) {
            if (r.studentTraining() != null && r.studentTraining().steps() > 0) {
                putFinite(out, "training/student_loss", r.studentTraining().meanLoss());
            }
            if (r.generatorTraining() != null && r.generatorTraining().steps() > 0) {
                putFinite(out, "training/generator_loss", r.generatorTraining().meanLoss());
            }
            putFinite(out, "training/real_share", r.realShare());
            if (r.realContextTokens() != null) {
                // masked-context teaching: real tokens the Student read as context only (absent: none)
                putFinite(out, "training/real_context_tokens", r.realContextTokens().doubleValue());
            }
        }
        ObjectNode tree = Json.tree(r);
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (Set.of("strategy", "iteration", "headline", "evaluation", "synthetic", "measuredOrigin",
                    "studentTraining", "generatorTraining", "realShare", "realStreamReused", "stopped",
                    "trainingTexts", "trainingTokens", "realContextTokens").contains(k)) {
                continue;
            }
            if (e.getValue().isObject()) {
                flattenNode(out, k + "/", e.getValue());
            } else if (e.getValue().isNumber()) {
                putFinite(out, "record/" + k, e.getValue().asDouble());
            }
        }
        return out;
    }

    private static void flattenNode(SortedMap<String, Double> out, String prefix, JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = prefix + (prefix.endsWith("/") ? "" : ".") + e.getKey();
            if (v.isNumber()) {
                putFinite(out, name, v.asDouble());
            } else if (v.isObject()) {
                flattenNode(out, name, v);
            }
        }
    }

    private static void putFinite(Map<String, Double> out, String key, Double v) {
        if (v != null && Double.isFinite(v)) {
            out.put(key, v);
        }
    }

    /** The summary of one figure of one strategy at one iteration, if any seed has a finite value. */
    public Optional<FigureSummary> summary(String group, String figure, String strategy, int iteration) {
        for (FigureSummary f : figures) {
            if (f.group.equals(group) && f.figure.equals(figure) && f.strategy.equals(strategy)
                    && f.iteration == iteration) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    // ---- paired comparisons ----

    private void compare(List<SeedRun> runs, PrintStream log) throws IOException {
        // figure -> strategy -> iteration -> per seed: item -> contribution
        Map<String, Map<String, Map<Integer, List<SortedMap<String, Double>>>>> items = new LinkedHashMap<>();
        for (Figure figure : PAIRED_FIGURES) {
            items.put(figure.name(), new LinkedHashMap<>());
        }
        for (String s : strategies) {
            for (int t = 0; t <= iterations; t++) {
                final int it = t;
                boolean complete = true;
                Map<String, List<SortedMap<String, Double>>> perFigure = new LinkedHashMap<>();
                for (SeedRun run : runs) {
                    Path iterDir = run.dir().resolve(s).resolve("iter-" + t);
                    Path f = iterDir.resolve(ItemRecordingEvaluator.FILE);
                    IterationRecord rec = run.records().stream()
                            .filter(r -> r.strategy().equals(s) && r.iteration() == it).findFirst().orElse(null);
                    if (rec == null || !Files.exists(f)) {
                        complete = false;
                        break;
                    }
                    Map<String, SortedMap<String, Double>> c = contributions(f,
                            ItemRecordingEvaluator.read(iterDir), headlineTasks);
                    for (Figure figure : PAIRED_FIGURES) {
                        SortedMap<String, Double> byItem = c.get(figure.name());
                        check(f, figure.name(), byItem, rec.evaluation().get(figure.name()));
                        perFigure.computeIfAbsent(figure.name(), k -> new ArrayList<>()).add(byItem);
                    }
                }
                if (complete) {
                    perFigure.forEach((figure, list) -> items.get(figure).computeIfAbsent(s, k -> new TreeMap<>())
                            .put(it, list));
                }
            }
        }
        // 10,000 resamples: the smallest bootstrap p (2 / 10,001) stays below 0.05 after Holm over 45 pairs
        PairedBootstrap bootstrap = PairedBootstrap.create().withResamples(BOOTSTRAP_RESAMPLES);
        PairedPermutationTest permutation = PairedPermutationTest.create();
        for (Figure pairedFigure : PAIRED_FIGURES) {
            String figure = pairedFigure.name();
            Map<String, Map<Integer, List<SortedMap<String, Double>>>> byStrategy = items.get(figure);
            for (int t = 1; t <= iterations; t++) {
                List<PairedComparison> family = new ArrayList<>();
                for (int i = 0; i < strategies.size(); i++) {
                    for (int j = i + 1; j < strategies.size(); j++) {
                        String a = strategies.get(i);
                        String b = strategies.get(j);
                        List<SortedMap<String, Double>> va = byStrategy.getOrDefault(a, Map.of()).get(t);
                        List<SortedMap<String, Double>> vb = byStrategy.getOrDefault(b, Map.of()).get(t);
                        if (va == null || vb == null || va.get(0).isEmpty()) {
                            continue;
                        }
                        double[][] d = differences(figure, a, b, va, vb);
                        PairedBootstrap.Result boot = bootstrap.ofDifferences(d);
                        double[] itemMeans = new double[d[0].length];
                        for (double[] row : d) {
                            for (int k = 0; k < row.length; k++) {
                                itemMeans[k] += row[k] / d.length;
                            }
                        }
                        family.add(new PairedComparison(figure, a, b, t, t == iterations, d.length, d[0].length,
                                boot.meanDifference(), boot.interval().lower(), boot.interval().upper(),
                                boot.standardError(), boot.pValue(),
                                permutation.testDifferences(itemMeans).pValue(), Double.NaN,
                                EffectSize.pairedDz(itemMeans), EffectSize.hedgesGz(itemMeans),
                                pairedFigure.direction()));
                    }
                }
                double[] holm = HolmAdjustment.of(family.stream().mapToDouble(PairedComparison::pBootstrap)
                        .toArray());
                for (int k = 0; k < family.size(); k++) {
                    PairedComparison c = family.get(k);
                    paired.add(new PairedComparison(c.figure, c.a, c.b, c.iteration, c.last, c.seeds, c.items,
                            c.meanDifference, c.lower95, c.upper95, c.standardError, c.pBootstrap, c.pPermutation,
                            holm[k], c.dz, c.gz, c.direction));
                }
            }
        }
    }

    private static double[][] differences(String figure, String a, String b, List<SortedMap<String, Double>> va,
            List<SortedMap<String, Double>> vb) {
        double[][] d = new double[va.size()][];
        Set<String> keys = va.get(0).keySet();
        for (int s = 0; s < va.size(); s++) {
            if (!va.get(s).keySet().equals(keys) || !vb.get(s).keySet().equals(keys)) {
                throw new IllegalStateException(figure + ": " + a + " and " + b + " were not evaluated on the same"
                        + " items in every seed (seed index " + s + "); paired tests need one evaluation sample");
            }
            double[] row = new double[keys.size()];
            int k = 0;
            for (String key : keys) {
                row[k++] = va.get(s).get(key) - vb.get(s).get(key);
            }
            d[s] = row;
        }
        return d;
    }

    private void check(Path file, String figure, SortedMap<String, Double> byItem, Double recorded) {
        if (byItem.isEmpty() || recorded == null || !Double.isFinite(recorded)) {
            return;
        }
        double mean = byItem.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (Math.abs(mean - recorded) > 1e-6 * (1 + Math.abs(recorded))) {
            warnings.add(file + ": the items give " + figure + " = " + mean + " but results.jsonl has " + recorded);
        }
    }

    /**
     * Every item's contribution to each of {@link #PAIRED_FIGURES} (empty maps for a figure without items, e.g.
     * no headline task).
     *
     * @param file the items' file, for error messages
     */
    static Map<String, SortedMap<String, Double>> contributions(Path file, List<ItemScore> items,
            Set<String> headlineTasks) throws IOException {
        Map<String, Map<String, double[]>> docs = new TreeMap<>(); // domain -> id -> {nll, bytes}
        Map<String, Map<String, Double>> mc = new TreeMap<>(); // task -> id -> correct
        for (ItemScore item : items) {
            switch (item.kind()) {
                case HeldOutEvaluator.KIND_DOCUMENT -> docs.computeIfAbsent(item.group(), k -> new TreeMap<>())
                        .put(item.id(), new double[] {item.value(HeldOutEvaluator.VALUE_NLL),
                            item.value(HeldOutEvaluator.VALUE_BYTES)});
                case HeldOutEvaluator.KIND_CHOICE -> mc.computeIfAbsent(item.group(), k -> new TreeMap<>())
                        .put(item.id(), item.value(HeldOutEvaluator.VALUE_CORRECT));
                default -> throw new IOException(file + ": unknown item kind '" + item.kind() + "' ("
                        + HeldOutEvaluator.KIND_DOCUMENT + " or " + HeldOutEvaluator.KIND_CHOICE + ")");
            }
        }
        Map<String, SortedMap<String, Double>> out = new LinkedHashMap<>();
        SortedMap<String, Double> bpb = new TreeMap<>();
        int domains = 0;
        int documents = 0;
        for (Map<String, double[]> d : docs.values()) {
            if (d.values().stream().mapToDouble(x -> x[1]).sum() > 0) {
                domains++;
                documents += d.size();
            }
        }
        for (Map.Entry<String, Map<String, double[]>> e : docs.entrySet()) {
            double bytes = e.getValue().values().stream().mapToDouble(x -> x[1]).sum();
            if (bytes > 0) {
                double w = (double) documents / domains / bytes / Math.log(2);
                e.getValue().forEach((id, x) -> bpb.put(e.getKey() + "/" + id, x[0] * w));
            }
        }
        out.put(HeldOutEvaluator.BPB_MACRO.name(), bpb);
        out.put(HeldOutEvaluator.MC_HEADLINE_ACC.name(), accuracy(mc, headlineTasks));
        out.put(HeldOutEvaluator.MC_ACC_MACRO.name(), accuracy(mc, mc.keySet()));
        return out;
    }

    private static SortedMap<String, Double> accuracy(Map<String, Map<String, Double>> mc, Set<String> tasks) {
        SortedMap<String, Double> out = new TreeMap<>();
        List<String> present = tasks.stream().filter(mc::containsKey).toList();
        int total = present.stream().mapToInt(t -> mc.get(t).size()).sum();
        for (String task : present) {
            Map<String, Double> items = mc.get(task);
            double w = (double) total / present.size() / items.size();
            items.forEach((id, c) -> out.put(task + "/" + id, c * w));
        }
        return out;
    }

    private static Set<String> readHeadlineTasks(Path dir) throws IOException {
        Path f = dir.resolve("headline-tasks.json");
        Set<String> out = new TreeSet<>();
        if (Files.exists(f)) {
            Json.reader().readTree(Files.readAllBytes(f)).path("tasks")
                    .forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    // ---- files ----

    /** Writes {@code stats.json}, {@code stats-figures.csv} and {@code stats-paired.csv} into {@code dir}. */
    public void write(Path dir) throws IOException {
        ObjectNode root = Json.object();
        ArrayNode s = root.putArray("seeds");
        seeds.forEach(s::add);
        ArrayNode st = root.putArray("strategies");
        strategies.forEach(st::add);
        root.put("iterations", iterations);
        ArrayNode h = root.putArray("headline_tasks");
        headlineTasks.forEach(h::add);
        root.put("method", "figures: mean over run seeds with a 95% Student-t interval; paired: a - b per item "
                + "(contribution to the figure), percentile interval and p-value of a 10000-resample bootstrap "
                + "over run seeds and items (crossed), sign-flip permutation p-value and d_z on per-item "
                + "differences averaged over seeds, Holm adjustment of the bootstrap p over the pairs of one "
                + "figure and iteration");
        root.set("figures", Json.tree(figures));
        root.set("paired", Json.tree(paired));
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        AtomicFiles.write(dir.resolve("stats.json"), Json.prettyWriter()
                .writeValueAsBytes(root));

        List<String> f = new ArrayList<>();
        f.add("group,figure,strategy,iteration,seeds,mean,sd,lower95,upper95");
        for (FigureSummary x : figures) {
            f.add(String.join(",", csv(x.group), csv(x.figure), csv(x.strategy), Integer.toString(x.iteration),
                    Integer.toString(x.seeds), num(x.mean), num(x.sd), num(x.lower95), num(x.upper95)));
        }
        AtomicFiles.writeLines(dir.resolve("stats-figures.csv"), f);
        List<String> p = new ArrayList<>();
        p.add("figure,a,b,iteration,last,seeds,items,mean_difference,lower95,upper95,standard_error,p_bootstrap,"
                + "p_permutation,p_holm,d_z,g_z");
        for (PairedComparison x : paired) {
            p.add(String.join(",", csv(x.figure), csv(x.a), csv(x.b), Integer.toString(x.iteration),
                    Boolean.toString(x.last), Integer.toString(x.seeds), Integer.toString(x.items),
                    num(x.meanDifference), num(x.lower95), num(x.upper95), num(x.standardError), num(x.pBootstrap),
                    num(x.pPermutation), num(x.pHolm), num(x.dz), num(x.gz)));
        }
        AtomicFiles.writeLines(dir.resolve("stats-paired.csv"), p);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
