package dev.symbiosis.cli.bench;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code symbiosis bench engine}: the workloads of the Python peer {@code gpt_bench.py} on the project's GPT-2
 * engine (DJL, PyTorch), same flags, same defaults and one JSON line on stdout with the peer's keys:
 * {@code full_train_step_ms}, {@code tokens_per_s}, {@code lora_train_step_ms}, {@code saliency_ms},
 * {@code score_ms}, {@code generate_recompute_ms}, {@code generate_kvcache_ms} (each {@code {median, min, max, n}}
 * in ms after warm-up), {@code gemm_gflops}, {@code mfu_vs_gemm}, {@code peak_rss_mib} and the rest. Progress on
 * stderr. {@code --only} runs a subset (for profiling).
 *
 * <p>Threads: {@code --threads} (default 2, as the peer) sets {@code ai.djl.pytorch.num_threads}, and one inter-op
 * thread unless {@code ai.djl.pytorch.num_interop_threads} is given. This must happen before the engine starts:
 * run the bench in a fresh JVM. The JSON's {@code threads} is the value the engine was started with.
 */
@Command(
        name = "engine",
        mixinStandardHelpOptions = true,
        description = {"The peer GPT benchmark (gpt_bench.py) on the project's engine: prints one JSON line.",
            "Example (the peer's large config): --d-model 256 --n-layer 6 --n-head 8 --ctx 256 --batch 8"
                    + " --warmup 3 --iters 15 --gen-warmup 1 --gen-iters 3"})
public final class EngineBenchCommand implements Callable<Integer> {

    /** Workloads that {@code --only} can select. */
    public enum Workload { train, lora, saliency, score, generate, gemm, profile, scoped_score }

    /** The peer's workloads: everything but {@code profile} and {@code scoped_score}. */
    static final Set<Workload> PEER_WORKLOADS =
            EnumSet.complementOf(EnumSet.of(Workload.profile, Workload.scoped_score));

    @Spec
    CommandSpec spec;

    @Option(names = "--vocab", defaultValue = "512", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocab;
    @Option(names = "--d-model", defaultValue = "128", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dModel;
    @Option(names = "--n-layer", defaultValue = "4", description = "Layers (default: ${DEFAULT-VALUE}).")
    int nLayer;
    @Option(names = "--n-head", defaultValue = "4", description = "Heads (default: ${DEFAULT-VALUE}).")
    int nHead;
    @Option(names = "--ctx", defaultValue = "128", description = "Training context (default: ${DEFAULT-VALUE}).")
    int ctx;
    @Option(names = "--batch", defaultValue = "16", description = "Training batch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--warmup", defaultValue = "5", description = "Untimed iterations (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--iters", defaultValue = "30", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--gen-warmup", defaultValue = "5", description = "Untimed generations (default: ${DEFAULT-VALUE}).")
    int genWarmup;
    @Option(names = "--gen-iters", defaultValue = "30", description = "Timed generations (default: ${DEFAULT-VALUE}).")
    int genIters;
    @Option(names = "--sal-batch", defaultValue = "16", description = "Saliency batch (default: ${DEFAULT-VALUE}).")
    int salBatch;
    @Option(names = "--score-batch", defaultValue = "64", description = "Scoring batch (default: ${DEFAULT-VALUE}).")
    int scoreBatch;
    @Option(names = "--score-len", defaultValue = "128", description = "Scoring length (default: ${DEFAULT-VALUE}).")
    int scoreLen;
    @Option(names = "--gen-batch", defaultValue = "8", description = "Generation batch (default: ${DEFAULT-VALUE}).")
    int genBatch;
    @Option(names = "--prompt", defaultValue = "16", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int prompt;
    @Option(names = "--new-tokens", defaultValue = "128", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int newTokens;
    @Option(names = "--lora-rank", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
    int loraRank;
    @Option(names = "--lora-alpha", defaultValue = "16", description = "LoRA alpha (default: ${DEFAULT-VALUE}).")
    int loraAlpha;
    @Option(names = "--gemm-n", defaultValue = "2048", description = "GEMM size (default: ${DEFAULT-VALUE}).")
    int gemmN;
    @Option(names = "--gemm-iters", defaultValue = "10", description = "GEMM iterations (default: ${DEFAULT-VALUE}).")
    int gemmIters;
    @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--seed", defaultValue = "1234", description = "Random seed (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--only", split = ",", paramLabel = "WORKLOAD",
            description = "Run only these workloads: ${COMPLETION-CANDIDATES} (default: all but profile, the peer's"
                    + " set; profile splits the training step into phases and times a few building blocks; scoped_score is"
                    + " scoring with per-block scopes, see docs/performance.md).")
    Set<Workload> only = EnumSet.copyOf(PEER_WORKLOADS);

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON line to FILE.")
    Path out;

    BenchConfig config() {
        return new BenchConfig(vocab, dModel, nLayer, nHead, ctx, batch, warmup, iters, genWarmup, genIters, salBatch,
                scoreBatch, scoreLen, genBatch, prompt, newTokens, loraRank, loraAlpha, gemmN, gemmIters, threads,
                seed);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        BenchConfig cfg;
        try {
            cfg = config();
        } catch (IllegalArgumentException e) {
            err.println("bench engine: " + e.getMessage());
            return 2;
        }
        configureThreads(cfg.threads());
        ObjectNode result = run(cfg, only, err);
        String line = new ObjectMapper().writeValueAsString(result);
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(out, line + "\n", StandardCharsets.UTF_8);
        }
        return 0;
    }

    /**
     * Sets PyTorch's intra-op thread count to {@code --threads} (overriding the command line's default of one thread:
     * the peer runs with 2) and one inter-op thread unless given. No effect once the engine has started.
     */
    static void configureThreads(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** Runs the selected workloads in the peer's order and returns the peer-shaped JSON object. */
    static ObjectNode run(BenchConfig cfg, Set<Workload> only, PrintWriter err) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        Engine engine = Engine.getEngine("PyTorch");
        o.put("engine", "DJL " + Engine.getDjlVersion() + " / " + engine.getEngineName() + " "
                + engine.getVersion());
        o.put("threads", Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads",
                String.valueOf(cfg.threads()))));
        o.set("config", cfg.toJson());
        o.put("max_pos", cfg.maxPos());
        o.put("head", "tied");
        o.put("java", System.getProperty("java.version"));

        int w = cfg.warmup();
        int n = cfg.iters();
        long tokens = cfg.tokensPerStep();
        try (EngineWorkloads work = Gpt2Workloads.open(cfg)) {
            o.put("model", work.description());
            o.put("n_params", work.parameterCount());
            o.put("n_params_nonembedding", work.nonEmbeddingParameterCount());
            if (only.contains(Workload.train)) {
                BenchStats s = timed(err, "full_train_step", w, n, work.prepareFullTrainStep());
                o.set("full_train_step_ms", s.toJson());
                o.put("tokens_per_s", BenchStats.round3(tokens / (s.median() / 1e3)));
            }
            if (only.contains(Workload.lora)) {
                BenchStats.Action step = work.prepareLoraTrainStep();
                o.put("lora_trainable_params", work.loraTrainableParameters());
                BenchStats s = timed(err, "lora_train_step", w, n, step);
                o.set("lora_train_step_ms", s.toJson());
                o.put("lora_tokens_per_s", BenchStats.round3(tokens / (s.median() / 1e3)));
            }
            if (only.contains(Workload.saliency)) {
                BenchStats.Action sal = work.prepareSaliency();
                sal.run();
                ArrayNode shape = o.putArray("saliency_shape");
                for (int d : work.saliencyShape()) {
                    shape.add(d);
                }
                o.set("saliency_ms", timed(err, "saliency", w, n, sal).toJson());
            }
            if (only.contains(Workload.score)) {
                o.set("score_ms", timed(err, "score", w, n, work.prepareScore()).toJson());
            }
            if (only.contains(Workload.scoped_score)) {
                try (ScopedForwardProbe probe = new ScopedForwardProbe(cfg, work.manager())) {
                    o.set("scoped_score_ms", timed(err, "scoped_score", w, n, probe.score(cfg)).toJson());
                }
            }
            if (only.contains(Workload.generate)) {
                o.put("kv_matches_recompute_same_seed", work.kvCacheMatchesRecompute());
                o.set("generate_recompute_ms", timed(err, "generate_recompute", cfg.genWarmup(), cfg.genIters(),
                        work.prepareGenerateRecompute()).toJson());
                o.set("generate_kvcache_ms", timed(err, "generate_kvcache", cfg.genWarmup(), cfg.genIters(),
                        work.prepareGenerateKvCache()).toJson());
            }
            if (only.contains(Workload.gemm)) {
                GemmBench.Result g = GemmBench.run(work.manager(), cfg.gemmN(), cfg.gemmIters());
                progress(err, "gemm", g.ms());
                o.set("gemm_ms", g.ms().toJson());
                o.put("gemm_gflops", BenchStats.round3(g.gflops()));
                o.put("gemm_gflops_best", BenchStats.round3(g.gflopsBest()));
                if (o.has("full_train_step_ms")) {
                    // PaLM-style FLOPs per step as the peer counts them: 6 N_nonemb tokens + 12 L T d tokens
                    double attn = 12.0 * cfg.nLayer() * cfg.ctx() * cfg.dModel() * tokens;
                    double flops = 6.0 * work.nonEmbeddingParameterCount() * tokens + attn;
                    double stepS = o.get("full_train_step_ms").get("median").asDouble() / 1e3;
                    o.put("train_flops_per_step", (long) flops);
                    o.put("train_gflops_achieved", BenchStats.round3(flops / stepS / 1e9));
                    o.put("mfu_vs_gemm", BenchStats.round3(flops / stepS / 1e9 / g.gflops()));
                    double head = 6.0 * cfg.dModel() * cfg.vocab() * tokens;
                    o.put("mfu_vs_gemm_incl_head", BenchStats.round3((flops + head) / stepS / 1e9 / g.gflops()));
                }
            }
            if (only.contains(Workload.profile)) {
                err.println("bench: profiling the training step and building blocks");
                err.flush();
                o.set("profile", EngineProfile.run(cfg, work.manager()));
            }
        }
        o.put("peak_rss_mib", BenchStats.round3(ProcessMemory.peakRssMib()));
        o.put("heap_max_mib", BenchStats.round3(Runtime.getRuntime().maxMemory() / 1048576.0));
        o.put("heap_committed_mib", BenchStats.round3(Runtime.getRuntime().totalMemory() / 1048576.0));
        return o;
    }

    private static BenchStats timed(PrintWriter err, String name, int warmup, int iters, BenchStats.Action action)
            throws Exception {
        BenchStats s = BenchStats.time(warmup, iters, action);
        progress(err, name, s);
        return s;
    }

    private static void progress(PrintWriter err, String name, BenchStats s) {
        err.printf(Locale.ROOT, "bench: %-20s median %9.1f ms (min %.1f, max %.1f, n %d), rss %.0f MiB (peak %.0f,"
                + " heap committed %.0f)%n", name, s.median(), s.min(), s.max(), s.n(), ProcessMemory.rssMib(),
                ProcessMemory.peakRssMib(), Runtime.getRuntime().totalMemory() / 1048576.0);
        err.flush();
    }
}
