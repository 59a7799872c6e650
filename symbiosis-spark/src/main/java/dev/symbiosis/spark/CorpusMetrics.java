package dev.symbiosis.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.metrics.MetricsPanel;
import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.lexical.Mattr;
import dev.symbiosis.metrics.lexical.Mtld;
import dev.symbiosis.metrics.lexical.WordTokenizer;
import dev.symbiosis.metrics.semantic.Embeddings;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import dev.symbiosis.metrics.syntax.OpenNlpAnalyzer;
import dev.symbiosis.metrics.syntax.PosComplexity;
import dev.symbiosis.metrics.syntax.PosNGrams;
import dev.symbiosis.metrics.syntax.SyntacticPanel;
import dev.symbiosis.metrics.syntax.SyntaxAnalyzer;
import dev.symbiosis.metrics.syntax.TaggedSentence;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Corpus metrics on Spark: the lexical and part-of-speech figures of {@link MetricsPanel} as Spark aggregations of
 * the library's combinable statistics, and the semantic figures on a seeded sample.
 *
 * <p><b>Lexical and POS.</b> The measured texts are range-partitioned in corpus order; each task feeds its texts to
 * a {@link LexicalPanel.Accumulator} and tags them with this JVM's {@link OpenNlpAnalyzer} into {@link PosNGrams}
 * and {@link PosComplexity}; the states travel to the driver in serialized form and are combined in partition order
 * (MATTR and MTLD depend on the order of the concatenation). The figures equal those of the single-process
 * {@code metrics} command ({@link MetricsPanel#measure}) on the same texts (test). The driver holds the combined
 * state: about 4 bytes per token (MTLD's sequence) plus 8 bytes per distinct n-gram, so the whole-corpus figures of
 * a 10 B-token corpus do not fit one driver; measure a seeded sample there ({@code --sample-size}), drawn exactly as
 * the {@code metrics} command draws it ({@link #sampleIndices}, the same texts for the same size and seed).
 * Without reference texts: the POS Jensen-Shannon divergence and trigram surprisal are not computed.
 *
 * <p><b>Semantic.</b> A seeded sample of the measured texts ({@code --semantic-sample}, default 512; stated in the
 * figures as {@code semantic.sample_texts}) is embedded on the executors with all-MiniLM-L6-v2 (one encoder per
 * JVM, {@link ExecutorModels#shared}); mean cosine distance, its distribution, hull volume (PCA fitted on the
 * sample), covariance log-determinant and Vendi score are computed on the driver ({@link MetricsPanel#semantic}).
 *
 * <p>spark-submit: {@code --class dev.symbiosis.spark.CorpusMetrics symbiosis-spark.jar --input PATH [--output
 * FILE.json] [--sample-size N] [--seed S] [--semantic-sample N | --no-semantic] [--no-syntax] [--pretokenized]
 * [--hull-k K] [--partitions N] [--text-field NAME]}.
 */
public final class CorpusMetrics {

    private CorpusMetrics() {}

    /** Options; defaults as the {@code metrics} command's, but the whole corpus is measured unless a sample size is given. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        final String input;
        String textField = "text";
        String output;
        int sampleSize;
        long seed = MetricsPanel.DEFAULT_SEED;
        boolean syntax = true;
        boolean pretokenized;
        int semanticSample = MetricsPanel.DEFAULT_SAMPLE_SIZE;
        int hullK = 5;
        int partitions;

        public Options(String input) {
            this.input = Objects.requireNonNull(input, "input");
        }

        public Options textField(String v) {
            this.textField = Objects.requireNonNull(v);
            return this;
        }

        /** A JSON file for the figures. */
        public Options output(String file) {
            this.output = file;
            return this;
        }

        /** Texts measured, drawn with the seed; 0 (default) measures every text. */
        public Options sampleSize(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("sample size must be >= 0, got " + v);
            }
            this.sampleSize = v;
            return this;
        }

        public Options seed(long v) {
            this.seed = v;
            return this;
        }

        public Options syntax(boolean v) {
            this.syntax = v;
            return this;
        }

        public Options pretokenized(boolean v) {
            this.pretokenized = v;
            return this;
        }

        /** Texts embedded for the semantic figures; 0 leaves them out. Default 512. */
        public Options semanticSample(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("semantic sample must be >= 0, got " + v);
            }
            this.semanticSample = v;
            return this;
        }

        public Options hullDimension(int k) {
            this.hullK = k;
            return this;
        }

        /** Partitions of the measured texts; 0 (default) for the application's default parallelism. */
        public Options partitions(int v) {
            this.partitions = v;
            return this;
        }

        LexicalPanel lexicalPanel() {
            return pretokenized ? LexicalPanel.of(WordTokenizer.whitespace(), Mattr.DEFAULT_WINDOW,
                    Mtld.DEFAULT_THRESHOLD) : LexicalPanel.create();
        }
    }

    /**
     * The positions (0-based, ascending) of the texts {@link MetricsPanel#subsample} keeps from {@code n} texts: the
     * same partial Fisher-Yates draw, with the swaps kept in a map instead of an array of {@code n} ints, so that the
     * driver's memory is proportional to the sample, not the corpus.
     */
    public static int[] sampleIndices(long n, int size, long seed) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a sample is drawn from at most 2^31 - 1 texts, got " + n);
        }
        int count = (int) n;
        if (count <= size) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            return all;
        }
        Map<Integer, Integer> swapped = new HashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        int[] chosen = new int[size];
        for (int i = 0; i < size; i++) {
            int j = i + r.nextInt(count - i);
            int atI = swapped.getOrDefault(i, i);
            int atJ = swapped.getOrDefault(j, j);
            swapped.put(j, atI);
            chosen[i] = atJ;
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /** The syntactic panel's figures of counts need no analyzer: this one refuses to analyze. */
    private static final class CountsOnly implements SyntaxAnalyzer {
        @Override
        public List<TaggedSentence> analyze(String text) {
            throw new UnsupportedOperationException("the driver only combines counts");
        }

        @Override
        public TaggedSentence tag(List<String> tokens) {
            throw new UnsupportedOperationException("the driver only combines counts");
        }
    }

    /** One partition's statistics, serialized. */
    record PartStats(int partition, byte[] lexical, byte[] pos) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The figures, by the {@code metrics} command's names, plus {@code semantic.sample_texts} when the semantic
     * figures were computed.
     */
    public static SortedMap<String, Double> run(SparkSession spark, Options o) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> files = Corpus.files(o.input, jsc.hadoopConfiguration());
        JavaRDD<Corpus.Doc> docs = Corpus.read(jsc, o.input, o.textField);
        Map<Integer, Long> perFile = docs.map(d -> (int) (d.order() >>> 32)).countByValue();
        long[] offset = new long[files.size() + 1];
        for (int f = 0; f < files.size(); f++) {
            offset[f + 1] = offset[f] + perFile.getOrDefault(f, 0L);
        }
        long n = offset[files.size()];
        if (n == 0) {
            throw new IOException(o.input + ": no texts");
        }
        // the measured texts by corpus index
        JavaRDD<Tuple2<Long, String>> indexed = docs.map(d -> new Tuple2<>(
                offset[(int) (d.order() >>> 32)] + (d.order() & 0xFFFF_FFFFL), d.text()));
        long measured = n;
        if (o.sampleSize > 0 && n > o.sampleSize) {
            int[] keep = sampleIndices(n, o.sampleSize, o.seed);
            indexed = indexed.filter(t -> Arrays.binarySearch(keep, (int) (long) t._1()) >= 0);
            measured = keep.length;
        }
        int parts = (int) Math.max(1, Math.min(measured, o.partitions > 0 ? o.partitions : jsc.defaultParallelism()));
        JavaRDD<Tuple2<Long, String>> ordered = indexed.sortBy(Tuple2::_1, true, parts);

        SortedMap<String, Double> figures = new TreeMap<>();
        figures.put("panel.input_texts", (double) n);
        figures.put("panel.measured_texts", (double) measured);

        boolean pre = o.pretokenized;
        boolean syntax = o.syntax;
        JavaRDD<PartStats> stats = ordered.mapPartitionsWithIndex((p, it) -> List.of(
                partStats(p, it, pre, syntax)).iterator(), true);
        LexicalPanel panel = o.lexicalPanel();
        LexicalPanel.Accumulator lexical = null;
        PosNGrams grams = PosNGrams.create();
        PosComplexity complexity = PosComplexity.create();
        int expected = 0;
        for (Iterator<PartStats> it = stats.toLocalIterator(); it.hasNext(); ) {
            PartStats s = it.next(); // partition order: the concatenation order of MATTR and MTLD
            if (s.partition() != expected++) {
                throw new IllegalStateException("partition " + s.partition() + " arrived out of order");
            }
            LexicalPanel.Accumulator a = panel.readAccumulator(new DataInputStream(
                    new ByteArrayInputStream(s.lexical())));
            lexical = lexical == null ? a : lexical.combine(a);
            if (s.pos() != null) {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(s.pos()));
                grams.combine(PosNGrams.readFrom(in));
                complexity.combine(PosComplexity.readFrom(in));
            }
        }
        figures.putAll(lexical.figures());
        if (o.syntax) {
            figures.putAll(SyntacticPanel.create(new CountsOnly()).figures(grams, complexity));
        }

        if (o.semanticSample > 0) {
            int[] pick = sampleIndices(measured, o.semanticSample, o.seed);
            // the semantic sample is drawn over the measured texts in corpus order
            JavaRDD<Tuple2<Long, String>> rank = ordered.zipWithIndex()
                    .filter(t -> Arrays.binarySearch(pick, (int) (long) t._2()) >= 0)
                    .map(t -> new Tuple2<>(t._2(), t._1()._2()));
            int sp = Math.max(1, Math.min(jsc.defaultParallelism(), pick.length / 32 + 1));
            List<Tuple2<Long, double[]>> vectors = rank.repartition(sp).mapPartitions(CorpusMetrics::embed)
                    .collect();
            List<Tuple2<Long, double[]>> sorted = new ArrayList<>(vectors);
            sorted.sort((a, b) -> Long.compare(a._1(), b._1()));
            List<double[]> rows = new ArrayList<>();
            sorted.forEach(t -> rows.add(t._2()));
            MetricsPanel sem = MetricsPanel.builder().syntax(false).seed(o.seed).hullDimension(o.hullK)
                    .pcaFit(MetricsPanel.PcaFit.SELF).build();
            figures.putAll(sem.semantic(Embeddings.ofRows(rows)));
            figures.put("semantic.sample_texts", (double) rows.size());
        }
        if (o.output != null) {
            ObjectNode json = new ObjectMapper().createObjectNode();
            figures.forEach((k, v) -> PoolScoring.putFinite(json, k, v));
            PoolScoring.writeJson(spark, o.output, json);
        }
        return figures;
    }

    private static PartStats partStats(int p, Iterator<Tuple2<Long, String>> it, boolean pretokenized,
            boolean syntax) {
        LexicalPanel panel = pretokenized ? LexicalPanel.of(WordTokenizer.whitespace(), Mattr.DEFAULT_WINDOW,
                Mtld.DEFAULT_THRESHOLD) : LexicalPanel.create();
        LexicalPanel.Accumulator a = panel.accumulator();
        PosNGrams grams = PosNGrams.create();
        PosComplexity complexity = PosComplexity.create();
        OpenNlpAnalyzer analyzer = syntax ? ExecutorModels.shared("opennlp", () -> OpenNlpAnalyzer.create(1)) : null;
        while (it.hasNext()) {
            String text = it.next()._2();
            a.acceptText(text);
            if (analyzer != null) {
                for (TaggedSentence s : analyzer.analyze(text)) {
                    grams.accept(s);
                    complexity.accept(s);
                }
            }
        }
        try {
            ByteArrayOutputStream lex = new ByteArrayOutputStream();
            a.writeTo(new DataOutputStream(lex));
            byte[] pos = null;
            if (analyzer != null) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(buf);
                grams.writeTo(out);
                complexity.writeTo(out);
                out.flush();
                pos = buf.toByteArray();
            }
            return new PartStats(p, lex.toByteArray(), pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Iterator<Tuple2<Long, double[]>> embed(Iterator<Tuple2<Long, String>> it) {
        List<Tuple2<Long, String>> batch = new ArrayList<>();
        it.forEachRemaining(batch::add);
        List<Tuple2<Long, double[]>> out = new ArrayList<>();
        if (batch.isEmpty()) {
            return out.iterator();
        }
        MiniLmEncoder encoder = ExecutorModels.shared("minilm", () -> {
            try {
                org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
                return MiniLmEncoder.builder().threads(tc == null ? 1 : Math.max(1, tc.cpus())).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the MiniLM sentence encoder", e);
            }
        });
        Embeddings e = encoder.encode(batch.stream().map(Tuple2::_2).toList());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new Tuple2<>(batch.get(i)._1(), e.row(i)));
        }
        return out.iterator();
    }

    /** spark-submit entry point; see the class comment for the options. */
    public static void main(String[] argv) throws IOException {
        Args a = Args.parse("corpus-metrics", argv, Set.of("input", "output", "sample-size", "seed",
                "semantic-sample", "no-semantic!", "no-syntax!", "pretokenized!", "hull-k", "partitions",
                "text-field"));
        Options o = new Options(a.required("input")).output(a.get("output", null))
                .textField(a.get("text-field", "text"))
                .sampleSize(a.getInt("sample-size", 0)).seed(a.getLong("seed", MetricsPanel.DEFAULT_SEED))
                .semanticSample(a.flag("no-semantic") ? 0 : a.getInt("semantic-sample",
                        MetricsPanel.DEFAULT_SAMPLE_SIZE))
                .syntax(!a.flag("no-syntax")).pretokenized(a.flag("pretokenized"))
                .hullDimension(a.getInt("hull-k", 5)).partitions(a.getInt("partitions", 0));
        SparkSession spark = SparkJobs.session("symbiosis corpus metrics");
        try {
            SortedMap<String, Double> f = run(spark, o);
            f.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-36s %s%n", k, v));
        } finally {
            spark.stop();
        }
    }
}
