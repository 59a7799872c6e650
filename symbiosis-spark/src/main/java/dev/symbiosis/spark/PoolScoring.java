package dev.symbiosis.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner.Signal;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import dev.symbiosis.djl.DjlLanguageModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Pool scoring and hard-example mining on Spark: the distributed form of {@link UncertaintyFeedbackMiner}.
 *
 * <ol>
 *   <li>The pool's documents are read ({@link Corpus}) and cut into the miner's windows
 *       ({@link UncertaintyFeedbackMiner#windows}, {@code windowChars}), each keeping its corpus position.</li>
 *   <li>Every window is scored by the Student checkpoint on the executors ({@link ExecutorModels}, one model per
 *       executor JVM), {@code batchSize} windows per call: mean predictive entropy and mean log-likelihood per
 *       predicted token. Windows of fewer than two tokens are counted but not ranked, as in the miner.</li>
 *   <li>The global top-k by the miner's signal ({@code takeOrdered}: hardness descending, ties in corpus order)
 *       or the hardest {@code fraction}; the pool means are summed over the executors.</li>
 *   <li>Saliency of the k on the executors, with the miner's salient spans
 *       ({@link UncertaintyFeedbackMiner#topSpans}).</li>
 * </ol>
 * The result is the {@link Feedback} the miner gives for the same pool and options, within floating-point
 * tolerance (batches of windows differ, so padding and summation order do). Not supported: the miner's random
 * selection control and gradient hints.
 *
 * <p>Outputs (when an output folder is given): {@code scores/} (one row per window: id, tokens, mean entropy, mean
 * log-likelihood, hardness; NaN for windows of one token), {@code hard-examples/} (rank, id, text, signals,
 * salient spans and texts) in Parquet or gzip JSON Lines, and {@code _summary.json}.
 *
 * <p>spark-submit: {@code --class dev.symbiosis.spark.PoolScoring symbiosis-spark.jar --checkpoint DIR --input PATH
 * [--output DIR] [--format parquet|jsonl] [--top-k K | --fraction F] [--signal entropy|low-log-likelihood]
 * [--window-chars N] [--min-window-chars N] [--stretch-chars N] [--batch-size N] [--no-saliency] [--partitions N]
 * [--text-field NAME]}.
 */
public final class PoolScoring {

    private PoolScoring() {}

    /** The job's options; the defaults are the miner's. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        String checkpoint;
        String input;
        String textField = "text";
        String output;
        OutputFormat format = OutputFormat.PARQUET;
        Signal signal = Signal.ENTROPY;
        int topK = 16;
        double fraction;
        int windowChars = 480;
        int minWindowChars = -1; // the miner's default: a third of windowChars
        int stretchChars = 2048;
        int batchSize = 16;
        boolean saliency = true;
        int spanTokens = 8;
        int spansPerExample = 2;
        int partitions;
        int iteration;

        public Options(String checkpoint, String input) {
            this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
            this.input = Objects.requireNonNull(input, "input");
        }

        public Options output(String folder, OutputFormat fmt) {
            this.output = folder;
            this.format = Objects.requireNonNull(fmt);
            return this;
        }

        public Options textField(String v) {
            this.textField = v;
            return this;
        }

        public Options signal(Signal v) {
            this.signal = Objects.requireNonNull(v);
            return this;
        }

        public Options topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("top-k must be >= 1, got " + k);
            }
            this.topK = k;
            this.fraction = 0;
            return this;
        }

        public Options fraction(double f) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1], got " + f);
            }
            this.fraction = f;
            return this;
        }

        public Options windowChars(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("window chars must be >= 0, got " + v);
            }
            this.windowChars = v;
            return this;
        }

        /** The miner's {@code optMinWindowChars}; default a third of the window, as the miner's. */
        public Options minWindowChars(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("min window chars must be >= 0, got " + v);
            }
            this.minWindowChars = v;
            return this;
        }

        int minWindowChars() {
            return minWindowChars >= 0 ? minWindowChars : windowChars / 3;
        }

        /** The miner's {@code optStretchChars}. */
        public Options stretchChars(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("stretch chars must be >= 0, got " + v);
            }
            this.stretchChars = v;
            return this;
        }

        public Options batchSize(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + v);
            }
            this.batchSize = v;
            return this;
        }

        public Options saliency(boolean v) {
            this.saliency = v;
            return this;
        }

        public Options spans(int tokens, int perExample) {
            if (tokens < 1 || perExample < 1) {
                throw new IllegalArgumentException("span tokens and spans per example must be >= 1");
            }
            this.spanTokens = tokens;
            this.spansPerExample = perExample;
            return this;
        }

        /** Scoring partitions; 0 (default) for the application's default parallelism. */
        public Options partitions(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("partitions must be >= 0, got " + v);
            }
            this.partitions = v;
            return this;
        }

        public Options iteration(int v) {
            this.iteration = v;
            return this;
        }

        /** The single-process miner with the same options (the reference of the equality test). */
        public UncertaintyFeedbackMiner miner() {
            UncertaintyFeedbackMiner.Builder b = UncertaintyFeedbackMiner.builder().optSignal(signal)
                    .optSaliency(saliency).optSpanTokens(spanTokens).optSpansPerExample(spansPerExample)
                    .optWindowChars(windowChars).optMinWindowChars(minWindowChars()).optStretchChars(stretchChars)
                    .optBatchSize(batchSize);
            return (fraction > 0 ? b.optFraction(fraction) : b.optTopK(topK)).build();
        }
    }

    /** One window of a pool document, at corpus position (order, ordinal). */
    public record Window(long order, int ordinal, String id, String text, String document, int start)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A scored window; {@code predicted == 0} (one token) has NaN signals. */
    public record Scored(long order, int ordinal, String id, String text, String document, int start, int tokens,
            int predicted,
            double meanEntropy, double meanLogProb) implements Serializable {
        private static final long serialVersionUID = 1L;

        double hardness(Signal s) {
            return s == Signal.ENTROPY ? meanEntropy : -meanLogProb;
        }
    }

    /** Saliency of one chosen window, computed on an executor. */
    record Salient(int rank, int[] ids, int[] starts, int[] ends, double[] norms, int[] spanStarts, int[] spanEnds)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What the job found.
     *
     * @param feedback the miner's result for the pool
     * @param windows windows cut from the pool
     * @param rankedWindows windows with at least two tokens (ranked)
     * @param tokens tokens scored (every window's tokens)
     * @param scoreSeconds wall time of reading, windowing and scoring (model loads included)
     * @param modelSeconds time the scoring tasks spent inside the model's {@code score} calls, summed over tasks
     *     (in {@code local[1]} or on one one-core executor, {@code scoreSeconds - modelSeconds} is Spark's own work:
     *     reading, shuffle, serialisation, persisting, scheduling)
     * @param saliencySeconds wall time of the top-k and the saliency stage
     * @param checkpointSha256 the checkpoint's content hash
     */
    public record Result(Feedback feedback, long windows, long rankedWindows, long tokens, double scoreSeconds,
            double modelSeconds, double saliencySeconds, String checkpointSha256) {}

    /** Orders scored windows hardest first, ties in corpus order. */
    static final class Hardest implements Comparator<Scored>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Signal signal;

        Hardest(Signal signal) {
            this.signal = signal;
        }

        @Override
        public int compare(Scored a, Scored b) {
            int c = Double.compare(b.hardness(signal), a.hardness(signal));
            if (c != 0) {
                return c;
            }
            c = Long.compare(a.order(), b.order());
            return c != 0 ? c : Integer.compare(a.ordinal(), b.ordinal());
        }
    }

    /** Sums over the ranked windows. */
    static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        long windows;
        long ranked;
        long tokens;
        double entropy;
        double logProb;

        Sums add(Scored s) {
            windows++;
            tokens += s.tokens();
            if (s.predicted() > 0) {
                ranked++;
                entropy += s.meanEntropy();
                logProb += s.meanLogProb();
            }
            return this;
        }

        Sums merge(Sums o) {
            windows += o.windows;
            ranked += o.ranked;
            tokens += o.tokens;
            entropy += o.entropy;
            logProb += o.logProb;
            return this;
        }
    }

    /** The windows of the pool, each with its corpus position. */
    static JavaRDD<Window> windows(JavaRDD<Corpus.Doc> docs, int windowChars, int minWindowChars) {
        return docs.flatMap(d -> {
            List<Document> parts = UncertaintyFeedbackMiner.windows(new Document(d.id(), d.text(),
                    Provenance.of("pool")), windowChars, minWindowChars);
            List<Window> out = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                Document part = parts.get(i);
                out.add(new Window(d.order(), i, part.id(), part.text(),
                        UncertaintyFeedbackMiner.windowDocument(part), UncertaintyFeedbackMiner.windowStart(part)));
            }
            return out.iterator();
        });
    }

    /**
     * The {@code keep} hardest ranked windows under the miner's one-per-stretch rule: the rule is greedy in rank
     * order, so it is applied to a growing prefix of the ranking until the prefix fills {@code keep} or holds every
     * ranked window.
     */
    static List<Scored> hardest(JavaRDD<Scored> scored, int keep, Options o) {
        JavaRDD<Scored> ranked = scored.filter(s -> s.predicted() > 0);
        for (long take = keep; ; take = Math.min(Integer.MAX_VALUE - 8, take * 4)) {
            List<Scored> prefix = ranked.takeOrdered((int) take, new Hardest(o.signal));
            List<Scored> kept = UncertaintyFeedbackMiner.onePerStretch(prefix, keep, o.stretchChars,
                    Scored::document, Scored::start);
            if (kept.size() >= keep || prefix.size() < take || take >= Integer.MAX_VALUE - 8) {
                return kept;
            }
        }
    }

    /**
     * Scores one partition's windows with this JVM's model, {@code batchSize} at a time; adds the nanoseconds spent
     * in the model's calls to {@code modelNanos}.
     */
    static Iterator<Scored> scorePartition(Iterator<Window> it, String checkpoint, int batchSize,
            LongAccumulator modelNanos) {
        List<Scored> out = new ArrayList<>();
        if (!it.hasNext()) {
            return out.iterator();
        }
        try (ExecutorModels.Lease lease = ExecutorModels.lease(checkpoint)) {
            List<Window> batch = new ArrayList<>(batchSize);
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == batchSize || !it.hasNext()) {
                    long t0 = System.nanoTime();
                    List<TokenScores> scores = lease.model().score(batch.stream().map(Window::text).toList());
                    modelNanos.add(System.nanoTime() - t0);
                    if (scores.size() != batch.size()) {
                        throw new IllegalStateException("the model returned " + scores.size() + " scores for "
                                + batch.size() + " windows");
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        Window w = batch.get(i);
                        TokenScores s = scores.get(i);
                        int p = s.predictedCount();
                        out.add(new Scored(w.order(), w.ordinal(), w.id(), w.text(), w.document(), w.start(),
                                s.size(), p,
                                p == 0 ? Double.NaN : s.meanEntropy(), p == 0 ? Double.NaN : s.meanLogProb()));
                    }
                    batch.clear();
                }
            }
        }
        return out.iterator();
    }

    /** Saliency and salient spans of one partition of chosen windows. */
    static Iterator<Salient> saliencyPartition(Iterator<Tuple> it, String checkpoint, int batchSize, int spanTokens,
            int spansPerExample) {
        List<Salient> out = new ArrayList<>();
        if (!it.hasNext()) {
            return out.iterator();
        }
        try (ExecutorModels.Lease lease = ExecutorModels.lease(checkpoint)) {
            List<Tuple> batch = new ArrayList<>(batchSize);
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == batchSize || !it.hasNext()) {
                    List<String> texts = batch.stream().map(Tuple::text).toList();
                    DjlLanguageModel model = lease.model();
                    List<SaliencyMap> maps = ExecutorModels.withGradients(() -> model.saliency(texts));
                    for (int i = 0; i < batch.size(); i++) {
                        SaliencyMap m = maps.get(i);
                        ImmutableList<Span> spans = UncertaintyFeedbackMiner.topSpans(m, spanTokens, spansPerExample);
                        out.add(new Salient(batch.get(i).rank(), m.ids().toArray(), m.starts().toArray(),
                                m.ends().toArray(), m.norms().toArray(),
                                spans.stream().mapToInt(Span::start).toArray(),
                                spans.stream().mapToInt(Span::end).toArray()));
                    }
                    batch.clear();
                }
            }
        }
        return out.iterator();
    }

    /** A chosen window with its rank. */
    record Tuple(int rank, String text) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Runs the job.
     *
     * @throws IOException if the input cannot be listed or read, or an output cannot be written
     */
    public static Result run(SparkSession spark, Options o) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String sha = Checkpoints.sha256(o.checkpoint, jsc.hadoopConfiguration());
        if (o.output != null) {
            Path out = new Path(o.output);
            if (out.getFileSystem(jsc.hadoopConfiguration()).exists(out)) {
                throw new IOException(o.output + ": output folder exists; choose a new one");
            }
        }
        long t0 = System.nanoTime();
        int parts = o.partitions > 0 ? o.partitions : jsc.defaultParallelism();
        JavaRDD<Window> windows = windows(Corpus.read(jsc, o.input, o.textField), o.windowChars, o.minWindowChars())
                .repartition(parts);
        String ckpt = o.checkpoint;
        int batch = o.batchSize;
        LongAccumulator modelNanos = jsc.sc().longAccumulator("pool-scoring model nanoseconds");
        JavaRDD<Scored> scored = windows.mapPartitions(it -> scorePartition(it, ckpt, batch, modelNanos))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        Sums sums = scored.aggregate(new Sums(), Sums::add, Sums::merge);
        double scoreSeconds = (System.nanoTime() - t0) / 1e9;
        // read once the action is done: a recomputed partition (persisted to disk and lost, or a retried task) adds
        // its time again, so this is the work the model did, not a share of the stage
        double modelSeconds = modelNanos.value() / 1e9;

        long t1 = System.nanoTime();
        List<HardExample> hard = new ArrayList<>();
        if (sums.ranked > 0) {
            long keep = o.fraction > 0 ? (long) Math.ceil(o.fraction * sums.ranked) : o.topK;
            keep = Math.min(keep, sums.ranked);
            if (keep > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("fraction " + o.fraction + " keeps " + keep + " windows: too many"
                        + " for the driver");
            }
            List<Scored> chosen = hardest(scored, (int) keep, o);
            Salient[] salient = new Salient[chosen.size()];
            if (o.saliency && !chosen.isEmpty()) {
                List<Tuple> tuples = new ArrayList<>();
                for (int i = 0; i < chosen.size(); i++) {
                    tuples.add(new Tuple(i, chosen.get(i).text()));
                }
                int sp = Math.max(1, Math.min(jsc.defaultParallelism(), (chosen.size() + batch - 1) / batch));
                int spanTokens = o.spanTokens;
                int spansPer = o.spansPerExample;
                for (Salient s : jsc.parallelize(tuples, sp)
                        .mapPartitions(it -> saliencyPartition(it, ckpt, batch, spanTokens, spansPer)).collect()) {
                    salient[s.rank()] = s;
                }
            }
            for (int i = 0; i < chosen.size(); i++) {
                Scored c = chosen.get(i);
                Document doc = new Document(c.id(), c.text(), Provenance.of("pool"));
                Salient s = salient[i];
                if (s == null) {
                    hard.add(HardExample.of(doc, c.meanEntropy(), c.meanLogProb(), c.hardness(o.signal)));
                } else {
                    SaliencyMap m = new SaliencyMap(c.text(), ImmutableIntArray.copyOf(s.ids()),
                            ImmutableIntArray.copyOf(s.starts()), ImmutableIntArray.copyOf(s.ends()),
                            ImmutableDoubleArray.copyOf(s.norms()));
                    ImmutableList.Builder<Span> spans = ImmutableList.builder();
                    for (int j = 0; j < s.spanStarts().length; j++) {
                        spans.add(new Span(s.spanStarts()[j], s.spanEnds()[j]));
                    }
                    hard.add(new HardExample(doc, c.meanEntropy(), c.meanLogProb(), c.hardness(o.signal),
                            spans.build(), m));
                }
            }
        }
        double saliencySeconds = (System.nanoTime() - t1) / 1e9;
        Feedback feedback = sums.ranked == 0
                ? new Feedback(o.iteration, (int) sums.windows, ImmutableList.of(), Double.NaN, Double.NaN)
                : new Feedback(o.iteration, (int) Math.min(Integer.MAX_VALUE, sums.windows),
                        ImmutableList.copyOf(hard), sums.entropy / sums.ranked, sums.logProb / sums.ranked);
        Result r = new Result(feedback, sums.windows, sums.ranked, sums.tokens, scoreSeconds, modelSeconds,
                saliencySeconds, sha);
        if (o.output != null) {
            write(spark, scored, r, o);
        }
        scored.unpersist(false);
        return r;
    }

    private static void write(SparkSession spark, JavaRDD<Scored> scored, Result r, Options o) throws IOException {
        Signal signal = o.signal;
        StructType scoreSchema = new StructType()
                .add("id", DataTypes.StringType, false)
                .add("tokens", DataTypes.IntegerType, false)
                .add("mean_entropy", DataTypes.DoubleType, false)
                .add("mean_log_prob", DataTypes.DoubleType, false)
                .add("hardness", DataTypes.DoubleType, false);
        JavaRDD<Row> rows = scored.map(s -> RowFactory.create(s.id(), s.tokens(), s.meanEntropy(), s.meanLogProb(),
                s.hardness(signal)));
        o.format.write(spark.createDataFrame(rows, scoreSchema), o.output + "/scores");

        StructType hardSchema = new StructType()
                .add("rank", DataTypes.IntegerType, false)
                .add("id", DataTypes.StringType, false)
                .add("text", DataTypes.StringType, false)
                .add("mean_entropy", DataTypes.DoubleType, false)
                .add("mean_log_prob", DataTypes.DoubleType, false)
                .add("hardness", DataTypes.DoubleType, false)
                .add("span_starts", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add("span_ends", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add("salient_texts", DataTypes.createArrayType(DataTypes.StringType, false), false);
        List<Row> hardRows = new ArrayList<>();
        List<HardExample> hard = r.feedback().hardExamples();
        for (int i = 0; i < hard.size(); i++) {
            HardExample h = hard.get(i);
            hardRows.add(RowFactory.create(i + 1, h.document().id(), h.document().text(), h.meanEntropy(),
                    h.meanLogProb(), h.hardness(),
                    h.salientSpans().stream().map(Span::start).toList(),
                    h.salientSpans().stream().map(Span::end).toList(), h.salientTexts()));
        }
        Dataset<Row> hardDf = spark.createDataFrame(hardRows, hardSchema).coalesce(1);
        o.format.write(hardDf, o.output + "/hard-examples");

        ObjectNode s = new ObjectMapper().createObjectNode();
        s.put("job", "pool-scoring");
        s.put("checkpoint", o.checkpoint);
        s.put("checkpoint_sha256", r.checkpointSha256());
        s.put("input", o.input);
        s.put("signal", o.signal.name().toLowerCase(Locale.ROOT));
        s.put("window_chars", o.windowChars);
        s.put("min_window_chars", o.minWindowChars());
        s.put("stretch_chars", o.stretchChars);
        s.put("batch_size", o.batchSize);
        if (o.fraction > 0) {
            s.put("fraction", o.fraction);
        } else {
            s.put("top_k", o.topK);
        }
        s.put("windows", r.windows());
        s.put("ranked_windows", r.rankedWindows());
        s.put("tokens", r.tokens());
        putFinite(s, "pool_mean_entropy", r.feedback().poolMeanEntropy());
        putFinite(s, "pool_mean_log_prob", r.feedback().poolMeanLogProb());
        s.put("hard_examples", hard.size());
        s.put("score_seconds", r.scoreSeconds());
        s.put("model_seconds", r.modelSeconds());
        s.put("saliency_seconds", r.saliencySeconds());
        writeJson(spark, o.output + "/_summary.json", s);
    }

    static void putFinite(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    /** Writes a small JSON document from the driver. */
    static void writeJson(SparkSession spark, String file, ObjectNode node) throws IOException {
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (OutputStream out = fs.create(p, true)) {
            out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node)
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** spark-submit entry point; see the class comment for the options. */
    public static void main(String[] argv) throws IOException {
        Args a = Args.parse("pool-scoring", argv, Set.of("checkpoint", "input", "output", "format", "signal",
                "top-k", "fraction", "window-chars", "batch-size", "no-saliency!", "partitions", "text-field",
                "span-tokens", "spans-per-example", "min-window-chars", "stretch-chars"));
        Options o = new Options(a.required("checkpoint"), a.required("input"))
                .output(a.required("output"), OutputFormat.parse(a.get("format", "parquet")))
                .textField(a.get("text-field", "text"))
                .signal(switch (a.get("signal", "entropy").toLowerCase(Locale.ROOT)) {
                    case "entropy" -> Signal.ENTROPY;
                    case "low-log-likelihood", "low_log_likelihood" -> Signal.LOW_LOG_LIKELIHOOD;
                    default -> throw new IllegalArgumentException("pool-scoring: --signal must be entropy or"
                            + " low-log-likelihood, got '" + a.get("signal", "") + "'");
                })
                .windowChars(a.getInt("window-chars", 480))
                .stretchChars(a.getInt("stretch-chars", 2048)).batchSize(a.getInt("batch-size", 16))
                .saliency(!a.flag("no-saliency")).partitions(a.getInt("partitions", 0))
                .spans(a.getInt("span-tokens", 8), a.getInt("spans-per-example", 2));
        if (a.get("min-window-chars", null) != null) {
            o.minWindowChars(a.getInt("min-window-chars", 0));
        }
        if (a.get("fraction", null) != null) {
            o.fraction(a.getDouble("fraction", 0));
        } else {
            o.topK(a.getInt("top-k", 16));
        }
        SparkSession spark = SparkJobs.session("symbiosis pool scoring");
        try {
            Result r = run(spark, o);
            System.out.printf(Locale.ROOT, "pool-scoring: %d windows (%d ranked, %d tokens) scored in %.1f s;"
                            + " %d hard examples in %.1f s; written to %s%n", r.windows(), r.rankedWindows(),
                    r.tokens(), r.scoreSeconds(), r.feedback().hardExamples().size(), r.saliencySeconds(), o.output);
        } finally {
            spark.stop();
        }
    }
}
