package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Deterministic: the bootstrap and permutation seeds are fixed. Not thread-safe.
 */
final class SeedStatistics {

    /** Resamples of the paired bootstrap. */
    static final int BOOTSTRAP_RESAMPLES = 10_000;

    /** Evaluation figures with per-item paired tests. */
    static final List<String> PAIRED_FIGURES = List.of("bpb.macro", "mc.headline_acc", "mc.acc.macro");

    /** Figures where a smaller value is better. */
    static boolean lowerIsBetter(String figure) {
        return figure.startsWith("bpb") || figure.startsWith("ppl") || figure.startsWith("nats_per_token");
    }

    /** Per-task bookkeeping figures the summaries leave out (bounds, counts, chance levels, token counts). */
    private static final Pattern NOT_A_FIGURE = Pattern.compile(
            "mc\\.(n|chance)\\..*|mc\\.chance\\.macro|.*\\.(lower95|upper95)|tokens\\..*");

    /** One run seed: its folder and records. */
    record SeedRun(long seed, Path dir, List<IterationRecord> records) {}

    /** Mean and 95% interval over the run seeds of one figure of one strategy at one iteration. */
    record FigureSummary(String group, String figure, String strategy, int iteration, int seeds, double mean,
            double sd, double lower95, double upper95) {}

    /** The paired comparison {@code a - b} of one figure at one iteration. */
    record PairedComparison(String figure, String a, String b, int iteration, boolean last, int seeds, int items,
            double meanDifference, double lower95, double upper95, double standardError, double pBootstrap,
            double pPermutation, double pHolm, double dz, double gz) {

        /** The strategy the interval says is better ({@code null} when the interval holds 0). */
        String better() {
            if (!(lower95 > 0 || upper95 < 0)) {
                return null;
            }
            boolean aSmaller = upper95 < 0;
            return aSmaller == lowerIsBetter(figure) ? a : b;
        }
    }

    final List<Long> seeds;
    final List<String> strategies;
    final int iterations;
    final Set<String> headlineTasks;
    final List<FigureSummary> figures = new ArrayList<>();
    final List<PairedComparison> paired = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    private SeedStatistics(List<Long> seeds, List<String> strategies, int iterations, Set<String> headlineTasks) {
        this.seeds = seeds;
        this.strategies = strategies;
        this.iterations = iterations;
        this.headlineTasks = headlineTasks;
    }

    /**
     * Computes the statistics.
     *
     * @param runs the run seeds, in order
     * @param strategies strategy names in report order
     * @param iterations T
     * @param log receives warnings (e.g. per-item files that disagree with the records)
     */
    static SeedStatistics compute(List<SeedRun> runs, List<String> strategies, int iterations, PrintStream log)
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
     * data ({@code data/}), training ({@code training/student_loss}, {@code generator_loss}, {@code real_share}),
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
        }
        ObjectNode tree = Json.MAPPER.valueToTree(r);
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (Set.of("strategy", "iteration", "headline", "evaluation", "synthetic", "measuredOrigin",
                    "studentTraining", "generatorTraining", "realShare", "realStreamReused", "stopped",
                    "trainingTexts", "trainingTokens").contains(k)) {
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

    /** The summary of one figure, or null. */
    FigureSummary summary(String group, String figure, String strategy, int iteration) {
        for (FigureSummary f : figures) {
            if (f.group.equals(group) && f.figure.equals(figure) && f.strategy.equals(strategy)
                    && f.iteration == iteration) {
                return f;
            }
        }
        return null;
    }

    // ---- paired comparisons ----

    private void compare(List<SeedRun> runs, PrintStream log) throws IOException {
        // figure -> strategy -> iteration -> per seed: item -> contribution
        Map<String, Map<String, Map<Integer, List<SortedMap<String, Double>>>>> items = new LinkedHashMap<>();
        for (String figure : PAIRED_FIGURES) {
            items.put(figure, new LinkedHashMap<>());
        }
        for (String s : strategies) {
            for (int t = 0; t <= iterations; t++) {
                final int it = t;
                boolean complete = true;
                Map<String, List<SortedMap<String, Double>>> perFigure = new LinkedHashMap<>();
                for (SeedRun run : runs) {
                    Path f = run.dir().resolve(s).resolve("iter-" + t).resolve(ItemRecordingEvaluator.FILE);
                    IterationRecord rec = run.records().stream()
                            .filter(r -> r.strategy().equals(s) && r.iteration() == it).findFirst().orElse(null);
                    if (rec == null || !Files.exists(f)) {
                        complete = false;
                        break;
                    }
                    Map<String, SortedMap<String, Double>> c = contributions(f, headlineTasks);
                    for (String figure : PAIRED_FIGURES) {
                        SortedMap<String, Double> byItem = c.get(figure);
                        check(f, figure, byItem, rec.evaluation().get(figure));
                        perFigure.computeIfAbsent(figure, k -> new ArrayList<>()).add(byItem);
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
        for (String figure : PAIRED_FIGURES) {
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
                                EffectSize.pairedDz(itemMeans), EffectSize.hedgesGz(itemMeans)));
                    }
                }
                double[] holm = HolmAdjustment.of(family.stream().mapToDouble(PairedComparison::pBootstrap)
                        .toArray());
                for (int k = 0; k < family.size(); k++) {
                    PairedComparison c = family.get(k);
                    paired.add(new PairedComparison(c.figure, c.a, c.b, c.iteration, c.last, c.seeds, c.items,
                            c.meanDifference, c.lower95, c.upper95, c.standardError, c.pBootstrap, c.pPermutation,
                            holm[k], c.dz, c.gz));
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
     */
    static Map<String, SortedMap<String, Double>> contributions(Path file, Set<String> headlineTasks)
            throws IOException {
        Map<String, Map<String, double[]>> docs = new TreeMap<>(); // domain -> id -> {nll, bytes}
        Map<String, Map<String, Double>> mc = new TreeMap<>(); // task -> id -> correct
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            JsonNode o;
            try {
                o = Json.MAPPER.readTree(lines.get(n));
            } catch (IOException e) {
                throw new IOException(file + ":" + (n + 1) + ": malformed JSON: " + e.getMessage(), e);
            }
            String kind = o.path("kind").asText("");
            String group = o.path("group").asText(null);
            String id = o.path("id").asText(null);
            if (group == null || id == null) {
                throw new IOException(file + ":" + (n + 1) + ": an item needs 'group' and 'id'");
            }
            switch (kind) {
                case "bpb" -> docs.computeIfAbsent(group, k -> new TreeMap<>())
                        .put(id, new double[] {o.path("nll").asDouble(), o.path("bytes").asDouble()});
                case "mc" -> mc.computeIfAbsent(group, k -> new TreeMap<>()).put(id, o.path("correct").asDouble());
                default -> throw new IOException(file + ":" + (n + 1) + ": unknown item kind '" + kind
                        + "' (bpb or mc)");
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
        out.put("bpb.macro", bpb);
        out.put("mc.headline_acc", accuracy(mc, headlineTasks));
        out.put("mc.acc.macro", accuracy(mc, mc.keySet()));
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
            Json.MAPPER.readTree(f.toFile()).path("tasks").forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    // ---- files ----

    /** Writes {@code stats.json}, {@code stats-figures.csv} and {@code stats-paired.csv} into {@code dir}. */
    void write(Path dir) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
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
        root.set("figures", Json.MAPPER.valueToTree(figures));
        root.set("paired", Json.MAPPER.valueToTree(paired));
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        AtomicFiles.write(dir.resolve("stats.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
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
