package dev.symbiosis.experiment;

import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.IterationRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The description of arms that are reported, not tested (a protocol's exploratory arms): per pretrained pair, each
 * arm's change of one figure from iteration 0 to the last iteration, its mean over pairs, and the fraction of the
 * reference arm's change it recovers (ratio of the means, as {@link GainRecovered}, without an interval: with one
 * run per pair there is nothing to resample within pairs, and no test is declared on these arms).
 *
 * <p>A pair may span several run folders (e.g. its confirmatory run seed 1 and its exploratory folder, same run
 * seed): their arms are pooled, and an arm found in two folders of one pair is refused. An arm without a record at
 * iteration 0 or at the last iteration in a pair has no value there ({@code NaN}); its mean is over the pairs that
 * have one, and its gain recovered is {@code NaN} unless it and the reference have a value in every pair. Stateless
 * and thread-safe.
 */
public final class ArmChanges {

    /** The file {@link #writeCsv} writes by convention. */
    public static final String FILE = "arm-changes.csv";

    private ArmChanges() {}

    /**
     * One arm.
     *
     * @param perPair the change (last iteration minus iteration 0) per pair, in the pairs' order; NaN where missing
     * @param mean mean of the non-NaN changes
     * @param gainRecovered sum of the arm's changes over the reference's, NaN unless both have every pair
     */
    public record Row(String arm, List<Double> perPair, double mean, double gainRecovered) {
        public Row {
            perPair = List.copyOf(perPair);
        }
    }

    /**
     * The rows, the largest mean change first (for a loss such as {@code bpb.macro}: the most harmful arm first),
     * ties by name.
     *
     * @param pairs per pretrained pair its run folders (each with a {@code results.jsonl})
     * @param iteration the last iteration
     * @param figure the evaluation figure, e.g. {@code bpb.macro}
     * @param reference the arm whose change is the whole gain (e.g. {@code real-upper-bound}); null for none
     * @throws IllegalArgumentException if there are no pairs, a pair has no folder, or an arm is in two folders of
     *     one pair (naming both)
     * @throws IOException naming the file and line of an unreadable record
     */
    public static List<Row> of(List<List<Path>> pairs, int iteration, String figure, String reference)
            throws IOException {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no pairs to describe");
        }
        List<Map<String, Double>> changes = new ArrayList<>();
        Map<String, Boolean> arms = new LinkedHashMap<>();
        for (List<Path> folders : pairs) {
            if (folders.isEmpty()) {
                throw new IllegalArgumentException("a pair without run folders");
            }
            Map<String, Double> pair = new LinkedHashMap<>();
            Map<String, Path> from = new LinkedHashMap<>();
            for (Path folder : folders) {
                Map<String, Double[]> ends = new LinkedHashMap<>();
                for (IterationRecord r : ExperimentRunner.readRecords(folder)) {
                    Double v = r.evaluation().get(figure);
                    if (v == null || (r.iteration() != 0 && r.iteration() != iteration)) {
                        continue;
                    }
                    ends.computeIfAbsent(r.strategy(), k -> new Double[2])[r.iteration() == 0 ? 0 : 1] = v;
                }
                for (Map.Entry<String, Double[]> e : ends.entrySet()) {
                    Path other = from.putIfAbsent(e.getKey(), folder);
                    if (other != null) {
                        throw new IllegalArgumentException("arm " + e.getKey() + " is in two run folders of one pair: "
                                + other + " and " + folder);
                    }
                    Double[] v = e.getValue();
                    pair.put(e.getKey(), v[0] == null || v[1] == null ? Double.NaN : v[1] - v[0]);
                    arms.put(e.getKey(), true);
                }
            }
            changes.add(pair);
        }
        List<Row> rows = new ArrayList<>();
        for (String arm : arms.keySet()) {
            List<Double> per = new ArrayList<>();
            double sum = 0;
            int n = 0;
            for (Map<String, Double> pair : changes) {
                double v = pair.getOrDefault(arm, Double.NaN);
                per.add(v);
                if (!Double.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            rows.add(new Row(arm, per, n == 0 ? Double.NaN : sum / n, gainRecovered(changes, arm, reference)));
        }
        rows.sort(Comparator.comparingDouble((Row r) -> Double.isNaN(r.mean()) ? Double.NEGATIVE_INFINITY : r.mean())
                .reversed().thenComparing(Row::arm));
        return rows;
    }

    /**
     * The last iteration in a run folder's records (the default last iteration of a description).
     *
     * @throws IllegalArgumentException naming the file if no record is past iteration 0
     * @throws IOException naming the file and line of an unreadable record
     */
    public static int lastIteration(Path folder) throws IOException {
        int last = ExperimentRunner.readRecords(folder).stream().mapToInt(IterationRecord::iteration).max()
                .orElse(-1);
        if (last < 1) {
            throw new IllegalArgumentException(folder.resolve("results.jsonl") + ": no iteration past 0");
        }
        return last;
    }

    private static double gainRecovered(List<Map<String, Double>> changes, String arm, String reference) {
        if (reference == null) {
            return Double.NaN;
        }
        double a = 0;
        double ref = 0;
        for (Map<String, Double> pair : changes) {
            double v = pair.getOrDefault(arm, Double.NaN);
            double r = pair.getOrDefault(reference, Double.NaN);
            if (Double.isNaN(v) || Double.isNaN(r)) {
                return Double.NaN;
            }
            a += v;
            ref += r;
        }
        return ref == 0 ? Double.NaN : a / ref;
    }

    /**
     * Writes the rows as CSV ({@code arm,pair-1..pair-n,mean,gain_recovered}; empty cells for NaN), atomically.
     *
     * @param pairNames the column name of each pair
     */
    public static void writeCsv(List<Row> rows, List<String> pairNames, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("arm");
        pairNames.forEach(p -> sb.append(',').append(p));
        sb.append(",mean,gain_recovered\n");
        for (Row r : rows) {
            sb.append(r.arm());
            r.perPair().forEach(v -> sb.append(',').append(cell(v)));
            sb.append(',').append(cell(r.mean())).append(',').append(cell(r.gainRecovered())).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
