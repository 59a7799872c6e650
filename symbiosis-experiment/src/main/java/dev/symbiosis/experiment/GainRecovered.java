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
import org.jspecify.annotations.Nullable;

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
            List<List<Integer>> singletons = new ArrayList<>();
            for (int i = 0; i < runDirs.size(); i++) {
                singletons.add(List.of(i));
            }
            for (int b = 0; b < RESAMPLES; b++) {
                double[] r = ratio(first, last, s, drawRuns(singletons, rnd), rnd);
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

    /** Resamples of the paired comparison's bootstrap (docs/protocol.md). */
    public static final int COMPARISON_RESAMPLES = 10_000;
    /** The equivalence margin as a fraction of the mean real-data gain (docs/protocol.md). */
    public static final double MARGIN_FRACTION = 0.20;

    /** The reading of a paired comparison, in the protocol's words ({@link #words()}). */
    public enum Verdict {
        /** The 95 % interval of {@code a - b} lies below 0: {@code a} has the lower bits per byte. */
        BETTER("better"),
        /** The 95 % interval lies above 0. */
        WORSE("worse"),
        /** Neither, and the 90 % interval lies inside {@code (-margin, +margin)} (TOST at alpha 0.05). */
        EQUIVALENT("equivalent within the margin"),
        /** None of the above. */
        INCONCLUSIVE("inconclusive");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        /** {@code better}, {@code worse}, {@code equivalent within the margin} or {@code inconclusive}. */
        public String words() {
            return words;
        }
    }

    /**
     * The paired comparison {@code a - b} of {@code bpb.macro} at the last iteration with its equivalence test
     * (docs/protocol.md's primary comparison).
     *
     * @param a the first arm (symbiosis in the protocol)
     * @param b the second arm (static-synthetic)
     * @param iteration the last iteration {@code T}
     * @param pairs pretrained pairs
     * @param runs runs over all pairs
     * @param difference mean over runs of {@code bpb_T(a) - bpb_T(b)} (below 0: {@code a} better)
     * @param lower95 2.5th percentile of the bootstrap means
     * @param upper95 97.5th percentile
     * @param lower90 5th percentile (the two one-sided tests at alpha 0.05)
     * @param upper90 95th percentile
     * @param referenceGain {@code G}: mean over runs of {@code bpb_0 - bpb_T(real-upper-bound)}
     * @param margin {@code delta = } {@value #MARGIN_FRACTION}{@code  x G}
     * @param verdict the reading: {@link #verdict}
     * @param p two-sided bootstrap p-value of {@code difference = 0}: twice the smaller share of resampled means on
     *     either side of 0, at most 1 (for Holm's adjustment over a family of comparisons)
     */
    public record Comparison(String a, String b, int iteration, int pairs, int runs, double difference,
            double lower95, double upper95, double lower90, double upper90, double referenceGain, double margin,
            Verdict verdict, double p) {}

    /**
     * The paired difference {@code a - b} of {@code bpb.macro} at iteration {@code T} with a hierarchical percentile
     * bootstrap of {@value #COMPARISON_RESAMPLES} resamples (pairs with replacement; within each drawn pair its runs;
     * within each drawn run documents within domains, the same documents for both arms; {@code bpb.macro}
     * recomputed as the evaluator does) and the equivalence test against the margin
     * {@value #MARGIN_FRACTION}{@code  x G} ({@code G} the mean real-data gain, a point estimate). Deterministic for a
     * seed.
     *
     * @param pairs the run folders of each pretrained pair (all the run seeds of one experiment share one pair)
     * @throws IOException naming a records file that cannot be read
     * @throws IllegalArgumentException if there is no run, or a run lacks the records of {@code a}, {@code b} at
     *     {@code T} or of the reference at iterations 0 and {@code T}
     */
    public static Comparison compare(List<List<Path>> pairs, String a, String b, int iteration, long seed)
            throws IOException {
        List<List<Integer>> groups = new ArrayList<>();
        List<Docs> first = new ArrayList<>();
        List<Map<String, Docs>> last = new ArrayList<>();
        for (List<Path> pair : pairs) {
            List<Integer> group = new ArrayList<>();
            for (Path dir : pair) {
                Map<String, Docs> byStrategy = new LinkedHashMap<>();
                for (String s : List.of(a, b, REFERENCE)) {
                    Path f = dir.resolve(s).resolve("iter-" + iteration).resolve("items.jsonl");
                    if (!Files.exists(f)) {
                        throw new IllegalArgumentException(dir + " has no " + s + " records at iteration "
                                + iteration);
                    }
                    byStrategy.put(s, read(f));
                }
                Path zero = dir.resolve(REFERENCE).resolve("iter-0").resolve("items.jsonl");
                if (!Files.exists(zero)) {
                    throw new IllegalArgumentException(dir + " has no " + REFERENCE + " records at iteration 0");
                }
                group.add(first.size());
                first.add(read(zero));
                last.add(byStrategy);
            }
            if (!group.isEmpty()) {
                groups.add(group);
            }
        }
        if (first.isEmpty()) {
            throw new IllegalArgumentException("no run to compare " + a + " and " + b + " on");
        }
        int[] all = java.util.stream.IntStream.range(0, first.size()).toArray();
        double difference = difference(last, a, b, all, null, first);
        double gain = ratio(first, last, REFERENCE, null, null)[1];
        SplittableRandom rnd = new SplittableRandom(seed ^ (a + " - " + b).hashCode());
        double[] means = new double[COMPARISON_RESAMPLES];
        for (int k = 0; k < COMPARISON_RESAMPLES; k++) {
            means[k] = difference(last, a, b, drawRuns(groups, rnd), rnd, first);
        }
        java.util.Arrays.sort(means);
        int n = means.length;
        double lo95 = means[(int) Math.floor(0.025 * (n - 1))];
        double hi95 = means[(int) Math.ceil(0.975 * (n - 1))];
        double lo90 = means[(int) Math.floor(0.05 * (n - 1))];
        double hi90 = means[(int) Math.ceil(0.95 * (n - 1))];
        double margin = MARGIN_FRACTION * gain;
        long atOrBelow = java.util.Arrays.stream(means).filter(m -> m <= 0).count();
        long atOrAbove = java.util.Arrays.stream(means).filter(m -> m >= 0).count();
        double p = Math.min(1.0, 2.0 * Math.min(atOrBelow, atOrAbove) / n);
        return new Comparison(a, b, iteration, groups.size(), first.size(), difference, lo95, hi95, lo90, hi90, gain,
                margin, verdict(lo95, hi95, lo90, hi90, margin), p);
    }

    /**
     * The protocol's reading: {@link Verdict#BETTER} if the 95 % interval lies below 0, {@link Verdict#WORSE} if
     * above, else {@link Verdict#EQUIVALENT} if the 90 % interval lies inside {@code (-margin, +margin)}, else
     * {@link Verdict#INCONCLUSIVE} (also when the margin is not positive or a bound is NaN).
     */
    public static Verdict verdict(double lower95, double upper95, double lower90, double upper90, double margin) {
        if (upper95 < 0) {
            return Verdict.BETTER;
        }
        if (lower95 > 0) {
            return Verdict.WORSE;
        }
        return -margin < lower90 && upper90 < margin ? Verdict.EQUIVALENT : Verdict.INCONCLUSIVE;
    }

    /** Mean over the given runs of {@code bpb.macro(a) - bpb.macro(b)}, documents resampled when {@code rnd} is set. */
    private static double difference(List<Map<String, Docs>> last, String a, String b, int[] runs,
            @Nullable SplittableRandom rnd, List<Docs> first) {
        double sum = 0;
        for (int run : runs) {
            Map<String, int[]> picks = picks(first.get(run), rnd);
            sum += macro(last.get(run).get(a), picks) - macro(last.get(run).get(b), picks);
        }
        return sum / runs.length;
    }

    /**
     * The runs of one resample, hierarchically: as many pairs as there are, drawn with replacement, and within each
     * drawn pair as many of its runs as it has, drawn with replacement (a pair of one run gives that run without a
     * draw).
     *
     * @param pairs the run indices of each pretrained pair
     */
    private static int[] drawRuns(List<List<Integer>> pairs, SplittableRandom rnd) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            List<Integer> runs = pairs.get(rnd.nextInt(pairs.size()));
            for (int i = 0; i < runs.size(); i++) {
                out.add(runs.size() == 1 ? runs.get(0) : runs.get(rnd.nextInt(runs.size())));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
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
            Map<String, int[]> picks = picks(first.get(run), rnd);
            double b0 = macro(first.get(run), picks);
            gain += b0 - macro(arm, picks);
            refGain += b0 - macro(last.get(run).get(REFERENCE), picks);
        }
        gain /= n;
        refGain /= n;
        return new double[] {gain, refGain, refGain == 0 ? Double.NaN : gain / refGain};
    }

    /**
     * The documents of one run a resample takes: within each domain (in name order), as many draws with replacement
     * as the domain has documents; every document once when {@code rnd} is null.
     */
    private static Map<String, int[]> picks(Docs first, @Nullable SplittableRandom rnd) {
        Map<String, int[]> picks = new TreeMap<>();
        for (Map.Entry<String, double[][]> e : first.byDomain().entrySet()) {
            int m = e.getValue().length;
            int[] idx = new int[m];
            for (int i = 0; i < m; i++) {
                idx[i] = rnd == null ? i : rnd.nextInt(m);
            }
            picks.put(e.getKey(), idx);
        }
        return picks;
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
