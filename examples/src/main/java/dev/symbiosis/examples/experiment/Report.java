package dev.symbiosis.examples.experiment;

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
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
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
    private record Figure(String group, String name, Function<IterationRecord, Double> value) {}

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
        List<Figure> figures = figures(records);
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
        for (Figure f : figures) {
            html.append("<tr><td style=\"text-align:left\">").append(esc(f.group + " " + f.name)).append("</td>");
            for (List<IterationRecord> rs : byStrategy.values()) {
                IterationRecord last = rs.get(rs.size() - 1);
                Double v = f.value.apply(last);
                html.append("<td>").append(v == null ? "" : format(v)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");

        String group = null;
        for (Figure f : figures) {
            if (!f.group.equals(group)) {
                if (group != null) {
                    html.append("</div>\n");
                }
                group = f.group;
                html.append("<h2>").append(esc(group)).append("</h2>\n<div class=\"plots\">\n");
            }
            String file = (f.group + "-" + f.name).replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
            XYChart chart = new XYChartBuilder().width(640).height(400).title(f.name).xAxisTitle("iteration")
                    .yAxisTitle(f.name).build();
            chart.getStyler().setMarkerSize(6);
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
                    chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
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

    private static List<Figure> figures(List<IterationRecord> records) {
        SortedSet<String> eval = new TreeSet<>();
        SortedSet<String> synth = new TreeSet<>();
        for (IterationRecord r : records) {
            eval.addAll(r.evaluation().keySet());
            synth.addAll(r.synthetic().keySet());
        }
        List<Figure> out = new ArrayList<>();
        for (String k : eval) {
            out.add(new Figure("evaluation", k, r -> r.evaluation().get(k)));
        }
        out.add(new Figure("training", "student_loss", r -> r.studentTraining().steps() == 0 ? null
                : r.studentTraining().meanLoss()));
        out.add(new Figure("training", "real_share", r -> r.iteration() == 0 ? null : r.realShare()));
        out.add(new Figure("feedback", "hard_mean_entropy", r -> r.feedback() == null ? null
                : r.feedback().hardMeanEntropy()));
        out.add(new Figure("feedback", "pool_mean_entropy", r -> r.feedback() == null ? null
                : r.feedback().poolMeanEntropy()));
        for (String k : synth) {
            out.add(new Figure("data", k, r -> r.synthetic().get(k)));
        }
        return out;
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
