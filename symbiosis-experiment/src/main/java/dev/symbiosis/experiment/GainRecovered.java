package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The report's headline: the fraction of the real-data gain each arm recovers,
 * {@code (bpb_0 - bpb_T(arm)) / (bpb_0 - bpb_T(reference))} on the held-out {@code bpb.macro}, with
 * {@code reference = real-upper-bound}, as a ratio of means over the runs (seeds, pretrained pairs) with a
 * hierarchical percentile bootstrap interval: each resample draws runs with replacement and, inside each drawn run,
 * documents with replacement within each domain (the same documents for the arm, the reference and iteration 0, so
 * the gains stay paired), and recomputes {@code bpb.macro} exactly as the evaluator does (per domain
 * {@code sum(nll) / ln 2 / sum(bytes)}, then the unweighted mean over domains).
 *
 * <p>Reads the per-document records ({@code <strategy>/iter-<t>/items.jsonl}, kind {@code bpb}). A ratio is NaN
 * when the reference's mean gain is 0 or a run lacks the records. Deterministic for a given seed; thread-safe
 * (no state).
 */
public final class GainRecovered {

    /** Strategy whose gain is the denominator. */
    public static final String REFERENCE = "real-upper-bound";
    /** Resamples of the bootstrap. */
    public static final int RESAMPLES = 2_000;

    private GainRecovered() {}

    /**
     * One arm's recovered fraction.
     *
     * @param strategy the arm
     * @param iteration the last iteration {@code T}
     * @param runs runs the means are over
     * @param gain mean over runs of {@code bpb_0 - bpb_T(arm)} (positive = the arm improved the Student)
     * @param referenceGain mean over runs of the reference's gain
     * @param ratio {@code gain / referenceGain}
     * @param lower95 2.5th percentile of the bootstrap ratios
     * @param upper95 97.5th percentile
     */
    public record Row(String strategy, int iteration, int runs, double gain, double referenceGain, double ratio,
            double lower95, double upper95) {}

    /** Per-document nll and bytes of one run, strategy and iteration, by domain. */
    private record Docs(Map<String, double[][]> byDomain) {}

    /**
     * @param runDirs run folders (one per run seed or pretrained pair), each holding the strategies' folders
     * @param strategies the arms to report (the reference among them gives ratio 1)
     * @param iteration the last iteration {@code T}
     * @param seed seed of the bootstrap
     * @throws IOException naming a records file that cannot be read
     * @throws IllegalArgumentException if a run lacks the reference's or iteration 0's records
     */
    public static List<Row> compute(List<Path> runDirs, List<String> strategies, int iteration, long seed)
            throws IOException {
        Objects.requireNonNull(runDirs, "runDirs");
        List<Map<String, Docs>> last = new ArrayList<>();
        List<Docs> first = new ArrayList<>();
        for (Path dir : runDirs) {
            Map<String, Docs> byStrategy = new LinkedHashMap<>();
            for (String s : strategies) {
                Path f = dir.resolve(s).resolve("iter-" + iteration).resolve("items.jsonl");
                if (Files.exists(f)) {
                    byStrategy.put(s, read(f));
                }
            }
            Path ref = dir.resolve(REFERENCE).resolve("iter-" + iteration).resolve("items.jsonl");
            Path zero = dir.resolve(REFERENCE).resolve("iter-0").resolve("items.jsonl");
            if (!Files.exists(ref) || !Files.exists(zero)) {
                throw new IllegalArgumentException(dir + " has no " + REFERENCE + " records at iterations 0 and "
                        + iteration + ": the recovered fraction needs the real-data arm");
            }
            byStrategy.put(REFERENCE, read(ref));
            last.add(byStrategy);
            first.add(read(zero));
        }
        List<Row> rows = new ArrayList<>();
        for (String s : strategies) {
            double[] point = ratio(first, last, s, null, null);
            SplittableRandom rnd = new SplittableRandom(seed ^ s.hashCode());
            double[] ratios = new double[RESAMPLES];
            int ok = 0;
            for (int b = 0; b < RESAMPLES; b++) {
                int[] runs = new int[runDirs.size()];
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = rnd.nextInt(runs.length);
                }
                double[] r = ratio(first, last, s, runs, rnd);
                if (Double.isFinite(r[2])) {
                    ratios[ok++] = r[2];
                }
            }
            double[] sorted = java.util.Arrays.copyOf(ratios, ok);
            java.util.Arrays.sort(sorted);
            double lo = ok == 0 ? Double.NaN : sorted[(int) Math.floor(0.025 * (ok - 1))];
            double hi = ok == 0 ? Double.NaN : sorted[(int) Math.ceil(0.975 * (ok - 1))];
            rows.add(new Row(s, iteration, runDirs.size(), point[0], point[1], point[2], lo, hi));
        }
        return rows;
    }

    /** {gain, reference gain, ratio} over the given runs (all when {@code runs} is null), documents resampled. */
    private static double[] ratio(List<Docs> first, List<Map<String, Docs>> last, String strategy, int[] runs,
            SplittableRandom rnd) {
        int n = runs == null ? first.size() : runs.length;
        double gain = 0;
        double refGain = 0;
        for (int k = 0; k < n; k++) {
            int run = runs == null ? k : runs[k];
            Docs arm = last.get(run).get(strategy);
            if (arm == null) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
            Map<String, int[]> picks = new TreeMap<>();
            for (Map.Entry<String, double[][]> e : first.get(run).byDomain().entrySet()) {
                int m = e.getValue().length;
                int[] idx = new int[m];
                for (int i = 0; i < m; i++) {
                    idx[i] = rnd == null ? i : rnd.nextInt(m);
                }
                picks.put(e.getKey(), idx);
            }
            double b0 = macro(first.get(run), picks);
            gain += b0 - macro(arm, picks);
            refGain += b0 - macro(last.get(run).get(REFERENCE), picks);
        }
        gain /= n;
        refGain /= n;
        return new double[] {gain, refGain, refGain == 0 ? Double.NaN : gain / refGain};
    }

    private static double macro(Docs docs, Map<String, int[]> picks) {
        double sum = 0;
        int domains = 0;
        for (Map.Entry<String, int[]> e : picks.entrySet()) {
            double[][] d = docs.byDomain().get(e.getKey());
            if (d == null || d.length != e.getValue().length) {
                throw new IllegalArgumentException("domain " + e.getKey() + " has other documents than iteration 0");
            }
            double nll = 0;
            double bytes = 0;
            for (int i : e.getValue()) {
                nll += d[i][0];
                bytes += d[i][1];
            }
            if (bytes > 0) {
                sum += nll / Math.log(2) / bytes;
                domains++;
            }
        }
        return sum / domains;
    }

    /** The per-document records of one items file, by domain, in file order. */
    private static Docs read(Path f) throws IOException {
        Map<String, List<double[]>> by = new TreeMap<>();
        int line = 0;
        for (String l : Files.readAllLines(f)) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            JsonNode o = Json.reader().readTree(l);
            if (!HeldOutEvaluator.KIND_DOCUMENT.equals(o.path("kind").asText())) {
                continue;
            }
            JsonNode nll = o.get("nll");
            JsonNode bytes = o.get("bytes");
            if (nll == null || bytes == null || !nll.isNumber() || !bytes.isNumber()) {
                throw new IOException(f + ":" + line + ": a bpb record needs numbers 'nll' and 'bytes'");
            }
            by.computeIfAbsent(o.path("group").asText(), k -> new ArrayList<>())
                    .add(new double[] {nll.asDouble(), bytes.asDouble()});
        }
        Map<String, double[][]> out = new TreeMap<>();
        by.forEach((k, v) -> out.put(k, v.toArray(new double[0][])));
        return new Docs(out);
    }
}
