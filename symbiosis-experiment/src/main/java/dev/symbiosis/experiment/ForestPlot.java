package dev.symbiosis.experiment;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A forest plot of one paired difference, shared by the experiment report and the study report: one point per run
 * (x = 1..n) with its interval where it has one, the pooled estimate as a diamond with its interval at x = n + 1, and
 * the zero line. Runs are drawn as points, not joined: they are not a sequence. Intervals are drawn from their lower
 * to their upper bound as given, because bootstrap intervals need not be symmetric about the estimate.
 */
final class ForestPlot {
    private static final Color RUN = new Color(31, 119, 180);
    private static final Color POOLED = new Color(214, 39, 40);

    private ForestPlot() {
    }

    /** An estimate and its interval; {@code lower} and {@code upper} are NaN when there is no interval. */
    record Estimate(double value, double lower, double upper) {
        Estimate {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("estimate must be finite, got " + value);
            }
            if (Double.isNaN(lower) != Double.isNaN(upper) || lower > upper) {
                throw new IllegalArgumentException("interval [" + lower + ", " + upper + "] is not an interval");
            }
        }

        /** A point estimate without an interval. */
        static Estimate of(double value) {
            return new Estimate(value, Double.NaN, Double.NaN);
        }

        boolean hasInterval() {
            return !Double.isNaN(lower);
        }
    }

    /**
     * Draws the plot into {@code file} (PNG, {@code width} x {@code height} pixels).
     *
     * @param perRunLabel legend entry of the per-run points, e.g. what their intervals are
     * @param perRun the runs in the order they are drawn; must not be empty
     * @param pooledLabel legend entry of the pooled estimate
     * @throws IllegalArgumentException if {@code perRun} is empty
     */
    static void save(Path file, String title, String xAxisTitle, int width, int height, String perRunLabel,
            List<Estimate> perRun, String pooledLabel, Estimate pooled) throws IOException {
        int n = perRun.size();
        if (n == 0) {
            throw new IllegalArgumentException("a forest plot needs at least one run: " + file);
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xAxisTitle)
                .yAxisTitle("difference (below 0: first arm better)").build();
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i + 1;
            ys[i] = perRun.get(i).value();
        }
        chart.addSeries(perRunLabel, xs, ys).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setMarker(SeriesMarkers.CIRCLE).setMarkerColor(RUN);
        chart.addSeries(pooledLabel, new double[] {n + 1.0}, new double[] {pooled.value()})
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND)
                .setMarkerColor(POOLED);
        for (int i = 0; i <= n; i++) {
            Estimate e = i < n ? perRun.get(i) : pooled;
            if (e.hasInterval()) {
                // one vertical segment per interval, in its point's colour, out of the legend
                XYSeries bar = chart.addSeries("interval " + (i + 1), new double[] {i + 1.0, i + 1.0},
                        new double[] {e.lower(), e.upper()});
                bar.setMarker(SeriesMarkers.NONE).setLineColor(i < n ? RUN : POOLED).setLineStyle(SeriesLines.SOLID)
                        .setShowInLegend(false);
            }
        }
        chart.addSeries("zero", new double[] {0.5, n + 1.5}, new double[] {0, 0}).setMarker(SeriesMarkers.NONE)
                .setLineColor(Color.GRAY);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
