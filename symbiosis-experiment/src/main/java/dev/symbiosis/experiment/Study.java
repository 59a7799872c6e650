package dev.symbiosis.experiment;

import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.stats.HolmAdjustment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A confirmatory study over several pretrained pairs, by a declared {@link Protocol} (by default docs/protocol.md's,
 * {@link Protocol#ISSUE_16}): each pair is one experiment's output folder (its run seeds' folders, or one run
 * folder), all runs of all pairs analysed together. The primary comparison and the declared secondary ones on
 * {@code bpb.macro} at the last iteration, each with the hierarchical bootstrap of
 * {@link GainRecovered#compare} (pairs, their runs, documents within domains) and its TOST verdict; the secondary
 * ones with Holm's adjustment of their bootstrap p-values; the fraction of the real-data gain each arm recovers
 * over every run; per pair, the calibration conditions (a) the real-data gain and (b) Generator 0's advantage over
 * Student 0, read from the records; a forest plot of the primary difference per run.
 *
 * <p>Stateless; deterministic for a seed.
 */
public final class Study {

    /** The primary comparison's first arm. */
    public static final String PRIMARY_A = "symbiosis";
    /** The primary comparison's second arm. */
    public static final String PRIMARY_B = "static-synthetic";
    /** The secondary comparisons' second arms, each against {@value #PRIMARY_A} (docs/protocol.md, in order). */
    public static final List<String> SECONDARY = List.of("symbiosis-frozen-generator", "symbiosis-random-saliency",
            "real-mixing", "recursive-replace");
    /** Seed of every bootstrap of the study. */
    public static final long BOOTSTRAP_SEED = 20261205L;
    /** The columns of {@code study-compute.csv}: token positions by direction and role. */
    static final List<String> COMPUTE_KEYS = List.of("tokens.backward.generator", "tokens.backward.student",
            "tokens.forward.generator", "tokens.forward.student");
    /**
     * How far apart, relative, the iteration-0 {@code bpb.macro} of one run's arms may be and still count as one
     * Student 0: 100 times the largest difference measured for the same weights on two machines (5.3e-10), 1,000
     * times below a pair pretrained again (1.2e-4).
     */
    static final double SAME_START = 1e-7;

    private Study() {}

    /**
     * Two arms compared on the outcome: the difference is {@code a - b}.
     *
     * @param a the first arm (the method)
     * @param b the second arm (the comparator)
     */
    public record Arms(String a, String b) {
        public Arms {
            java.util.Objects.requireNonNull(a, "a");
            java.util.Objects.requireNonNull(b, "b");
            if (a.equals(b)) {
                throw new IllegalArgumentException("a comparison needs two different arms, got " + a + " twice");
            }
        }

        @Override
        public String toString() {
            return a + " - " + b;
        }
    }

    /**
     * The declared comparisons of a study, fixed before its runs: one primary (not adjusted) and a family of secondary
     * ones (Holm's adjustment over the family). The arms whose fraction of the real-data gain is reported are every
     * arm named here and {@link GainRecovered#REFERENCE}.
     *
     * @param name the protocol's name (the report's title), e.g. the document that declares it
     * @param primary the primary comparison
     * @param secondary the secondary comparisons, in their declared order; may be empty
     */
    public record Protocol(String name, Arms primary, List<Arms> secondary) {

        /** docs/protocol.md (issue 16): symbiosis vs static synthetic data, then four secondary comparisons. */
        public static final Protocol ISSUE_16 = new Protocol("docs/protocol.md", new Arms(PRIMARY_A, PRIMARY_B),
                SECONDARY.stream().map(b -> new Arms(PRIMARY_A, b)).toList());

        public Protocol {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(primary, "primary");
            secondary = List.copyOf(secondary);
            java.util.Set<Arms> seen = new java.util.HashSet<>(List.of(primary));
            for (Arms c : secondary) {
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("protocol " + name + ": comparison " + c + " is declared twice");
                }
            }
        }

        /** Every arm the protocol names, in order of first mention, then {@link GainRecovered#REFERENCE}. */
        public List<String> arms() {
            java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(List.of(primary.a(), primary.b()));
            secondary.forEach(c -> {
                out.add(c.a());
                out.add(c.b());
            });
            out.add(GainRecovered.REFERENCE);
            return List.copyOf(out);
        }

        /**
         * A protocol from its JSON file: {@code {"name": ..., "primary": ["a", "b"], "secondary": [["a", "b"],
         * ...]}} ({@code name} defaults to the file name, {@code secondary} to none).
         *
         * @throws IOException if the file cannot be read
         * @throws IllegalArgumentException naming the file and the field that is missing or malformed
         */
        public static Protocol read(Path file) throws IOException {
            com.fasterxml.jackson.databind.JsonNode root;
            try {
                root = dev.symbiosis.core.loop.Json.parse(Files.readString(file));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": not a JSON object (" + e.getMessage() + ")", e);
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(file + ": not a JSON object");
            }
            String name = root.hasNonNull("name") ? root.get("name").asText() : file.getFileName().toString();
            Arms primary = arms(file, "primary", root.get("primary"));
            List<Arms> secondary = new ArrayList<>();
            com.fasterxml.jackson.databind.JsonNode sec = root.get("secondary");
            if (sec != null && !sec.isNull()) {
                if (!sec.isArray()) {
                    throw new IllegalArgumentException(file + ": secondary must be an array of [a, b] pairs");
                }
                for (int i = 0; i < sec.size(); i++) {
                    secondary.add(arms(file, "secondary[" + i + "]", sec.get(i)));
                }
            }
            try {
                return new Protocol(name, primary, secondary);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }

        private static Arms arms(Path file, String field, com.fasterxml.jackson.databind.JsonNode n) {
            if (n == null || !n.isArray() || n.size() != 2 || !n.get(0).isTextual() || !n.get(1).isTextual()) {
                throw new IllegalArgumentException(file + ": " + field + " must be [\"a\", \"b\"] (two arm names)");
            }
            try {
                return new Arms(n.get(0).asText(), n.get(1).asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + field + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * One pretrained pair's runs.
     *
     * @param name the pair's folder name
     * @param runs its run folders
     */
    public record Pair(String name, List<Path> runs) {
        public Pair {
            runs = List.copyOf(runs);
        }
    }

    /**
     * A declared comparison's result.
     *
     * @param comparison the difference, intervals, margin and verdict
     * @param pHolm Holm's adjustment of the bootstrap p-value over the secondary family (the primary: its own p)
     */
    public record Tested(GainRecovered.Comparison comparison, double pHolm) {}

    /**
     * The calibration conditions of one pair, from its records (means over its runs).
     *
     * @param pair the pair
     * @param realGain (a): {@code bpb_0 - bpb_T} of {@code real-upper-bound}
     * @param generatorAdvantage (b): Student 0's {@code bpb.macro} minus Generator 0's ({@code generator.bpb.macro}
     *     at iteration 0); NaN when the records have no Generator figure
     */
    public record Conditions(String pair, double realGain, double generatorAdvantage) {}

    /**
     * One run's primary difference with its 95 % interval over documents.
     */
    public record RunDifference(String pair, String run, double difference, double lower95, double upper95) {}

    /**
     * Everything the study reports, under the protocol it was computed by; {@code compute} holds the declared arms'
     * mean compute per run over every run that has timing lines ({@link ComputePerArm}), in the protocol's order.
     */
    public record Result(Protocol protocol, List<Pair> pairs, int iteration, Tested primary, List<Tested> secondary,
            List<GainRecovered.Row> gain, List<Conditions> conditions, List<RunDifference> perRun,
            List<ComputePerArm.Row> compute) {}

    /**
     * The pairs of the given experiment output folders: a folder with run-seed folders ({@code seed-*}) gives those,
     * else the folder itself is the pair's one run.
     *
     * @throws IOException if a folder cannot be listed
     * @throws IllegalArgumentException naming a folder without records
     */
    public static List<Pair> pairs(List<Path> folders) throws IOException {
        List<Pair> out = new ArrayList<>();
        for (Path f : folders) {
            List<Path> runs;
            try (Stream<Path> s = Files.list(f)) {
                runs = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("seed-")
                        && Files.exists(p.resolve("results.jsonl"))).sorted().toList();
            }
            if (runs.isEmpty()) {
                if (!Files.exists(f.resolve("results.jsonl"))) {
                    throw new IllegalArgumentException(f + ": no results.jsonl and no seed-* run folders");
                }
                runs = List.of(f);
            }
            out.add(new Pair(f.getFileName().toString(), runs));
        }
        return out;
    }

    /**
     * The statistics of docs/protocol.md ({@link Protocol#ISSUE_16}) at the last iteration {@code iteration}.
     *
     * @throws IllegalArgumentException if a run lacks the records a declared comparison needs
     */
    public static Result compute(List<Pair> pairs, int iteration) throws IOException {
        return compute(pairs, iteration, Protocol.ISSUE_16);
    }

    /**
     * The statistics of a declared protocol at the last iteration {@code iteration}.
     *
     * @throws IllegalArgumentException if a run lacks the records a declared comparison needs
     */
    public static Result compute(List<Pair> pairs, int iteration, Protocol protocol) throws IOException {
        for (Pair p : pairs) {
            for (Path run : p.runs()) {
                checkOneStudent0(run, protocol.arms());
            }
        }
        List<List<Path>> grouped = pairs.stream().map(Pair::runs).toList();
        Arms first = protocol.primary();
        GainRecovered.Comparison primary = GainRecovered.compare(grouped, first.a(), first.b(), iteration,
                BOOTSTRAP_SEED);
        List<GainRecovered.Comparison> secondary = new ArrayList<>();
        for (Arms c : protocol.secondary()) {
            secondary.add(GainRecovered.compare(grouped, c.a(), c.b(), iteration, BOOTSTRAP_SEED));
        }
        double[] adjusted = secondary.isEmpty() ? new double[0]
                : HolmAdjustment.of(secondary.stream().mapToDouble(GainRecovered.Comparison::p).toArray());
        List<Tested> tested = new ArrayList<>();
        for (int i = 0; i < secondary.size(); i++) {
            tested.add(new Tested(secondary.get(i), adjusted[i]));
        }
        List<Path> all = grouped.stream().flatMap(List::stream).toList();
        List<GainRecovered.Row> gain = GainRecovered.compute(all, protocol.arms(), iteration, BOOTSTRAP_SEED);
        List<Conditions> conditions = new ArrayList<>();
        List<RunDifference> perRun = new ArrayList<>();
        for (Pair p : pairs) {
            conditions.add(conditions(p, iteration));
            for (Path run : p.runs()) {
                GainRecovered.Comparison one = GainRecovered.compare(List.of(List.of(run)), first.a(), first.b(),
                        iteration, BOOTSTRAP_SEED);
                perRun.add(new RunDifference(p.name(), run.getFileName().toString(), one.difference(),
                        one.lower95(), one.upper95()));
            }
        }
        Map<String, ComputePerArm.Row> byArm = new java.util.HashMap<>();
        ComputePerArm.of(all).forEach(row -> byArm.put(row.strategy(), row));
        List<ComputePerArm.Row> compute = protocol.arms().stream().filter(byArm::containsKey).map(byArm::get)
                .toList();
        return new Result(protocol, pairs, iteration, new Tested(primary, primary.p()), tested, gain, conditions,
                perRun, compute);
    }

    /**
     * Refuses a run whose arms did not start from the same Student 0: their iteration-0 {@code bpb.macro} (the same
     * model on the same documents) must be identical, else the paired differences compare two models. It happens
     * when a run folder written before checkpoints were fingerprinted is resumed on a pair pretrained again (not
     * bitwise reproducible across machines). "Identical" allows {@link #SAME_START} relative: the same weights
     * evaluated on another machine's kernels differ in the last digits (arms of one run taken from a run on another
     * machine, {@link UnitReuse}: measured up to 5.3e-10 relative), a pair pretrained again by some 1e-4.
     *
     * @throws IllegalArgumentException naming the run and the two arms that differ
     */
    static void checkOneStudent0(Path run, List<String> arms) throws IOException {
        String first = null;
        double start = Double.NaN;
        for (IterationRecord rec : ExperimentRunner.readRecords(run)) {
            Double v = rec.evaluation().get(HeldOutEvaluator.HEADLINE);
            if (rec.iteration() != 0 || v == null || !arms.contains(rec.strategy())) {
                continue;
            }
            if (first == null) {
                first = rec.strategy();
                start = v;
            } else if (Math.abs(v - start) > SAME_START * Math.abs(start)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s and %s start from different"
                        + " models (iteration-0 %s %.6f and %.6f): a run's arms must share Student 0, else their"
                        + " paired differences compare two models (a pair pretrained again differs)", run, first,
                        rec.strategy(), HeldOutEvaluator.HEADLINE, start, v));
            }
        }
    }

    /** (a) and (b) of one pair, from results.jsonl (means over the pair's runs). */
    static Conditions conditions(Pair p, int iteration) throws IOException {
        double gain = 0;
        double advantage = 0;
        int n = 0;
        for (Path run : p.runs()) {
            Double b0 = null;
            Double bT = null;
            Double g0 = null;
            for (IterationRecord rec : ExperimentRunner.readRecords(run)) {
                if (!GainRecovered.REFERENCE.equals(rec.strategy())) {
                    continue;
                }
                if (rec.iteration() == 0) {
                    b0 = rec.evaluation().get(HeldOutEvaluator.HEADLINE);
                    g0 = rec.evaluation().getOrDefault("generator." + HeldOutEvaluator.HEADLINE, Double.NaN);
                } else if (rec.iteration() == iteration) {
                    bT = rec.evaluation().get(HeldOutEvaluator.HEADLINE);
                }
            }
            if (b0 == null || bT == null) {
                throw new IllegalArgumentException(run + ": no " + GainRecovered.REFERENCE
                        + " records at iterations 0 and " + iteration);
            }
            gain += b0 - bT;
            advantage += b0 - g0;
            n++;
        }
        return new Conditions(p.name(), gain / n, advantage / n);
    }

    /**
     * A bootstrap p-value for the report (HTML): three significant digits, or, when no resample fell on the other
     * side of zero (p = 0), the resolution of the bootstrap, {@code < 2 / resamples}, since the p-value of a finite
     * bootstrap is never 0.
     */
    static String pValue(double p) {
        if (p == 0) {
            return String.format(Locale.ROOT, "&lt; %.2g", 2.0 / GainRecovered.COMPARISON_RESAMPLES);
        }
        return String.format(Locale.ROOT, "%.3g", p);
    }

    /**
     * Writes {@code study.html}, {@code study-comparisons.csv}, {@code study-gain-recovered.csv},
     * {@code study-conditions.csv}, {@code study-compute.csv} and {@code plots/study-forest.png} into {@code out}.
     *
     * @return the report's path
     */
    public static Path write(Result r, Path out) throws IOException {
        Files.createDirectories(out.resolve("plots"));
        List<String> csv = new ArrayList<>();
        csv.add("a,b,role,pairs,runs,difference,lower95,upper95,lower90,upper90,p,p_holm,real_gain,margin,verdict");
        List<Tested> all = new ArrayList<>();
        all.add(r.primary());
        all.addAll(r.secondary());
        for (int i = 0; i < all.size(); i++) {
            GainRecovered.Comparison c = all.get(i).comparison();
            csv.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.6g,%.6g,%.9g,%.9g,%s",
                    c.a(), c.b(), i == 0 ? "primary" : "secondary", c.pairs(), c.runs(), c.difference(),
                    c.lower95(), c.upper95(), c.lower90(), c.upper90(), c.p(), all.get(i).pHolm(),
                    c.referenceGain(), c.margin(), c.verdict().words()));
        }
        AtomicFiles.writeLines(out.resolve("study-comparisons.csv"), csv);
        List<String> gain = new ArrayList<>();
        gain.add("strategy,iteration,runs,gain,reference_gain,ratio,lower95,upper95");
        r.gain().forEach(g -> gain.add(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f",
                g.strategy(), g.iteration(), g.runs(), g.gain(), g.referenceGain(), g.ratio(), g.lower95(),
                g.upper95())));
        AtomicFiles.writeLines(out.resolve("study-gain-recovered.csv"), gain);
        List<String> cond = new ArrayList<>();
        cond.add("pair,runs,real_gain,generator_advantage,a_holds,b_holds");
        for (int i = 0; i < r.conditions().size(); i++) {
            Conditions c = r.conditions().get(i);
            cond.add(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%b,%b", c.pair(), r.pairs().get(i).runs().size(),
                    c.realGain(), c.generatorAdvantage(), c.realGain() >= 0.05, c.generatorAdvantage() >= 0.10));
        }
        AtomicFiles.writeLines(out.resolve("study-conditions.csv"), cond);
        List<String> computeCsv = new ArrayList<>();
        computeCsv.add("strategy,runs," + String.join(",", COMPUTE_KEYS) + ",tokens_total");
        for (ComputePerArm.Row c : r.compute()) {
            StringBuilder line = new StringBuilder(c.strategy() + "," + c.runs());
            for (String k : COMPUTE_KEYS) {
                line.append(String.format(Locale.ROOT, ",%.1f", c.tokens().getOrDefault(k, 0.0)));
            }
            computeCsv.add(line.append(String.format(Locale.ROOT, ",%.1f", c.totalTokens())).toString());
        }
        AtomicFiles.writeLines(out.resolve("study-compute.csv"), computeCsv);
        forest(r, out.resolve("plots").resolve("study-forest.png"));

        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
                + "Confirmatory study</title></head><body style=\"font-family:sans-serif;max-width:1100px;margin:auto\">"
                + "\n<h1>Confirmatory study (" + r.protocol().name() + ")</h1>\n");
        GainRecovered.Comparison p = r.primary().comparison();
        html.append(String.format(Locale.ROOT, "<p><b>Primary: %s &minus; %s on <code>bpb.macro</code> at iteration"
                + " %d: %+.4f, 95%% interval [%+.4f, %+.4f], 90%% [%+.4f, %+.4f], margin &plusmn;%.4f (20%% of the"
                + " mean real-data gain %.4f); %d pairs, %d runs. Verdict: %s.</b></p>%n", p.a(), p.b(), r.iteration(),
                p.difference(), p.lower95(), p.upper95(), p.lower90(), p.upper90(), p.margin(), p.referenceGain(),
                p.pairs(), p.runs(), p.verdict() == GainRecovered.Verdict.INCONCLUSIVE ? "inconclusive"
                        : p.a() + " " + p.verdict().words()));
        html.append("<p><img src=\"plots/study-forest.png\" alt=\"primary difference per run\"></p>\n");
        html.append("<h2>Secondary comparisons (Holm over the " + r.secondary().size() + ")</h2>\n"
                + "<table border=\"1\" cellpadding=\"4\">"
                + "<tr><th>a &minus; b</th><th>difference</th><th>95% interval</th><th>p</th><th>p (Holm)</th>"
                + "<th>verdict</th></tr>\n");
        for (Tested t : r.secondary()) {
            GainRecovered.Comparison c = t.comparison();
            html.append(String.format(Locale.ROOT, "<tr><td>%s &minus; %s</td><td>%+.4f</td><td>[%+.4f, %+.4f]</td>"
                    + "<td>%s</td><td>%s</td><td>%s</td></tr>%n", c.a(), c.b(), c.difference(), c.lower95(),
                    c.upper95(), pValue(c.p()), pValue(t.pHolm()), c.verdict().words()));
        }
        html.append("</table>\n<h2>Fraction of the real-data gain recovered (all runs)</h2>\n<table border=\"1\""
                + " cellpadding=\"4\"><tr><th>arm</th><th>gain</th><th>recovered</th><th>95% interval</th></tr>\n");
        for (GainRecovered.Row g : r.gain()) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%+.4f</td><td>%.2f</td><td>[%.2f, %.2f]</td>"
                    + "</tr>%n", g.strategy(), g.gain(), g.ratio(), g.lower95(), g.upper95()));
        }
        html.append("</table>\n<h2>Calibration conditions per pair</h2>\n<p>(a) real-data gain &ge; 0.05; (b)"
                + " Generator 0 &ge; 0.10 bits per byte below Student 0 (iteration-0 records).</p>\n"
                + "<table border=\"1\" cellpadding=\"4\"><tr><th>pair</th><th>(a)</th><th>(b)</th></tr>\n");
        for (Conditions c : r.conditions()) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%+.4f%s</td><td>%.4f%s</td></tr>%n",
                    c.pair(), c.realGain(), c.realGain() >= 0.05 ? "" : " (fails)", c.generatorAdvantage(),
                    c.generatorAdvantage() >= 0.10 ? "" : " (fails)"));
        }
        html.append("</table>\n");
        if (!r.compute().isEmpty()) {
            Arms first = r.protocol().primary();
            double base = r.compute().stream().filter(c -> c.strategy().equals(first.b())).findFirst()
                    .map(ComputePerArm.Row::totalTokens).orElse(Double.NaN);
            html.append("<h2>Compute per arm (mean per run)</h2>\n<p>Forward and backward token positions of both"
                    + " roles, summed over the iterations; the declared comparisons are at these budgets, not at"
                    + " matched compute.</p>\n<table border=\"1\" cellpadding=\"4\"><tr><th>arm</th><th>runs</th>"
                    + "<th>token positions (M)</th><th>&times; " + first.b() + "</th></tr>\n");
            for (ComputePerArm.Row c : r.compute()) {
                html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.2f</td><td>%.2f</td></tr>%n",
                        c.strategy(), c.runs(), c.totalTokens() / 1e6, c.totalTokens() / base));
            }
            html.append("</table>\n");
        }
        html.append("<p>Files: <code>study-comparisons.csv</code>, <code>study-gain-recovered.csv</code>, "
                + "<code>study-conditions.csv</code>, <code>study-compute.csv</code>.</p>\n</body></html>\n");
        Path report = out.resolve("study.html");
        AtomicFiles.write(report, html.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return report;
    }

    private static void forest(Result r, Path file) throws IOException {
        Arms first = r.protocol().primary();
        GainRecovered.Comparison p = r.primary().comparison();
        ForestPlot.save(file, "forest: " + first.a() + " - " + first.b() + " on bpb.macro at iteration "
                + r.iteration(), "run (last: all runs)", 860, 340, "per run (95% over documents)",
                r.perRun().stream().map(d -> new ForestPlot.Estimate(d.difference(), d.lower95(), d.upper95()))
                        .toList(), "all runs (hierarchical 95%)",
                new ForestPlot.Estimate(p.difference(), p.lower95(), p.upper95()));
    }
}
