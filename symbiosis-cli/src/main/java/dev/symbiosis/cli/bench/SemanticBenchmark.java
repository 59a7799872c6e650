package dev.symbiosis.cli.bench;

import dev.symbiosis.metrics.semantic.ConvexHull;
import dev.symbiosis.metrics.semantic.CosineDistances;
import dev.symbiosis.metrics.semantic.Embeddings;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import dev.symbiosis.metrics.semantic.VendiScore;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Timings of the semantic metrics (a benchmark, not a test): MiniLM sentence-encoding throughput and the exact hull
 * volume of Gaussian points at {@code k = 5}, plus the {@code O(N d)} statistics on the encoded sentences.
 *
 * <p>Each timing is the median of several runs after warm-up (the JIT and ONNX Runtime's first pass of each shape
 * are several times slower). Sentences are synthetic, distinct, 8-24 words from a fixed vocabulary, seeded; the
 * encoder's cache is disabled so every sentence is encoded. Called by the CLI's {@code bench metrics}; also runnable
 * through {@link #main}.
 */
public final class SemanticBenchmark {

    /** Benchmark settings. */
    public record Options(int sentences, int batchSize, int threads, int hullPoints, int hullK, int repeats,
            long seed) {
        /** The defaults: 512 sentences, batch 32, 2 threads, 10,000 points at k = 5, 5 repeats. */
        public static Options defaults() {
            return new Options(512, 32, 2, 10_000, 5, 5, 42);
        }

        public Options {
            if (sentences < 1 || batchSize < 1 || threads < 1 || hullPoints < hullK + 1 || hullK < 1 || repeats < 1) {
                throw new IllegalArgumentException("invalid benchmark options: " + this);
            }
        }
    }

    /**
     * The measured figures.
     *
     * @param sentencesPerSecond MiniLM throughput (median over repeats), {@code NaN} if the model was skipped
     * @param encodeSeconds seconds per pass over all sentences (median)
     * @param hullSeconds seconds per hull (median)
     * @param hullFacets facets of the hull
     * @param hullVertices vertices of the hull
     * @param hullVolume the volume
     * @param statsMillis milliseconds for mean cosine distance + Vendi on the encoded sentences
     */
    public record Result(double sentencesPerSecond, double encodeSeconds, double hullSeconds, int hullFacets,
            int hullVertices, double hullVolume, double statsMillis) {

        /** Named figures ({@code bench.semantic.*}), sorted; {@code NaN} for parts not run. */
        public SortedMap<String, Double> figures() {
            SortedMap<String, Double> f = new TreeMap<>();
            f.put("bench.semantic.minilm_sentences_per_s", sentencesPerSecond);
            f.put("bench.semantic.minilm_seconds_per_pass", encodeSeconds);
            f.put("bench.semantic.stats_ms", statsMillis);
            f.put("bench.semantic.hull_seconds", hullSeconds);
            f.put("bench.semantic.hull_facets", (double) hullFacets);
            f.put("bench.semantic.hull_vertices", (double) hullVertices);
            f.put("bench.semantic.hull_volume", hullVolume);
            return Collections.unmodifiableSortedMap(f);
        }
    }

    private SemanticBenchmark() {}

    /** Runs with {@link Options#defaults()}. */
    public static Result run(PrintStream out) throws IOException {
        return run(out, Options.defaults(), true);
    }

    /**
     * Runs the benchmark, printing progress and results to {@code out}.
     *
     * @param encoder whether to time MiniLM (false: hull only, no model load)
     * @throws IOException if the MiniLM model cannot be loaded
     */
    public static Result run(PrintStream out, Options o, boolean encoder) throws IOException {
        double sps = Double.NaN;
        double encodeSeconds = Double.NaN;
        double statsMillis = Double.NaN;
        if (encoder) {
            List<String> sentences = sentences(o.sentences(), o.seed());
            try (MiniLmEncoder enc = MiniLmEncoder.builder().batchSize(o.batchSize()).threads(o.threads())
                    .cacheCapacity(0).build()) {
                enc.encode(sentences.subList(0, Math.min(sentences.size(), 2 * o.batchSize())));
                double[] t = new double[Math.max(1, Math.min(o.repeats(), 3))];
                Embeddings e = null;
                for (int r = 0; r < t.length; r++) {
                    long t0 = System.nanoTime();
                    e = enc.encode(sentences);
                    t[r] = (System.nanoTime() - t0) / 1e9;
                }
                encodeSeconds = median(t);
                sps = sentences.size() / encodeSeconds;
                out.printf(Locale.ROOT, "minilm: %d sentences, batch %d, %d threads: %.3f s per pass, %.1f"
                        + " sentences/s%n", sentences.size(), o.batchSize(), o.threads(), encodeSeconds, sps);
                long t0 = System.nanoTime();
                double cos = CosineDistances.meanPairwiseDistance(e);
                double vendi = VendiScore.of(e);
                statsMillis = (System.nanoTime() - t0) / 1e6;
                out.printf(Locale.ROOT, "stats on %d embeddings: mean cosine distance %.4f, Vendi %.2f in %.1f ms%n",
                        e.size(), cos, vendi, statsMillis);
            }
        }
        SplittableRandom rnd = new SplittableRandom(o.seed());
        double[][] pts = new double[o.hullPoints()][o.hullK()];
        for (double[] p : pts) {
            for (int j = 0; j < p.length; j++) {
                p[j] = gaussian(rnd);
            }
        }
        ConvexHull.of(pts);
        ConvexHull.of(pts);
        double[] t = new double[o.repeats()];
        ConvexHull h = null;
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            h = ConvexHull.of(pts);
            t[r] = (System.nanoTime() - t0) / 1e9;
        }
        double hullSeconds = median(t);
        out.printf(Locale.ROOT, "hull: %d Gaussian points, k = %d: %.3f s (median of %d), %d vertices, %d facets,"
                + " volume %.4f%n", o.hullPoints(), o.hullK(), hullSeconds, o.repeats(), h.vertices().length,
                h.facetCount(), h.volume());
        return new Result(sps, encodeSeconds, hullSeconds, h.facetCount(), h.vertices().length, h.volume(),
                statsMillis);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static final String[] WORDS = ("the a river city small old new quiet bright market farmer child teacher"
            + " walks reads builds carries watches finds remembers near under across before after with without"
            + " morning evening winter summer bread letter bridge garden story song stone window road light")
            .split(" ");

    /** Distinct seeded sentences of 8 to 24 words. */
    static List<String> sentences(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = 8 + r.nextInt(17);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < len; w++) {
                if (w > 0) {
                    sb.append(' ');
                }
                sb.append(WORDS[r.nextInt(WORDS.length)]);
            }
            sb.append(" (").append(i).append(").");
            out.add(sb.toString());
        }
        return out;
    }

    /** Runs with the defaults; {@code --no-encoder} times the hull only. Set {@code -Dai.djl.offline=true}. */
    public static void main(String[] args) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        boolean encoder = !Arrays.asList(args).contains("--no-encoder");
        run(System.out, Options.defaults(), encoder);
    }
}
