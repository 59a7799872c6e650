package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.DjlLanguageModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The pool-scoring job on a real standalone cluster: master and worker are JVMs this test starts from the build's
 * class path, and the two executors are further processes the worker launches.
 */
class StandaloneClusterTest {

    @TempDir
    Path tmp;

    @Test
    void poolScoringOnExecutorProcessesEqualsTheSingleProcessMiner() throws Exception {
        List<String> lines = TestAssets.bundleLines("pool", 12);
        Path pool = TestAssets.writeLines(tmp.resolve("pool/pool.jsonl"), lines);
        PoolScoring.Options o = new PoolScoring.Options(TestAssets.student().toString(), pool.toString())
                .topK(4).partitions(4);

        String classPath = System.getProperty("java.class.path");
        long driverPid = ProcessHandle.current().pid();
        try (StandaloneCluster cluster = StandaloneCluster.start(classPath, 2, "2g", tmp.resolve("cluster"))) {
            SparkConf conf = cluster.configure(new SparkConf().setAppName("StandaloneClusterTest"), 1, "768m", 2);
            SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
            try {
                PoolScoring.Result r = PoolScoring.run(spark, o);

                // which processes ran the tasks, and how many models each of them loaded
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                List<Integer> seeds = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    seeds.add(i);
                }
                Map<Long, Integer> loadsByPid = new TreeMap<>();
                for (Tuple2<Long, Integer> t : jsc.parallelize(seeds, 16).map(i -> new Tuple2<>(
                        ProcessHandle.current().pid(), ExecutorModels.loads())).collect()) {
                    loadsByPid.merge(t._1(), t._2(), Math::max);
                }
                Set<Long> pids = new HashSet<>(loadsByPid.keySet());
                assertFalse(pids.contains(driverPid), "a task ran in the driver JVM");
                assertTrue(pids.stream().noneMatch(cluster.daemonPids()::contains), "a task ran in master/worker");
                assertEquals(2, pids.size(), "two executor JVMs: " + pids);
                int total = loadsByPid.values().stream().mapToInt(Integer::intValue).sum();
                // one core per executor: one model per executor JVM, reused by all its scoring and saliency tasks
                assertTrue(loadsByPid.values().stream().allMatch(n -> n <= 1) && total >= 1, "loads " + loadsByPid);

                List<Document> docs = new ArrayList<>();
                for (Corpus.Doc d : Corpus.readLocally(pool.toString(), "text", new Configuration())) {
                    docs.add(new Document(d.id(), d.text(), dev.symbiosis.core.text.Provenance.of("pool")));
                }
                Feedback expected;
                try (DjlLanguageModel student = DjlLanguageModel.load(TestAssets.student())) {
                    expected = o.miner().mine(student, docs, 0);
                }
                Feedback actual = r.feedback();
                assertEquals(expected.poolSize(), actual.poolSize());
                assertEquals(expected.poolMeanEntropy(), actual.poolMeanEntropy(), 1e-5);
                assertEquals(expected.poolMeanLogProb(), actual.poolMeanLogProb(), 1e-5);
                for (int i = 0; i < 4; i++) {
                    assertEquals(expected.hardExamples().get(i).document().id(),
                            actual.hardExamples().get(i).document().id(), "rank " + i);
                    assertEquals(expected.hardExamples().get(i).hardness(), actual.hardExamples().get(i).hardness(),
                            1e-5);
                    assertEquals(expected.hardExamples().get(i).salientSpans(),
                            actual.hardExamples().get(i).salientSpans());
                }
            } finally {
                spark.stop();
            }
        }
    }
}
