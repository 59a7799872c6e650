package dev.symbiosis.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Bulk generation on Spark: every prompt of a prompt corpus continued by a Generator checkpoint on the executors
 * (one model per executor JVM), {@code samplesPerPrompt} rows per prompt, written as part files of an output
 * folder.
 *
 * <p><b>Provenance.</b> Every row carries its prompt (id, corpus index, text), its sample number and seed, the
 * checkpoint's location and SHA-256 ({@link Checkpoints#sha256}) and the sampling settings.
 *
 * <p><b>Independent of the partitioning and the batching.</b> The seed of sample {@code s} of prompt {@code i} (the
 * prompt's index in corpus order) is {@code SplitMix64(seed, i, s)} ({@link #rowSeed}). A task decodes its rows
 * (prompt by prompt in corpus order, sample by sample) {@link Options#batchSize batchSize} at a time in one
 * {@link dev.symbiosis.core.model.Generator#generateSeeded generateSeeded} call, each row with its own seed; the
 * engine decodes the rows of a call together and gives each row exactly the sample it gives that row alone, so a
 * row does not depend on which other prompts share its partition or batch: 1 and 3 partitions, and batch sizes 1
 * and 4, give the same rows (tests). The batch size is therefore not one of the job's pinned settings: a resumed
 * job may use another.
 *
 * <p><b>Resumable.</b> Prompts are split into {@code partitions} contiguous ranges of corpus indices; a task writes
 * its range's rows and commits them by renaming its part file into place ({@link PartFiles}). The job's settings
 * are recorded in {@code _job.json}; a job started again on the same folder checks that they are the same (else
 * it fails naming the setting), skips the committed partitions and generates the rest, ending with the same output
 * as an uninterrupted run (test: a job killed part way). Needs an output file system with atomic rename: HDFS or
 * POSIX, not an object store.
 *
 * <p>spark-submit: {@code --class dev.symbiosis.spark.BulkGeneration symbiosis-spark.jar --checkpoint DIR --input
 * PATH --output DIR [--format parquet|jsonl] [--partitions N] [--samples-per-prompt N] [--batch-size N] [--seed S]
 * [--temperature T] [--top-k K] [--top-p P] [--repetition-penalty R] [--max-new-tokens N] [--prompt-field NAME]}.
 */
public final class BulkGeneration {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The columns of an output row, in order. */
    static final List<PartFiles.Column> COLUMNS = List.of(
            new PartFiles.Column("prompt_id", String.class),
            new PartFiles.Column("prompt_index", Long.class),
            new PartFiles.Column("sample", Integer.class),
            new PartFiles.Column("prompt", String.class),
            new PartFiles.Column("completion", String.class),
            new PartFiles.Column("new_tokens", Integer.class),
            new PartFiles.Column("seed", Long.class),
            new PartFiles.Column("checkpoint", String.class),
            new PartFiles.Column("checkpoint_sha256", String.class),
            new PartFiles.Column("temperature", Double.class),
            new PartFiles.Column("top_k", Integer.class),
            new PartFiles.Column("top_p", Double.class),
            new PartFiles.Column("repetition_penalty", Double.class),
            new PartFiles.Column("max_new_tokens", Integer.class));

    /** Rows decoded together by default ({@link Options#batchSize}). */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private BulkGeneration() {}

    /** The job's options. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        final String checkpoint;
        final String input;
        final String output;
        OutputFormat format = OutputFormat.PARQUET;
        String promptField = "prompt";
        int partitions;
        int samplesPerPrompt = 1;
        int batchSize = DEFAULT_BATCH_SIZE;
        transient SamplingConfig sampling = SamplingConfig.defaults();

        public Options(String checkpoint, String input, String output) {
            this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
            this.input = Objects.requireNonNull(input, "input");
            this.output = Objects.requireNonNull(output, "output");
        }

        public Options format(OutputFormat v) {
            this.format = Objects.requireNonNull(v);
            return this;
        }

        public Options promptField(String v) {
            this.promptField = Objects.requireNonNull(v);
            return this;
        }

        /** Partitions of the prompt corpus; 0 (default) for the application's default parallelism. */
        public Options partitions(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("partitions must be >= 0, got " + v);
            }
            this.partitions = v;
            return this;
        }

        public Options samplesPerPrompt(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("samples per prompt must be >= 1, got " + v);
            }
            this.samplesPerPrompt = v;
            return this;
        }

        /**
         * Rows decoded together in one call of the model (rows of several prompts share a batch). Default
         * {@value BulkGeneration#DEFAULT_BATCH_SIZE}; the rows are the same for every value. The executor's model is
         * loaded to decode that many rows at once ({@link ExecutorModels#lease(String, int)}). Larger batches use the
         * hardware better (on a GPU decoding 64 rows takes about as long as one) and need memory for their key/value
         * caches.
         *
         * @throws IllegalArgumentException if {@code v < 1}
         */
        public Options batchSize(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + v);
            }
            this.batchSize = v;
            return this;
        }

        /** Sampling settings; their seed is the job seed from which every row's seed is derived. */
        public Options sampling(SamplingConfig v) {
            this.sampling = Objects.requireNonNull(v);
            return this;
        }
    }

    /**
     * What a run did.
     *
     * @param prompts prompts in the corpus
     * @param partitions logical partitions of the job
     * @param skipped partitions found committed and skipped
     * @param generated partitions this run committed
     * @param rows rows this run wrote
     * @param seconds wall time
     */
    public record Result(long prompts, int partitions, int skipped, int generated, long rows, double seconds) {}

    /** The seed of sample {@code sample} of prompt {@code index}: SplitMix64 of the job seed, index and sample. */
    public static long rowSeed(long jobSeed, long index, int sample) {
        long z = jobSeed + 0x9E3779B97F4A7C15L * (index * 1_000_003L + sample + 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Sends each record to the Spark partition of its logical partition. */
    static final class LogicalPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int[] logical;

        LogicalPartitioner(List<Integer> remaining) {
            this.logical = remaining.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public int numPartitions() {
            return logical.length;
        }

        @Override
        public int getPartition(Object key) {
            int p = (Integer) key;
            int i = java.util.Arrays.binarySearch(logical, p);
            if (i < 0) {
                throw new IllegalStateException("partition " + p + " is not to be generated");
            }
            return i;
        }
    }

    /** {@link SamplingConfig}'s fields, to travel with a task. */
    record Sampling(double temperature, int topK, double topP, double repetitionPenalty, int maxNewTokens, long seed)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        static Sampling of(SamplingConfig c) {
            return new Sampling(c.temperature(), c.topK(), c.topP(), c.repetitionPenalty(), c.maxNewTokens(),
                    c.seed());
        }

        SamplingConfig config() {
            return new SamplingConfig(temperature, topK, topP, repetitionPenalty, maxNewTokens, seed);
        }
    }

    /** One prompt with its corpus index. */
    record Indexed(long index, String id, String text) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Runs (or resumes) the job.
     *
     * @throws IOException if the input cannot be read, or the output folder holds a different job
     */
    public static Result run(SparkSession spark, Options o) throws IOException {
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        Path out = new Path(o.output);
        FileSystem fs = out.getFileSystem(conf);
        List<String> files = Corpus.files(o.input, conf);
        String sha = Checkpoints.sha256(o.checkpoint, conf);

        // prompts per file give every prompt its corpus index without shuffling the texts
        JavaRDD<Corpus.Doc> docs = Corpus.read(jsc, o.input, o.promptField);
        Map<Integer, Long> perFile = docs.map(d -> (int) (d.order() >>> 32)).countByValue();
        long[] offset = new long[files.size() + 1];
        for (int f = 0; f < files.size(); f++) {
            offset[f + 1] = offset[f] + perFile.getOrDefault(f, 0L);
        }
        long n = offset[files.size()];
        if (n == 0) {
            throw new IOException(o.input + ": no prompts");
        }
        int wanted = o.partitions > 0 ? o.partitions : jsc.defaultParallelism();
        int parts = (int) Math.min(wanted, n);

        ObjectNode job = manifest(o, files, conf, n, parts, sha);
        Path manifest = new Path(out, "_job.json");
        if (fs.exists(manifest)) {
            JsonNode before;
            try (InputStream in = fs.open(manifest)) {
                before = JSON.readTree(in);
            }
            String diff = difference(before, job);
            if (diff != null) {
                throw new IOException(o.output + " holds another job: " + diff + "; use a new output folder");
            }
        } else {
            fs.mkdirs(out);
            try (OutputStream w = fs.create(manifest, false)) {
                w.write(JSON.writeValueAsBytes(job));
            }
        }
        PartFiles.clearTemporary(out, conf);
        TreeSet<Integer> committed = PartFiles.committed(out, o.format, conf);
        List<Integer> remaining = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            if (!committed.contains(p)) {
                remaining.add(p);
            }
        }
        long rows = 0;
        int generated = 0;
        if (!remaining.isEmpty()) {
            Set<Integer> todo = new TreeSet<>(remaining);
            long total = n;
            int numParts = parts;
            JavaPairRDD<Integer, Indexed> work = docs.mapToPair(d -> {
                long index = offset[(int) (d.order() >>> 32)] + (d.order() & 0xFFFF_FFFFL);
                int p = (int) (index * numParts / total);
                return new Tuple2<>(p, new Indexed(index, d.id(), d.text()));
            }).filter(t -> todo.contains(t._1())).partitionBy(new LogicalPartitioner(remaining));
            String ckpt = o.checkpoint;
            HadoopConf hc = new HadoopConf(conf);
            OutputFormat format = o.format;
            String folder = o.output;
            Sampling sampling = Sampling.of(o.sampling);
            int samples = o.samplesPerPrompt;
            int batch = o.batchSize;
            List<Tuple2<Integer, Long>> done = work.mapPartitions(it -> generatePartition(it, ckpt, sha, sampling,
                    samples, batch, folder, format, hc)).collect();
            for (Tuple2<Integer, Long> d : done) {
                generated++;
                rows += d._2();
            }
        }
        return new Result(n, parts, committed.size(), generated, rows, (System.nanoTime() - t0) / 1e9);
    }

    private static Iterator<Tuple2<Integer, Long>> generatePartition(Iterator<Tuple2<Integer, Indexed>> it,
            String checkpoint, String sha, Sampling sampling, int samples, int batchSize, String folder,
            OutputFormat format, HadoopConf conf) throws IOException {
        List<Indexed> prompts = new ArrayList<>();
        int p = -1;
        while (it.hasNext()) {
            Tuple2<Integer, Indexed> t = it.next();
            if (p >= 0 && t._1() != p) {
                throw new IllegalStateException("partitions " + p + " and " + t._1() + " in one task");
            }
            p = t._1();
            prompts.add(t._2());
        }
        List<Tuple2<Integer, Long>> result = new ArrayList<>();
        if (p < 0) {
            return result.iterator();
        }
        prompts.sort((a, b) -> Long.compare(a.index(), b.index()));
        // every row of the partition in order (prompt, then sample), decoded batchSize at a time
        List<Indexed> rowPrompt = new ArrayList<>();
        List<Integer> rowSample = new ArrayList<>();
        for (Indexed q : prompts) {
            for (int s = 0; s < samples; s++) {
                rowPrompt.add(q);
                rowSample.add(s);
            }
        }
        List<Object[]> rows = new ArrayList<>(rowPrompt.size());
        SamplingConfig config = sampling.config();
        try (ExecutorModels.Lease lease = ExecutorModels.lease(checkpoint, batchSize)) {
            for (int from = 0; from < rowPrompt.size(); from += batchSize) {
                int to = Math.min(rowPrompt.size(), from + batchSize);
                List<Prompt> batch = new ArrayList<>(to - from);
                long[] seeds = new long[to - from];
                for (int r = from; r < to; r++) {
                    Indexed q = rowPrompt.get(r);
                    batch.add(new Prompt(q.text(), Provenance.of("prompts").with("id", q.id())));
                    seeds[r - from] = rowSeed(sampling.seed(), q.index(), rowSample.get(r));
                }
                List<Sample> out = lease.model().generateSeeded(batch, config, seeds);
                for (int r = from; r < to; r++) {
                    Indexed q = rowPrompt.get(r);
                    Sample sample = out.get(r - from);
                    rows.add(new Object[] {q.id(), q.index(), rowSample.get(r), q.text(), sample.completion(),
                        sample.newTokens(), seeds[r - from], checkpoint, sha, sampling.temperature(), sampling.topK(),
                        sampling.topP(), sampling.repetitionPenalty(), sampling.maxNewTokens()});
                }
            }
        }
        TaskContext tc = TaskContext.get();
        String attempt = tc == null ? "local" : tc.stageId() + "-" + tc.partitionId() + "-" + tc.taskAttemptId();
        PartFiles.writeAndCommit(new Path(folder), p, attempt, format, COLUMNS, rows, conf.get());
        result.add(new Tuple2<>(p, (long) rows.size()));
        return result.iterator();
    }

    private static ObjectNode manifest(Options o, List<String> files, Configuration conf, long prompts, int parts,
            String sha) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("job", "bulk-generation");
        m.put("checkpoint_sha256", sha);
        m.put("prompt_field", o.promptField);
        ArrayNode in = m.putArray("input");
        for (String f : files) {
            Path p = new Path(f);
            in.addObject().put("file", p.getName()).put("bytes", p.getFileSystem(conf).getFileStatus(p).getLen());
        }
        m.put("prompts", prompts);
        m.put("partitions", parts);
        m.put("format", o.format.name().toLowerCase(Locale.ROOT));
        m.put("samples_per_prompt", o.samplesPerPrompt);
        SamplingConfig s = o.sampling;
        m.put("seed", s.seed());
        m.put("temperature", s.temperature());
        m.put("top_k", s.topK());
        m.put("top_p", s.topP());
        m.put("repetition_penalty", s.repetitionPenalty());
        m.put("max_new_tokens", s.maxNewTokens());
        return m;
    }

    /** The first field that differs, as "field: was X, now Y", or null. */
    private static String difference(JsonNode before, ObjectNode now) {
        for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            JsonNode a = before.get(f);
            JsonNode b = now.get(f);
            if (a == null || !a.toString().equals(b.toString())) {
                return "setting '" + f + "' was " + a + ", now " + b;
            }
        }
        return null;
    }

    /** spark-submit entry point; see the class comment for the options. */
    public static void main(String[] argv) throws IOException {
        Args a = Args.parse("bulk-generation", argv, Set.of("checkpoint", "input", "output", "format",
                "partitions", "samples-per-prompt", "batch-size", "seed", "temperature", "top-k", "top-p", "repetition-penalty",
                "max-new-tokens", "prompt-field"));
        SamplingConfig d = SamplingConfig.defaults();
        Options o = new Options(a.required("checkpoint"), a.required("input"), a.required("output"))
                .format(OutputFormat.parse(a.get("format", "parquet")))
                .promptField(a.get("prompt-field", "prompt"))
                .partitions(a.getInt("partitions", 0))
                .samplesPerPrompt(a.getInt("samples-per-prompt", 1))
                .batchSize(a.getInt("batch-size", DEFAULT_BATCH_SIZE))
                .sampling(new SamplingConfig(a.getDouble("temperature", d.temperature()), a.getInt("top-k", d.topK()),
                        a.getDouble("top-p", d.topP()), a.getDouble("repetition-penalty", d.repetitionPenalty()),
                        a.getInt("max-new-tokens", d.maxNewTokens()), a.getLong("seed", d.seed())));
        SparkSession spark = SparkJobs.session("symbiosis bulk generation");
        try {
            Result r = run(spark, o);
            System.out.printf(Locale.ROOT, "bulk-generation: %d prompts in %d partitions: %d committed before,"
                            + " %d generated now (%d rows) in %.1f s -> %s%n", r.prompts(), r.partitions(),
                    r.skipped(), r.generated(), r.rows(), r.seconds(), o.output);
        } finally {
            spark.stop();
        }
    }
}
