package dev.symbiosis.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.DjlLanguageModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.SparkSession;

/**
 * Pool-scoring throughput of the single-process miner and of {@link PoolScoring} in {@code local[1]},
 * {@code local[2]} and on a standalone cluster of two one-core executors on this machine. Not a test: it takes
 * minutes. Each configuration runs in a JVM of its own (PyTorch's thread count is fixed per process), one after the
 * other; start-up (session, executors, model load, a warm-up pass over the first file) is timed apart from the
 * steady-state run over the whole pool.
 *
 * <p>Usage (class path: this module's classes and its test class path, which holds the provided Spark):
 * {@code java -cp CP dev.symbiosis.spark.PoolScoringBench --checkpoint DIR --input POOL --warmup FILE
 * [--modes single1,local1,single2,local2,standalone] [--work DIR]}; one JSON line per configuration is printed, then
 * a Markdown table. See docs/scale-out.md for the figures.
 */
public final class PoolScoringBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PoolScoringBench() {}

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse("bench", argv, Set.of("checkpoint", "input", "warmup", "modes", "mode", "work",
                "top-k", "concurrent!"));
        String mode = a.get("mode", null);
        if (mode != null) {
            SparkJobs.offlineDriver();
            ObjectNode r = runOne(mode, a.required("checkpoint"), a.required("input"), a.required("warmup"),
                    Path.of(a.required("work")), a.getInt("top-k", 16));
            System.out.println("RESULT " + r);
            return;
        }
        Path work = Path.of(a.get("work", System.getProperty("java.io.tmpdir") + "/symbiosis-bench"));
        Files.createDirectories(work);
        List<JsonNode> results = new ArrayList<>();
        String[] modes = a.get("modes", "single1,local1,single2,local2,standalone").split(",");
        if (a.flag("concurrent")) {
            // all configurations at once: for a machine too loaded to run them one after the other in the time
            // at hand; compare CPU seconds then, not wall time
            List<java.util.concurrent.Future<JsonNode>> running = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(modes.length);
            for (String m : modes) {
                running.add(pool.submit(() -> child(m.trim(), a, work)));
            }
            for (java.util.concurrent.Future<JsonNode> f : running) {
                results.add(f.get());
                System.out.println(results.get(results.size() - 1));
            }
            pool.shutdown();
        } else {
            for (String m : modes) {
                results.add(child(m.trim(), a, work));
                System.out.println(results.get(results.size() - 1));
            }
        }
        System.out.println();
        System.out.println("| configuration | cores | tokens | start-up s | steady-state s | tokens/s |"
                + " steady-state CPU s | tokens per CPU s | wall vs single | CPU vs single | model calls s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (JsonNode r : results) {
            double base = Double.NaN;
            double baseCpu = Double.NaN;
            for (JsonNode s : results) {
                if (s.get("mode").asText().startsWith("single") && s.get("cores").asInt() == r.get("cores").asInt()) {
                    base = s.get("steady_seconds").asDouble();
                    baseCpu = s.get("steady_cpu_seconds").asDouble();
                }
            }
            double cpu = r.get("steady_cpu_seconds").asDouble();
            // Spark rows: the time inside the model's calls, summed over tasks (the rest of the stage is Spark's)
            String model = r.has("model_seconds") ? String.format(Locale.ROOT, "%.1f of %.1f (stage)",
                    r.get("model_seconds").asDouble(), r.get("score_seconds").asDouble()) : "all";
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.0f | %.1f | %.0f | %.2fx | %.2fx | %s |%n",
                    r.get("mode").asText(), r.get("cores").asInt(), r.get("tokens").asLong(),
                    r.get("startup_seconds").asDouble(), r.get("steady_seconds").asDouble(),
                    r.get("tokens").asLong() / r.get("steady_seconds").asDouble(), cpu, r.get("tokens").asLong() / cpu,
                    r.get("steady_seconds").asDouble() / base, cpu / baseCpu, model);
        }
    }

    /** Runs one configuration in a fresh JVM and returns its result line. */
    private static JsonNode child(String mode, Args a, Path work) throws Exception {
        int threads = mode.equals("single2") ? 2 : 1;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        cmd.addAll(List.of(SparkJobs.OFFLINE_JAVA_OPTIONS.split(" ")));
        cmd.addAll(List.of("-Xmx3g", "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                PoolScoringBench.class.getName(), "--mode", mode, "--checkpoint", a.required("checkpoint"),
                "--input", a.required("input"), "--warmup", a.required("warmup"),
                "--work", work.resolve(mode).toString(), "--top-k", a.get("top-k", "16")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        JsonNode result = null;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = JSON.readTree(line.substring(7));
                } else {
                    tail.append(line).append('\n');
                    if (tail.length() > 20_000) {
                        tail.delete(0, tail.length() - 10_000);
                    }
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || result == null) {
            throw new IllegalStateException("mode " + mode + " failed (exit " + code + "):\n" + tail);
        }
        return result;
    }

    private static ObjectNode runOne(String mode, String checkpoint, String input, String warmup, Path work,
            int topK) throws Exception {
        Files.createDirectories(work);
        ObjectNode r = JSON.createObjectNode();
        r.put("mode", mode);
        PoolScoring.Options options = new PoolScoring.Options(checkpoint, input).topK(topK);
        if (mode.startsWith("single")) {
            r.put("cores", mode.equals("single2") ? 2 : 1);
            long t0 = System.nanoTime();
            List<Document> pool = documents(input);
            List<Document> warm = documents(warmup);
            double read = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            try (DjlLanguageModel model = DjlLanguageModel.load(Path.of(checkpoint))) {
                CountingStudent student = new CountingStudent(model);
                UncertaintyFeedbackMiner miner = options.miner();
                miner.mine(student, warm, 0);
                double startup = (System.nanoTime() - t1) / 1e9;
                student.tokens = 0;
                double cpu0 = cpuSeconds();
                long t2 = System.nanoTime();
                Feedback f = miner.mine(student, pool, 0);
                double steady = (System.nanoTime() - t2) / 1e9;
                r.put("steady_cpu_seconds", cpuSeconds() - cpu0);
                r.put("read_seconds", read);
                r.put("startup_seconds", startup);
                r.put("steady_seconds", steady);
                r.put("tokens", student.tokens);
                r.put("windows", f.poolSize());
                r.put("pool_mean_entropy", f.poolMeanEntropy());
                r.put("top1", f.hardExamples().get(0).document().id());
            }
            return r;
        }
        long t0 = System.nanoTime();
        StandaloneCluster cluster = null;
        SparkConf conf = SparkJobs.configure(new SparkConf().setAppName("bench " + mode)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        int cores;
        if (mode.equals("standalone")) {
            cores = 2;
            cluster = StandaloneCluster.start(System.getProperty("java.class.path"), 2, "4g", work.resolve("cluster"));
            cluster.configure(conf, 1, "1g", 2);
            conf.set("spark.executor.extraJavaOptions", conf.get("spark.executor.extraJavaOptions")
                    + " -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1");
            conf.setExecutorEnv("OMP_WAIT_POLICY", "PASSIVE");
        } else {
            cores = mode.equals("local2") ? 2 : 1;
            conf.setMaster("local[" + cores + "]");
        }
        r.put("cores", cores);
        try {
            double clusterSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
            double sessionSeconds = (System.nanoTime() - t1) / 1e9;
            try {
                long t2 = System.nanoTime();
                // executors start and load their model on the warm-up pass; it uses every task slot
                PoolScoring.run(spark, new PoolScoring.Options(checkpoint, warmup).topK(topK).partitions(cores * 2));
                double warmSeconds = (System.nanoTime() - t2) / 1e9;
                double cpu0 = cpuSeconds();
                long t3 = System.nanoTime();
                PoolScoring.Result res = PoolScoring.run(spark, options);
                double steady = (System.nanoTime() - t3) / 1e9;
                r.put("steady_cpu_seconds", cpuSeconds() - cpu0);
                r.put(cluster != null ? "cluster_seconds" : "setup_seconds", clusterSeconds);
                r.put("session_seconds", sessionSeconds);
                r.put("warmup_seconds", warmSeconds);
                r.put("startup_seconds", clusterSeconds + sessionSeconds + warmSeconds);
                r.put("steady_seconds", steady);
                r.put("score_seconds", res.scoreSeconds());
                r.put("model_seconds", res.modelSeconds());
                r.put("saliency_seconds", res.saliencySeconds());
                r.put("tokens", res.tokens());
                r.put("windows", res.windows());
                r.put("pool_mean_entropy", res.feedback().poolMeanEntropy());
                r.put("top1", res.feedback().hardExamples().get(0).document().id());
            } finally {
                spark.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        return r;
    }

    /**
     * CPU seconds used so far by this JVM and every process it started (master, worker, executors of a standalone
     * cluster): the work of a configuration whatever else the machine runs.
     */
    static double cpuSeconds() {
        double s = 0;
        List<ProcessHandle> all = new ArrayList<>();
        all.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            s += h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
        return s;
    }

    private static List<Document> documents(String input) throws IOException {
        List<Document> out = new ArrayList<>();
        for (Corpus.Doc d : Corpus.readLocally(input, "text", new Configuration())) {
            out.add(new Document(d.id(), d.text(), Provenance.of("pool")));
        }
        return out;
    }

    /** A Student that counts the tokens it scores (the miner does not report them). */
    private static final class CountingStudent implements Student {
        private final Student delegate;
        long tokens;

        CountingStudent(Student delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            List<TokenScores> s = delegate.score(texts);
            for (TokenScores t : s) {
                tokens += t.size();
            }
            return s;
        }

        @Override
        public List<SaliencyMap> saliency(List<String> texts) {
            return delegate.saliency(texts);
        }

        @Override
        public TrainingReport train(List<TrainingText> texts) {
            throw new UnsupportedOperationException("the benchmark does not train");
        }

        @Override
        public void save(Path dir) {
            throw new UnsupportedOperationException("the benchmark does not save");
        }

        @Override
        public void restore(Path dir) {
            throw new UnsupportedOperationException("the benchmark does not restore");
        }
    }
}
