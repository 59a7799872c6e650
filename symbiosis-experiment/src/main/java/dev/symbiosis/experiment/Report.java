package dev.symbiosis.experiment;

import com.google.common.html.HtmlEscapers;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.IterationRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes {@code report.html} and one PNG plot per figure (evaluation, held-out perplexity, every diversity and
 * fidelity figure) against the iteration, one line per strategy, from the records of a run.
 */
public final class Report {

    private Report() {}

    /** One plotted figure: where its values come from. */
    private record Plotted(String group, String name, Function<IterationRecord, Double> value) {}

    /**
     * Writes the report into {@code dir} ({@code report.html}, {@code plots/*.png}).
     *
     * @return the path of report.html
     */
    public static Path write(Path dir, List<IterationRecord> records, String title, String preamble)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path plots = dir.resolve("plots");
        Files.createDirectories(plots);
        Map<String, List<IterationRecord>> byStrategy = new LinkedHashMap<>();
        for (IterationRecord r : records) {
            byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r);
        }
        List<Plotted> figures = figures(records);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}th{background:#eee}img{width:520px}"
                        + ".plots{display:flex;flex-wrap:wrap;gap:8px}</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n").append(preamble).append('\n');

        html.append("<h2>Final iteration</h2>\n<table><tr><th>figure</th>");
        for (String s : byStrategy.keySet()) {
            html.append("<th>").append(esc(s)).append("</th>");
        }
        html.append("</tr>\n");
        for (Plotted f : figures) {
            html.append("<tr><td style=\"text-align:left\">").append(esc(f.group + " " + f.name)).append("</td>");
            for (List<IterationRecord> rs : byStrategy.values()) {
                IterationRecord last = rs.get(rs.size() - 1);
                Double v = f.value.apply(last);
                html.append("<td>").append(v == null ? "" : format(v)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n").append(matchingNote(records));

        String group = null;
        for (Plotted f : figures) {
            if (!f.group.equals(group)) {
                if (group != null) {
                    html.append("</div>\n");
                }
                group = f.group;
                html.append("<h2>").append(esc(group)).append("</h2>\n<div class=\"plots\">\n");
            }
            String file = (f.group + "-" + f.name).replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
            XYChart chart = chart(f.name);
            boolean any = false;
            for (Map.Entry<String, List<IterationRecord>> e : byStrategy.entrySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (IterationRecord r : e.getValue()) {
                    Double v = f.value.apply(r);
                    if (v != null && Double.isFinite(v)) {
                        xs.add((double) r.iteration());
                        ys.add(v);
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(e.getKey(), xs, ys);
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            BitmapEncoder.saveBitmap(chart, plots.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
            html.append("<img src=\"plots/").append(file).append("\" alt=\"").append(esc(f.name)).append("\">\n");
        }
        if (group != null) {
            html.append("</div>\n");
        }
        html.append("<h2>Every record</h2>\n<p>See <code>results.jsonl</code> (deterministic) and "
                + "<code>timings.jsonl</code>; synthetic data and hard examples per iteration are in each "
                + "strategy's folder.</p>\n</body></html>\n");
        Path out = dir.resolve("report.html");
        AtomicFiles.write(out, html.toString().getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static List<Plotted> figures(List<IterationRecord> records) {
        SortedSet<String> eval = new TreeSet<>();
        SortedSet<String> synth = new TreeSet<>();
        for (IterationRecord r : records) {
            eval.addAll(r.evaluation().keySet());
            synth.addAll(r.synthetic().keySet());
        }
        List<Plotted> out = new ArrayList<>();
        for (String k : eval) {
            out.add(new Plotted("evaluation", k, r -> r.evaluation().get(k)));
        }
        out.add(new Plotted("training", "student_loss", r -> r.studentTraining().steps() == 0 ? null
                : r.studentTraining().meanLoss()));
        out.add(new Plotted("training", "real_share", r -> r.iteration() == 0 ? null : r.realShare()));
        // masked-context teaching only (no plot for runs without it: a plot needs a value)
        out.add(new Plotted("training", "real_context_tokens", r -> r.realContextTokens() == null ? null
                : r.realContextTokens().doubleValue()));
        out.add(new Plotted("feedback", "hard_mean_entropy", r -> r.feedback() == null ? null
                : r.feedback().hardMeanEntropy()));
        out.add(new Plotted("feedback", "pool_mean_entropy", r -> r.feedback() == null ? null
                : r.feedback().poolMeanEntropy()));
        for (String k : synth) {
            out.add(new Plotted("data", k, r -> r.synthetic().get(k)));
        }
        return out;
    }

    // ---- the aggregate over run seeds ----

    private static final String STYLE = "<style>body{font-family:sans-serif;max-width:1200px;margin:auto}"
            + "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:right}th{background:#eee}td.l{text-align:left}small{color:#555}img{width:520px}"
            + ".plots{display:flex;flex-wrap:wrap;gap:8px}.win{background:#e4f4e4}.loss{background:#f8e0e0}</style>";

    /**
     * Writes the report of an experiment over its run seeds into {@code dir}: {@code report.html} with the final
     * iteration's means and 95% intervals, the paired tests (final iteration and per iteration), the ablations
     * against full Symbiosis, the feedback analytics, and {@code plots/*.png} with the mean of every figure per
     * iteration and its 95% interval as error bars.
     *
     * @return the path of report.html
     */
    public static Path writeAggregate(Path dir, SeedStatistics stats, String title, String preamble) throws IOException {
        return writeAggregate(dir, stats, List.of(), title, preamble);
    }

    /**
     * How the like-with-like figures were matched, from the records themselves: the count and length of the
     * matched samples ({@code matched.texts}, {@code matched.length}), the (strategy, iteration) sets too small to
     * be matched, and the domains of the domain-matched fidelity; empty when no record has such figures.
     */
    static String matchingNote(List<IterationRecord> records) {
        SortedSet<String> counts = new TreeSet<>();
        SortedSet<String> lengths = new TreeSet<>();
        List<String> unmatched = new ArrayList<>();
        SortedSet<String> domains = new TreeSet<>();
        boolean real = false;
        for (IterationRecord r : records) {
            Map<String, Double> f = r.synthetic();
            Double n = f.get("matched.texts");
            if (n != null) {
                counts.add(Long.toString(n.longValue()));
                lengths.add(Long.toString(f.get("matched.length").longValue()));
                if (f.keySet().stream().noneMatch(k -> k.startsWith("matched.lexical."))) {
                    unmatched.add(r.strategy() + " " + r.iteration() + " ("
                            + f.get("matched.eligible_texts").longValue() + ")");
                }
                real |= f.keySet().stream().anyMatch(k -> k.startsWith("real.matched."));
            }
            for (String k : f.keySet()) {
                if (k.startsWith("fidelity.bpb.") && !k.equals("fidelity.bpb.domain_macro")) {
                    domains.add(k.substring("fidelity.bpb.".length()));
                }
            }
        }
        StringBuilder p = new StringBuilder();
        if (!counts.isEmpty()) {
            p.append("<p><b>Matching.</b> <code>matched.*</code>: every measured set on ")
                    .append(String.join(" / ", counts)).append(" texts, drawn without replacement (seeded) from its "
                    + "texts of at least ").append(String.join(" / ", lengths)).append(" code points, each cut to "
                    + "its first ").append(String.join(" / ", lengths)).append(" code points");
            p.append(real ? "; <code>real.matched.*</code>: real held-out text (the fidelity split) by the same route"
                    : "").append(". ");
            p.append(unmatched.isEmpty() ? "Every set had enough such texts."
                    : "Too few such texts (eligible count), so no matched figures: " + esc(String.join(", ",
                            unmatched)) + ".");
            p.append("</p>\n");
        }
        if (!domains.isEmpty()) {
            p.append("<p><b>Domain-matched fidelity.</b> <code>fidelity.bpb.&lt;domain&gt;</code>: bits per byte "
                    + "under the reference model of the texts made for a domain (from its hard examples or its "
                    + "topics), beside <code>fidelity.real_bpb.&lt;domain&gt;</code> of that domain's real "
                    + "held-out text; <code>*.domain_macro</code> weights every domain equally. Domains: ")
                    .append(esc(String.join(", ", domains))).append(".</p>\n");
        }
        return p.toString();
    }

    /** The primary comparison of the confirmatory protocol (docs/protocol.md): a - b on {@code bpb.macro}. */
    static final String[] PRIMARY = {"symbiosis", "static-synthetic"};

    /**
     * As {@link #writeAggregate(Path, SeedStatistics, String, String)}, leading with what a reader came for: a few
     * findings generated from the numbers, the headline plot ({@code bpb.macro} per iteration), the preamble (the
     * runner puts the gain-recovered table there), and the primary comparison with a per-run forest plot of its
     * difference (from {@code runs}' records); the every-figure tables and per-iteration tests follow, folded, and
     * figures constant over every arm and iteration are listed in one line instead of plotted.
     */
    public static Path writeAggregate(Path dir, SeedStatistics stats, List<SeedStatistics.SeedRun> runs,
            String title, String preamble) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path plots = dir.resolve("plots");
        Files.createDirectories(plots);
        int seeds = stats.seeds().size();
        int last = stats.iterations();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>").append(STYLE).append("</head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n");
        GainRecovered.Comparison tost = primaryComparison(dir, stats, runs);
        findings(html, stats, tost);
        if (bandPlot(stats, "evaluation", HeldOutEvaluator.BPB_MACRO.name(), plots.resolve("headline-bpb.macro.png"))) {
            html.append("<p><img src=\"plots/headline-bpb.macro.png\" alt=\"bpb.macro per iteration\"></p>\n");
        }
        html.append(preamble).append('\n');
        primary(html, stats, runs, plots, tost);
        html.append("<p>Run seeds ").append(esc(stats.seeds().toString())).append(seeds > 1
                ? ": every figure is the mean over the seeds with its 95% Student-t interval in brackets."
                : ": one seed, so figures have no interval over seeds; the paired tests resample evaluation items.")
                .append(" Statistics: <code>stats.json</code>, <code>stats-figures.csv</code>, "
                        + "<code>stats-paired.csv</code>.</p>\n");
        for (String w : stats.warnings()) {
            html.append("<p><b>Warning:</b> ").append(esc(w)).append("</p>\n");
        }

        // final iteration table
        html.append("<details><summary><b>Every figure at the final iteration (").append(last)
                .append(")</b></summary>\n<table><tr><th>figure</th>");
        for (String s : stats.strategies()) {
            html.append("<th>").append(esc(s)).append("</th>");
        }
        html.append("</tr>\n");
        for (String[] gf : groupFigures(stats)) {
            if (!Set.of("evaluation", "data", "training").contains(gf[0])) {
                continue;
            }
            html.append("<tr><td class=\"l\">").append(esc(gf[0] + " " + gf[1])).append("</td>");
            for (String s : stats.strategies()) {
                SeedStatistics.FigureSummary f = stats.summary(gf[0], gf[1], s, last).orElse(null);
                html.append("<td>").append(f == null ? "" : meanCell(f)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table></details>\n");
        List<IterationRecord> all = new ArrayList<>();
        runs.forEach(r -> all.addAll(r.records()));
        html.append(matchingNote(all));

        // paired tests, final iteration
        html.append("<details><summary><b>Paired tests at the final iteration (every pair)</b></summary>\n"
                + "<p>Difference a &minus; b of each item's "
                + "contribution to the figure (the mean difference is the difference of the figures), averaged over"
                + " run seeds and items; 95% interval and p-value from a bootstrap that resamples seeds and items; "
                + "p (perm.): sign-flip permutation test on per-item differences averaged over seeds (it takes these "
                + "seeds as given, so it is smaller than the bootstrap p when seeds disagree: read the bootstrap for "
                + "claims about the methods); p (Holm): the "
                + "bootstrap p adjusted over all pairs of the figure; d<sub>z</sub>: mean over standard deviation "
                + "of the per-item differences. Green: the interval excludes 0 (the named strategy is better). "
                + "bpb: lower is better; accuracy: higher is better.</p>\n");
        for (String figure : SeedStatistics.PAIRED_FIGURES.stream().map(dev.symbiosis.core.loop.Figure::name).toList()) {
            List<SeedStatistics.PairedComparison> rows = stats.paired().stream()
                    .filter(c -> c.figure().equals(figure) && c.last()).toList();
            if (rows.isEmpty()) {
                continue;
            }
            html.append("<h3>").append(esc(figure)).append(" (").append(rows.get(0).items()).append(" items x ")
                    .append(rows.get(0).seeds()).append(" seeds)</h3>\n");
            pairedTable(html, rows, false);
        }
        html.append("</details>\n");

        // ablations
        // issue 17's arms (symbiosis-<component>, symbiosis+<component>+...) are compared with symbiosis the same way
        List<String> ablations = stats.strategies().stream()
                .filter(s -> s.startsWith("symbiosis-") || s.startsWith("symbiosis+")).toList();
        html.append("<h2>Ablations: which component carries the effect</h2>\n");
        if (!stats.strategies().contains("symbiosis") || ablations.isEmpty()) {
            html.append("<p>This run has no ablation of Symbiosis (strategies named <code>symbiosis-...</code>) next"
                    + " to <code>symbiosis</code>.</p>\n");
        } else {
            html.append("<p>Each ablation changes one component of Symbiosis. Difference ablation &minus; symbiosis"
                    + " at the final iteration: for bpb a positive difference (accuracy: negative) means the "
                    + "ablation is worse, so the component it removes helps; an interval holding 0 means this run "
                    + "cannot tell the component's effect from noise.</p>\n");
            for (String figure : SeedStatistics.PAIRED_FIGURES.stream().map(dev.symbiosis.core.loop.Figure::name).toList()) {
                List<SeedStatistics.PairedComparison> rows = new ArrayList<>();
                for (String a : ablations) {
                    stats.paired().stream().filter(c -> c.figure().equals(figure) && c.last()
                            && (c.a().equals(a) && c.b().equals("symbiosis")
                            || c.a().equals("symbiosis") && c.b().equals(a)))
                            .findFirst().map(c -> c.a().equals(a) ? c : c.flipped()).ifPresent(rows::add);
                }
                if (!rows.isEmpty()) {
                    html.append("<h3>").append(esc(figure)).append("</h3>\n");
                    pairedTable(html, rows, false);
                }
            }
        }

        // per iteration
        html.append("<h2>Paired tests per iteration</h2>\n");
        for (String figure : SeedStatistics.PAIRED_FIGURES.stream().map(dev.symbiosis.core.loop.Figure::name).toList()) {
            List<SeedStatistics.PairedComparison> rows = stats.paired().stream()
                    .filter(c -> c.figure().equals(figure)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            html.append("<details").append(figure.equals(SeedStatistics.PAIRED_FIGURES.get(0).name()) ? " open" : "")
                    .append("><summary>").append(esc(figure)).append("</summary>\n");
            pairedTable(html, rows, true);
            html.append("</details>\n");
        }

        // plots per group; the maps of the analytics (per earlier iteration, domain, topic) become tables;
        // figures with one value over every arm and iteration are listed in one line instead of plotted
        List<String> constant = new ArrayList<>();
        String group = null;
        for (String[] gf : groupFigures(stats)) {
            java.util.OptionalDouble only = constantValue(stats, gf[0], gf[1]);
            if (only.isPresent()) {
                constant.add(gf[0] + " " + gf[1] + " = " + format(only.getAsDouble()));
                continue;
            }
            boolean standard = Set.of("evaluation", "data", "training", "feedback").contains(gf[0]);
            if (!standard && gf[1].contains(".")) {
                continue;
            }
            if (!gf[0].equals(group)) {
                if (group != null) {
                    html.append("</div>\n");
                }
                group = gf[0];
                html.append("<h2>").append(esc(groupTitle(group))).append("</h2>\n");
                if (group.equals("feedback")) {
                    html.append("<p>Step C's figures per iteration for the strategies that mine feedback: the "
                            + "examined pool and the hard examples (mean entropy and log-likelihood under the Student)."
                            + "</p>\n");
                }
                if (!standard) {
                    analyticsTables(html, stats, group);
                }
                html.append("<div class=\"plots\">\n");
            }
            String file = (gf[0] + "-" + gf[1]).replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
            if (bandPlot(stats, gf[0], gf[1], plots.resolve(file))) {
                html.append("<img src=\"plots/").append(file).append("\" alt=\"").append(esc(gf[1])).append("\">\n");
            }
        }
        if (group != null) {
            html.append("</div>\n");
        }
        if (!constant.isEmpty()) {
            html.append("<p>Constant over every arm and iteration (not plotted): ")
                    .append(esc(String.join("; ", constant))).append(".</p>\n");
        }
        html.append("<h2>Every record</h2>\n<p>Each run seed's folder holds <code>results.jsonl</code>, "
                + "<code>timings.jsonl</code>, per-item evaluation results (<code>&lt;strategy&gt;/iter-&lt;t&gt;/"
                + "items.jsonl</code>), the synthetic data and hard examples.</p>\n</body></html>\n");
        Path out = dir.resolve("report.html");
        AtomicFiles.write(out, html.toString().getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** The one mean a figure has over every strategy and iteration, or empty when it varies (or has one point). */
    static java.util.OptionalDouble constantValue(SeedStatistics stats, String group, String figure) {
        Double value = null;
        int points = 0;
        for (SeedStatistics.FigureSummary f : stats.figures()) {
            if (f.group().equals(group) && f.figure().equals(figure)) {
                points++;
                if (value == null) {
                    value = f.mean();
                } else if (Double.compare(value, f.mean()) != 0) {
                    return java.util.OptionalDouble.empty();
                }
            }
        }
        return value == null || points < 2 ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(value);
    }

    /** A few sentences generated from the numbers: what each arm did to the Student, and the primary result. */
    static void findings(StringBuilder html, SeedStatistics stats, GainRecovered.@Nullable Comparison tost) {
        String bpb = HeldOutEvaluator.BPB_MACRO.name();
        int last = stats.iterations();
        List<String> out = new ArrayList<>();
        for (String s : stats.strategies()) {
            var first = stats.summary("evaluation", bpb, s, 0);
            var end = stats.summary("evaluation", bpb, s, last);
            if (first.isPresent() && end.isPresent()) {
                double change = end.get().mean() - first.get().mean();
                out.add(String.format(Locale.ROOT, "<code>%s</code> %s the Student's held-out bits per byte by %.4f "
                        + "(%.4f &rarr; %.4f) over %d iterations", esc(s), change <= 0 ? "lowered" : "raised",
                        Math.abs(change), first.get().mean(), end.get().mean(), last));
            }
        }
        if (tost != null) {
            out.add(String.format(Locale.ROOT, "primary comparison (docs/protocol.md), %s &minus; %s on %s at the "
                    + "last iteration: %s, 95%% interval [%s, %s], %s: <b>%s</b>", PRIMARY[0], PRIMARY[1], bpb,
                    format(tost.difference()), format(tost.lower95()), format(tost.upper95()), marginWords(tost),
                    esc(verdictSentence(tost))));
        }
        stats.paired(HeldOutEvaluator.BPB_MACRO, PRIMARY[0], PRIMARY[1], last).filter(c -> tost == null)
                .ifPresent(c -> out.add(
                String.format(Locale.ROOT, "primary comparison (docs/protocol.md), %s &minus; %s on %s at the last "
                        + "iteration: %+.4f [%+.4f, %+.4f], %s", PRIMARY[0], PRIMARY[1], bpb, c.meanDifference(),
                        c.lower95(), c.upper95(), c.upper95() < 0 ? "<b>" + PRIMARY[0] + " better</b>"
                                : c.lower95() > 0 ? "<b>" + PRIMARY[0] + " worse</b>"
                                : "<b>inconclusive</b> (the interval holds 0)")));
        if (out.isEmpty()) {
            return;
        }
        html.append("<h2>Findings</h2>\n<ul>\n");
        for (String o : out) {
            html.append("<li>").append(o).append(".</li>\n");
        }
        html.append("</ul>\n");
    }

    /** Seed of the primary comparison's bootstrap (fixed: the report is deterministic). */
    static final long PRIMARY_BOOTSTRAP_SEED = 16;
    /** File of the primary comparison's difference, intervals, margin and verdict in the output folder. */
    public static final String PRIMARY_FILE = "primary-comparison.csv";

    /**
     * The protocol's primary comparison ({@link GainRecovered#compare}: the runs of this experiment are one
     * pretrained pair), written to {@value #PRIMARY_FILE}; null when a run lacks either arm or the real-data arm
     * (no margin without it).
     */
    private static GainRecovered.@Nullable Comparison primaryComparison(Path dir, SeedStatistics stats,
            List<SeedStatistics.SeedRun> runs) throws IOException {
        if (runs.isEmpty() || !stats.strategies().containsAll(List.of(PRIMARY[0], PRIMARY[1],
                GainRecovered.REFERENCE))) {
            return null;
        }
        GainRecovered.Comparison c;
        try {
            c = GainRecovered.compare(List.of(runs.stream().map(SeedStatistics.SeedRun::dir).toList()), PRIMARY[0],
                    PRIMARY[1], stats.iterations(), PRIMARY_BOOTSTRAP_SEED);
        } catch (IllegalArgumentException e) {
            return null;
        }
        AtomicFiles.writeLines(dir.resolve(PRIMARY_FILE), List.of(
                "a,b,iteration,pairs,runs,difference,lower95,upper95,lower90,upper90,real_gain,margin,verdict",
                String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%s", c.a(), c.b(),
                        c.iteration(), c.pairs(), c.runs(), c.difference(), c.lower95(), c.upper95(), c.lower90(),
                        c.upper90(), c.referenceGain(), c.margin(), c.verdict().words())));
        return c;
    }

    /** The margin, or why there is none (a real-data arm that did not lower the bits per byte). */
    private static String marginWords(GainRecovered.Comparison c) {
        return c.margin() > 0 ? "equivalence margin &plusmn;" + format(c.margin()) + " (" + Math.round(100
                * GainRecovered.MARGIN_FRACTION) + "% of the mean real-data gain " + format(c.referenceGain()) + ")"
                : "no equivalence margin (the real-data arm did not lower the bits per byte: mean gain "
                        + format(c.referenceGain()) + "), so equivalence cannot be declared";
    }

    /** "symbiosis better", "... worse", "... equivalent within the margin" or "inconclusive". */
    private static String verdictSentence(GainRecovered.Comparison c) {
        return c.verdict() == GainRecovered.Verdict.INCONCLUSIVE ? "inconclusive"
                : c.a() + " " + c.verdict().words();
    }

    /** The primary comparison: its paired test and a forest plot of the per-run differences. */
    private static void primary(StringBuilder html, SeedStatistics stats, List<SeedStatistics.SeedRun> runs,
            Path plots, GainRecovered.@Nullable Comparison tost) throws IOException {
        int last = stats.iterations();
        var c = stats.paired(HeldOutEvaluator.BPB_MACRO, PRIMARY[0], PRIMARY[1], last);
        if (c.isEmpty()) {
            return;
        }
        html.append("<h2>Primary comparison: ").append(PRIMARY[0]).append(" &minus; ").append(PRIMARY[1])
                .append("</h2>\n");
        if (tost != null) {
            html.append(String.format(Locale.ROOT, "<p><b>Verdict: %s.</b> Difference %s &minus; %s of "
                    + "<code>bpb.macro</code> at iteration %d: %s (below 0: %s better); 95%% interval [%s, %s], 90%% "
                    + "interval [%s, %s] (hierarchical bootstrap, %d resamples: pairs, their runs, documents within "
                    + "domains; %d pair(s), %d run(s)); %s. Rule (docs/protocol.md): better if the 95%% interval lies "
                    + "below 0, worse if above 0, equivalent if the 90%% interval lies inside the margin (TOST, alpha "
                    + "0.05), otherwise inconclusive. File: <code>%s</code>.</p>%n", esc(verdictSentence(tost)),
                    PRIMARY[0], PRIMARY[1], tost.iteration(), format(tost.difference()), PRIMARY[0],
                    format(tost.lower95()), format(tost.upper95()), format(tost.lower90()), format(tost.upper90()),
                    GainRecovered.COMPARISON_RESAMPLES, tost.pairs(), tost.runs(), marginWords(tost), PRIMARY_FILE));
        } else {
            html.append("<p>No equivalence test: it needs the <code>").append(GainRecovered.REFERENCE)
                    .append("</code> arm's records (its gain sets the margin).</p>\n");
        }
        pairedTable(html, List.of(c.get()), false);
        String bpb = HeldOutEvaluator.BPB_MACRO.name();
        List<double[]> perRun = new ArrayList<>();
        for (SeedStatistics.SeedRun r : runs) {
            Double a = null;
            Double b = null;
            for (IterationRecord rec : r.records()) {
                if (rec.iteration() == last && rec.strategy().equals(PRIMARY[0])) {
                    a = rec.evaluation().get(bpb);
                } else if (rec.iteration() == last && rec.strategy().equals(PRIMARY[1])) {
                    b = rec.evaluation().get(bpb);
                }
            }
            if (a != null && b != null) {
                perRun.add(new double[] {r.seed(), a - b});
            }
        }
        if (perRun.isEmpty()) {
            return;
        }
        var mean = c.get();
        ForestPlot.save(plots.resolve("primary-forest.png"), "forest: " + PRIMARY[0] + " - " + PRIMARY[1]
                + " on bpb.macro at iteration " + last, "run (last: mean, 95% interval)", 640, 300, "per run",
                perRun.stream().map(d -> ForestPlot.Estimate.of(d[1])).toList(), "mean",
                new ForestPlot.Estimate(mean.meanDifference(), mean.lower95(), mean.upper95()));
        html.append("<p><img src=\"plots/primary-forest.png\" alt=\"per-run differences\"> Runs (seeds): ")
                .append(esc(perRun.stream().map(d -> Long.toString((long) d[0])).toList().toString()))
                .append(".</p>\n");
    }

    /**
     * The map-valued analytics of {@code group} as tables of means over seeds: {@code hardSetLoss} (the Student's
     * loss on each earlier iteration's hard set, per iteration, next to its loss when mined) and every share map
     * (rows: the keys with the largest shares; columns: strategies; at iteration 1 and at the last iteration).
     */
    private static void analyticsTables(StringBuilder html, SeedStatistics stats, String group) {
        int last = stats.iterations();
        SortedSet<String> maps = new TreeSet<>();
        for (SeedStatistics.FigureSummary f : stats.figures()) {
            if (f.group().equals(group) && f.figure().contains(".")) {
                maps.add(f.figure().substring(0, f.figure().indexOf('.')));
            }
        }
        for (String map : maps) {
            SortedSet<String> keys = new TreeSet<>();
            Set<String> strategies = new java.util.LinkedHashSet<>();
            for (SeedStatistics.FigureSummary f : stats.figures()) {
                if (f.group().equals(group) && f.figure().startsWith(map + ".")) {
                    keys.add(f.figure().substring(map.length() + 1));
                    strategies.add(f.strategy());
                }
            }
            List<String> ordered = stats.strategies().stream().filter(strategies::contains).toList();
            if (map.equals("hardSetLoss")) {
                html.append("<h3>Loss on earlier hard sets (hardSetLoss): did the teaching fix them?</h3>\n<p>Rows: "
                        + "the iteration whose hard examples are scored; \"mined\": their loss when they were mined "
                        + "(&minus;hardMeanLogProb of that iteration); then the Student's loss on them after each later"
                        + " iteration (nats per token, mean over seeds). Falling values mean they got easier.</p>\n");
                for (String s : ordered) {
                    html.append("<p><b>").append(esc(s)).append("</b></p><table><tr><th>hard set of</th>"
                            + "<th>mined</th>");
                    for (int t = 2; t <= last; t++) {
                        html.append("<th>after t=").append(t).append("</th>");
                    }
                    html.append("</tr>\n");
                    for (String k : keys.stream().sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                            .toList()) {
                        int from = Integer.parseInt(k);
                        SeedStatistics.FigureSummary mined = stats.summary("feedback", "hardMeanLogProb", s, from).orElse(null);
                        html.append("<tr><td>t=").append(k).append("</td><td>")
                                .append(mined == null ? "" : format(-mined.mean())).append("</td>");
                        for (int t = 2; t <= last; t++) {
                            SeedStatistics.FigureSummary f = stats.summary(group, map + "." + k, s, t).orElse(null);
                            html.append("<td>").append(f == null ? "" : format(f.mean())).append("</td>");
                        }
                        html.append("</tr>\n");
                    }
                    html.append("</table>\n");
                }
                continue;
            }
            // the keys with the largest mean share at the last iteration, at most 12
            List<String> top = keys.stream().sorted(java.util.Comparator.comparingDouble((String k) -> {
                double sum = 0;
                for (String s : ordered) {
                    SeedStatistics.FigureSummary f = stats.summary(group, map + "." + k, s, last).orElse(null);
                    sum += f == null ? 0 : f.mean();
                }
                return -sum;
            }).thenComparing(k -> k)).limit(12).toList();
            html.append("<h3>").append(esc(map)).append("</h3>\n<p>Share per key (0 where the key is absent), mean "
                    + "over seeds, at iteration 1 -&gt; iteration ").append(last).append(keys.size() > top.size() ? " (the " + top.size()
                    + " largest of " + keys.size() + " keys)" : "").append(".</p>\n<table><tr><th>key</th>");
            for (String s : ordered) {
                html.append("<th>").append(esc(s)).append("</th>");
            }
            html.append("</tr>\n");
            for (String k : top) {
                html.append("<tr><td class=\"l\">").append(esc(k)).append("</td>");
                for (String s : ordered) {
                    SeedStatistics.FigureSummary first = stats.summary(group, map + "." + k, s, 1).orElse(null);
                    SeedStatistics.FigureSummary end = stats.summary(group, map + "." + k, s, last).orElse(null);
                    html.append("<td>").append(first == null ? "-" : String.format(Locale.ROOT, "%.3f", first.mean()))
                            .append(" -&gt; ").append(end == null ? "-" : String.format(Locale.ROOT, "%.3f",
                                    end.mean())).append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }
    }

    private static String groupTitle(String group) {
        return switch (group) {
            case "evaluation" -> "Evaluation (held-out)";
            case "data" -> "Measured training data (diversity, fidelity)";
            case "training" -> "Training";
            case "analytics" -> "Feedback analytics";
            case "feedback" -> "Step C (feedback mining)";
            default -> "Other figures: " + group;
        };
    }

    /** (group, figure) pairs in report order: evaluation, data, training, feedback, then any other group. */
    private static List<String[]> groupFigures(SeedStatistics stats) {
        List<String> order = List.of("evaluation", "data", "training", "feedback");
        SortedSet<String> keys = new TreeSet<>((x, y) -> {
            String gx = x.substring(0, x.indexOf('/'));
            String gy = y.substring(0, y.indexOf('/'));
            int ix = order.contains(gx) ? order.indexOf(gx) : order.size();
            int iy = order.contains(gy) ? order.indexOf(gy) : order.size();
            return ix != iy ? Integer.compare(ix, iy) : x.compareTo(y);
        });
        for (SeedStatistics.FigureSummary f : stats.figures()) {
            keys.add(f.group() + "/" + f.figure());
        }
        List<String[]> out = new ArrayList<>();
        for (String k : keys) {
            int slash = k.indexOf('/');
            out.add(new String[] {k.substring(0, slash), k.substring(slash + 1)});
        }
        return out;
    }

    private static void pairedTable(StringBuilder html, List<SeedStatistics.PairedComparison> rows,
            boolean withIteration) {
        html.append("<table><tr>").append(withIteration ? "<th>iteration</th>" : "")
                .append("<th>a</th><th>b</th><th>a &minus; b</th><th>95% interval</th><th>p (bootstrap)</th>"
                        + "<th>p (perm.)</th><th>p (Holm)</th><th>d<sub>z</sub></th><th>better</th></tr>\n");
        for (SeedStatistics.PairedComparison c : rows) {
            String better = c.better().orElse(null);
            html.append("<tr").append(better == null ? "" : " class=\"win\"").append(">")
                    .append(withIteration ? "<td>" + c.iteration() + "</td>" : "")
                    .append("<td class=\"l\">").append(esc(c.a())).append("</td><td class=\"l\">")
                    .append(esc(c.b())).append("</td><td>").append(format(c.meanDifference())).append("</td><td>[")
                    .append(format(c.lower95())).append(", ").append(format(c.upper95())).append("]</td><td>")
                    .append(p(c.pBootstrap())).append("</td><td>").append(p(c.pPermutation())).append("</td><td>")
                    .append(p(c.pHolm())).append("</td><td>").append(String.format(Locale.ROOT, "%.2f", c.dz()))
                    .append("</td><td class=\"l\">").append(better == null ? "" : esc(better))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String p(double v) {
        return Double.isNaN(v) ? "" : v < 1e-3 ? String.format(Locale.ROOT, "%.1e", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String meanCell(SeedStatistics.FigureSummary f) {
        if (Double.isNaN(f.lower95())) {
            return format(f.mean());
        }
        return format(f.mean()) + "<br><small>[" + format(f.lower95()) + ", " + format(f.upper95()) + "]</small>";
    }

    /**
     * Ten well-separated colours (Tableau 10) and five marker shapes: with ten strategies, XChart's default theme
     * repeats near-identical yellows.
     */
    private static final java.awt.Color[] SERIES_COLORS = {
        new java.awt.Color(0x4E79A7), new java.awt.Color(0xF28E2B), new java.awt.Color(0xE15759),
        new java.awt.Color(0x76B7B2), new java.awt.Color(0x59A14F), new java.awt.Color(0xEDC948),
        new java.awt.Color(0xB07AA1), new java.awt.Color(0xFF9DA7), new java.awt.Color(0x9C755F),
        new java.awt.Color(0x6B6B6B)};

    private static XYChart chart(String figure) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(figure).xAxisTitle("iteration")
                .yAxisTitle(figure).build();
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setSeriesColors(SERIES_COLORS);
        chart.getStyler().setSeriesMarkers(new org.knowm.xchart.style.markers.Marker[] {SeriesMarkers.CIRCLE,
            SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN});
        return chart;
    }

    /** Mean per iteration with the 95% interval as error bars, one series per strategy; false if nothing to plot. */
    private static boolean bandPlot(SeedStatistics stats, String group, String figure, Path file) throws IOException {
        XYChart chart = chart(figure);
        boolean any = false;
        int k = 0;
        for (String s : stats.strategies()) {
            List<SeedStatistics.FigureSummary> points = stats.figures().stream()
                    .filter(f -> f.group().equals(group) && f.figure().equals(figure) && f.strategy().equals(s))
                    .sorted(java.util.Comparator.comparingInt(SeedStatistics.FigureSummary::iteration)).toList();
            k++;
            if (points.isEmpty()) {
                continue;
            }
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            double[] err = new double[points.size()];
            boolean bars = false;
            for (int i = 0; i < points.size(); i++) {
                SeedStatistics.FigureSummary f = points.get(i);
                // a small offset per strategy keeps the error bars apart
                xs[i] = f.iteration() + 0.04 * (k - (stats.strategies().size() + 1) / 2.0);
                ys[i] = f.mean();
                err[i] = Double.isNaN(f.upper95()) ? 0 : (f.upper95() - f.lower95()) / 2;
                bars |= err[i] > 0;
            }
            if (bars) {
                chart.addSeries(s, xs, ys, err);
            } else {
                chart.addSeries(s, xs, ys);
            }
            any = true;
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        return any;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String esc(String s) {
        return HtmlEscapers.htmlEscaper().escape(s);
    }
}
