package dev.symbiosis.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.dedup.MinHash;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Near-duplicate removal at scale with the library's {@link MinHash}, banded by hand (not MLlib's MinHashLSH, which
 * only ORs single-hash tables and joins whole rows):
 *
 * <ol>
 *   <li>the signature of every document on the executors ({@code hashes} functions over {@code shingleWords}-word
 *       shingles, family {@code seed});</li>
 *   <li>locality-sensitive hashing: {@code bands} bands of {@code rows} hashes each; documents whose band agrees
 *       fall in one bucket, and each bucket links its members to its first member (only corpus positions are
 *       shuffled);</li>
 *   <li>each candidate pair is verified: estimated Jaccard similarity ({@link MinHash#estimate}) at least the
 *       threshold;</li>
 *   <li>connected components of the verified pairs (min-label propagation);</li>
 *   <li>inside each component, in corpus order, {@link NearDuplicateFilter}'s greedy rule: a document is dropped
 *       when it is similar to an already kept one, so a chain A~B~C with A and C dissimilar keeps A and C.</li>
 * </ol>
 * Whenever every pair at or above the threshold is a candidate, the kept documents are exactly those
 * {@link NearDuplicateFilter#filter} keeps from the corpus in order (test). Banding finds a pair of similarity
 * {@code s} with probability {@code 1 - (1 - s^rows)^bands}; by default the job takes the most rows per band (fewer
 * false candidates) for which that is at least 0.999 at the threshold, and reports it ({@link Result#recallAtThreshold}).
 *
 * <p>Outputs (when an output folder is given): {@code kept/} (id, text in corpus order), {@code dropped/} (id, the
 * id of the kept document it duplicates, their estimated similarity) and {@code _summary.json} with the counts.
 *
 * <p>spark-submit: {@code --class dev.symbiosis.spark.NearDuplicates symbiosis-spark.jar --input PATH --output DIR
 * [--format parquet|jsonl] [--threshold T] [--hashes N] [--shingle-words W] [--seed S] [--bands B --rows R]
 * [--text-field NAME]}.
 */
public final class NearDuplicates {

    private NearDuplicates() {}

    /** Options; the defaults are the library's (128 hashes, 3-word shingles) and threshold 0.8. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        final String input;
        String textField = "text";
        String output;
        OutputFormat format = OutputFormat.PARQUET;
        double threshold = 0.8;
        int hashes = MinHash.DEFAULT_HASHES;
        int shingleWords = MinHash.DEFAULT_SHINGLE_WORDS;
        long seed;
        int bands;
        int rows;

        public Options(String input) {
            this.input = Objects.requireNonNull(input, "input");
        }

        public Options output(String folder, OutputFormat fmt) {
            this.output = folder;
            this.format = Objects.requireNonNull(fmt);
            return this;
        }

        public Options textField(String v) {
            this.textField = Objects.requireNonNull(v);
            return this;
        }

        public Options threshold(double t) {
            if (!(t > 0 && t <= 1)) {
                throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], got " + t);
            }
            this.threshold = t;
            return this;
        }

        public Options minHash(int hashes, int shingleWords, long seed) {
            MinHash.of(hashes, shingleWords, seed); // validates
            this.hashes = hashes;
            this.shingleWords = shingleWords;
            this.seed = seed;
            return this;
        }

        /** Bands and rows per band ({@code bands * rows <= hashes}); default chosen from the threshold. */
        public Options banding(int bands, int rows) {
            if (bands < 1 || rows < 1) {
                throw new IllegalArgumentException("bands and rows must be >= 1, got " + bands + " and " + rows);
            }
            this.bands = bands;
            this.rows = rows;
            return this;
        }

        /** The single-process filter with the same settings (the reference of the equality test). */
        public NearDuplicateFilter filter() {
            return new NearDuplicateFilter(MinHash.of(hashes, shingleWords, seed), threshold);
        }
    }

    /**
     * What the job found.
     *
     * @param documents documents read
     * @param kept documents kept
     * @param dropped documents dropped as near duplicates
     * @param candidatePairs distinct pairs that shared a bucket (linked to the bucket's first member)
     * @param verifiedPairs candidate pairs at or above the threshold
     * @param components connected components of two or more documents
     * @param bands bands used
     * @param rows hashes per band
     * @param recallAtThreshold probability that banding makes a pair at the threshold a candidate
     * @param keptOrders corpus positions of the kept documents, ascending (null when more than 10^6)
     */
    public record Result(long documents, long kept, long dropped, long candidatePairs, long verifiedPairs,
            long components, int bands, int rows, double recallAtThreshold, long[] keptOrders) {}

    /** Probability that a pair of similarity {@code s} shares at least one of {@code bands} bands of {@code rows}. */
    public static double candidateProbability(double s, int bands, int rows) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    /** The most rows per band (then the most bands) with recall at least 0.999 at the threshold. */
    static int[] defaultBanding(int hashes, double threshold) {
        for (int r = hashes; r >= 1; r--) {
            int b = hashes / r;
            if (candidateProbability(threshold, b, r) >= 0.999) {
                return new int[] {b, r};
            }
        }
        return new int[] {hashes, 1};
    }

    /** A document's signature. */
    record Sig(long order, long[] values) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Runs the job. */
    public static Result run(SparkSession spark, Options o) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (o.output != null && new Path(o.output).getFileSystem(jsc.hadoopConfiguration())
                .exists(new Path(o.output))) {
            throw new IOException(o.output + ": output folder exists; choose a new one");
        }
        int[] br = o.bands > 0 ? new int[] {o.bands, o.rows} : defaultBanding(o.hashes, o.threshold);
        int bands = br[0];
        int rows = br[1];
        if ((long) bands * rows > o.hashes) {
            throw new IllegalArgumentException(bands + " bands x " + rows + " rows exceed the " + o.hashes
                    + " hashes of a signature");
        }
        int hashes = o.hashes;
        int shingle = o.shingleWords;
        long seed = o.seed;
        double threshold = o.threshold;

        JavaRDD<Corpus.Doc> docs = Corpus.read(jsc, o.input, o.textField).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaPairRDD<Long, long[]> sigs = docs.mapPartitionsToPair(it -> {
            MinHash mh = MinHash.of(hashes, shingle, seed);
            List<Tuple2<Long, long[]>> out = new ArrayList<>();
            while (it.hasNext()) {
                Corpus.Doc d = it.next();
                out.add(new Tuple2<>(d.order(), mh.signature(d.text())));
            }
            return out.iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        long documents = sigs.count();

        // LSH buckets -> candidate pairs (first member, other member)
        JavaPairRDD<Long, Long> candidates = sigs.flatMapToPair(t -> {
            List<Tuple2<Tuple2<Integer, Long>, Long>> out = new ArrayList<>(bands);
            long[] v = t._2();
            for (int b = 0; b < bands; b++) {
                long h = 0x9E3779B97F4A7C15L * (b + 1);
                for (int r = b * rows; r < (b + 1) * rows; r++) {
                    h = Long.rotateLeft(h ^ v[r], 27) * 0x94d049bb133111ebL;
                }
                out.add(new Tuple2<>(new Tuple2<>(b, h), t._1()));
            }
            return out.iterator();
        }).groupByKey().flatMapToPair(bucket -> {
            List<Long> members = new ArrayList<>();
            bucket._2().forEach(members::add);
            List<Tuple2<Long, Long>> out = new ArrayList<>();
            if (members.size() > 1) {
                long first = members.stream().mapToLong(Long::longValue).min().getAsLong();
                for (long m : members) {
                    if (m != first) {
                        out.add(new Tuple2<>(first, m));
                    }
                }
            }
            return out.iterator();
        }).distinct().persist(StorageLevel.MEMORY_AND_DISK_SER());
        long candidatePairs = candidates.count();

        JavaPairRDD<Long, Long> verified = candidates.join(sigs)
                .mapToPair(t -> new Tuple2<>(t._2()._1(), new Tuple2<>(t._1(), t._2()._2())))
                .join(sigs)
                .filter(t -> MinHash.estimate(t._2()._1()._2(), t._2()._2()) >= threshold)
                .mapToPair(t -> new Tuple2<>(t._2()._1()._1(), t._1()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        long verifiedPairs = verified.count();

        // connected components: every node of a verified pair takes the smallest label of its neighbours
        JavaPairRDD<Long, Long> edges = verified.flatMapToPair(e -> List.of(e, new Tuple2<>(e._2(), e._1()))
                .iterator()).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaPairRDD<Long, Long> labels = edges.keys().distinct().mapToPair(v -> new Tuple2<>(v, v));
        for (int round = 0; ; round++) {
            JavaPairRDD<Long, Long> next = edges.join(labels)
                    .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2()))
                    .union(labels)
                    .reduceByKey(Math::min)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            long changed = next.join(labels).filter(t -> !t._2()._1().equals(t._2()._2())).count();
            labels = next;
            if (changed == 0) {
                break;
            }
            if (round > 200) {
                throw new IllegalStateException("connected components did not converge in 200 rounds");
            }
        }

        // greedy NearDuplicateFilter inside each component, in corpus order
        JavaRDD<long[]> drops = labels.join(sigs)
                .mapToPair(t -> new Tuple2<>(t._2()._1(), new Sig(t._1(), t._2()._2())))
                .groupByKey()
                .flatMap(component -> {
                    List<Sig> members = new ArrayList<>();
                    component._2().forEach(members::add);
                    members.sort((a, b) -> Long.compare(a.order(), b.order()));
                    List<Sig> accepted = new ArrayList<>();
                    List<long[]> out = new ArrayList<>();
                    for (Sig s : members) {
                        Sig dupOf = null;
                        double best = 0;
                        for (Sig a : accepted) {
                            double e = MinHash.estimate(a.values(), s.values());
                            if (e >= threshold && e > best) {
                                best = e;
                                dupOf = a;
                            }
                        }
                        if (dupOf == null) {
                            accepted.add(s);
                        } else {
                            out.add(new long[] {s.order(), dupOf.order(), Double.doubleToLongBits(best)});
                        }
                    }
                    return out.iterator();
                }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        long components = labels.values().distinct().count();
        long dropped = drops.count();

        JavaPairRDD<Long, Corpus.Doc> byOrder = docs.mapToPair(d -> new Tuple2<>(d.order(), d));
        JavaPairRDD<Long, Corpus.Doc> keptDocs = byOrder.subtractByKey(drops.mapToPair(d -> new Tuple2<>(d[0], 1L)));
        long kept = documents - dropped;
        long[] keptOrders = null;
        if (kept <= 1_000_000) {
            keptOrders = keptDocs.keys().collect().stream().mapToLong(Long::longValue).sorted().toArray();
        }
        double recall = candidateProbability(threshold, bands, rows);
        Result r = new Result(documents, kept, dropped, candidatePairs, verifiedPairs, components, bands, rows,
                recall, keptOrders);

        if (o.output != null) {
            StructType keptSchema = new StructType().add("id", DataTypes.StringType, false)
                    .add("text", DataTypes.StringType, false);
            o.format.write(spark.createDataFrame(keptDocs.sortByKey().values()
                    .map(d -> RowFactory.create(d.id(), d.text())), keptSchema), o.output + "/kept");
            JavaPairRDD<Long, String> ids = docs.mapToPair(d -> new Tuple2<>(d.order(), d.id()));
            JavaRDD<Row> droppedRows = drops.mapToPair(d -> new Tuple2<>(d[0], d))
                    .join(ids)
                    .mapToPair(t -> new Tuple2<>(t._2()._1()[1], new Tuple2<>(t._2()._2(), t._2()._1())))
                    .join(ids)
                    .map(t -> RowFactory.create(t._2()._1()._1(), t._2()._2(),
                            Double.longBitsToDouble(t._2()._1()._2()[2])));
            StructType droppedSchema = new StructType().add("id", DataTypes.StringType, false)
                    .add("duplicate_of", DataTypes.StringType, false)
                    .add("similarity", DataTypes.DoubleType, false);
            o.format.write(spark.createDataFrame(droppedRows, droppedSchema), o.output + "/dropped");
            ObjectNode s = new ObjectMapper().createObjectNode();
            s.put("job", "near-duplicates");
            s.put("input", o.input);
            s.put("threshold", o.threshold);
            s.put("hashes", o.hashes);
            s.put("shingle_words", o.shingleWords);
            s.put("seed", o.seed);
            s.put("bands", bands);
            s.put("rows", rows);
            s.put("recall_at_threshold", recall);
            s.put("documents", documents);
            s.put("kept", kept);
            s.put("dropped", dropped);
            s.put("candidate_pairs", candidatePairs);
            s.put("verified_pairs", verifiedPairs);
            s.put("components", components);
            PoolScoring.writeJson(spark, o.output + "/_summary.json", s);
        }
        for (JavaPairRDD<?, ?> rdd : Arrays.asList(sigs, candidates, verified, edges)) {
            rdd.unpersist(false);
        }
        drops.unpersist(false);
        docs.unpersist(false);
        return r;
    }

    /** spark-submit entry point; see the class comment for the options. */
    public static void main(String[] argv) throws IOException {
        Args a = Args.parse("near-duplicates", argv, Set.of("input", "output", "format", "threshold", "hashes",
                "shingle-words", "seed", "bands", "rows", "text-field"));
        Options o = new Options(a.required("input"))
                .output(a.required("output"), OutputFormat.parse(a.get("format", "parquet")))
                .textField(a.get("text-field", "text"))
                .threshold(a.getDouble("threshold", 0.8))
                .minHash(a.getInt("hashes", MinHash.DEFAULT_HASHES), a.getInt("shingle-words",
                        MinHash.DEFAULT_SHINGLE_WORDS), a.getLong("seed", 0));
        if (a.get("bands", null) != null || a.get("rows", null) != null) {
            o.banding(a.getInt("bands", 0), a.getInt("rows", 0));
        }
        SparkSession spark = SparkJobs.session("symbiosis near-duplicates");
        try {
            Result r = run(spark, o);
            System.out.printf(Locale.ROOT, "near-duplicates: %d documents, %d kept, %d dropped (%d candidate pairs,"
                            + " %d verified, %d components; %d bands x %d rows, recall %.4f at %.2f) -> %s%n",
                    r.documents(), r.kept(), r.dropped(), r.candidatePairs(), r.verifiedPairs(), r.components(),
                    r.bands(), r.rows(), r.recallAtThreshold(), o.threshold, o.output);
        } finally {
            spark.stop();
        }
    }
}
