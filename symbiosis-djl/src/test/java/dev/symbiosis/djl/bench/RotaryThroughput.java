package dev.symbiosis.djl.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.AdamW;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.GptNeoxConfig;
import dev.symbiosis.djl.model.GptNeoxModel;
import dev.symbiosis.djl.model.LlamaConfig;
import dev.symbiosis.djl.model.LlamaModel;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.model.WeightSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures the CPU throughput of the GPT-NeoX and Llama engines (LoRA training step, forward scoring) against a
 * float32 GEMM in the same process, for the estimates of docs/full-scale.md. Not a test: run by hand,
 * {@code java -cp <test classpath> dev.symbiosis.djl.bench.RotaryThroughput [threads]} (the command is in
 * docs/full-scale.md). Prints one line per workload: median ms of 5 timed runs after 2 warm-ups, tokens/s,
 * GFLOP/s by the stated FLOP count, and that over the GEMM's GFLOP/s (MFU against this machine's own matmul).
 */
public final class RotaryThroughput {

    private RotaryThroughput() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");
        Training.noGrad();
        int b = 4;
        int t = 256;
        try (NDManager root = engine.newBaseManager(Device.cpu())) {
            double gemm = gemm(root, 1024);
            System.out.printf("threads %d, gemm_gflops(1024^3) %.1f%n", threads, gemm);
            LlamaConfig llama = new LlamaConfig(8192, 512, 512, 4, 8, 2, 64, 1376, 1e-5,
                    dev.symbiosis.djl.model.Rope.of(64, 500000), false, false, false, 0, List.of(1));
            GptNeoxConfig neox = new GptNeoxConfig(8192, 512, 512, 4, 8, 2048, 0.25, 10000, true, 1e-5, "gelu",
                    true, false, 0, List.of(1));
            for (ModelConfig c : List.of(llama, neox)) {
                run(root, c, b, t, gemm);
            }
        }
    }

    private static void run(NDManager root, ModelConfig c, int b, int t, double gemm) throws Exception {
        Map<String, Tensor> w = random(c);
        long nonEmbedding = 0;
        for (Map.Entry<String, Tensor> e : w.entrySet()) {
            // the input embedding is a lookup; every other weight, the LM head included, is one matmul per token
            if (!e.getKey().equals("model.embed_tokens.weight") && !e.getKey().equals("gpt_neox.embed_in.weight")) {
                nonEmbedding += e.getValue().size();
            }
        }
        long head = (long) c.vocabSize() * c.hiddenSize();
        long matmulParams = nonEmbedding; // every non-embedding weight (head included) is used once per token
        double attention = 2.0 * 2 * c.numLayers() * t * c.hiddenSize(); // QK^T and PV per token, forward
        double fwdPerToken = 2.0 * matmulParams + attention;
        Random rnd = new Random(1);
        long[] ids = new long[b * t];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rnd.nextInt(c.vocabSize());
        }
        try (CausalLm m = CausalLms.create(root, Device.cpu(), c, WeightSource.of(w, "random"), DataType.FLOAT32,
                false, new LoraConfig(8, 16, 0, List.of(LoraConfig.ALL_LINEAR)), null, null, 1)) {
            double score = median(() -> {
                try (NDScope scope = new NDScope(); NDManager scratch = m.manager().newSubManager()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = scratch.create(ids, new Shape(b, t)).duplicate();
                    m.forwardLogits(scratch, x, false, null).logSoftmax(-1).sum().getFloat();
                }
            });
            List<Training.Sequence> batch = new ArrayList<>();
            for (int r = 0; r < b; r++) {
                int[] s = new int[t + 1];
                float[] wt = new float[t + 1];
                for (int i = 0; i <= t; i++) {
                    s[i] = rnd.nextInt(c.vocabSize());
                    wt[i] = 1f;
                }
                batch.add(new Training.Sequence(s, wt));
            }
            try (AdamW opt = new AdamW(m.manager(), m.trainableNames(), m.trainable())) {
                double train = median(() -> Training.step(m, opt, batch, 0, 1e-4, 0.0, 1.0, null));
                // LoRA step: forward (2N) + backward through activations only (2N; frozen weights get no gradient)
                report(c.modelType() + " lora_train_step", train, b * t, 2 * fwdPerToken, gemm);
            }
            report(c.modelType() + " forward_score", score, b * t, fwdPerToken, gemm);
            System.out.printf("  %s: %d non-embedding matmul params (head %d), %d LoRA params, b %d x t %d%n",
                    c.modelType(), matmulParams, head, m.trainableCount(), b, t);
        }
    }

    private static void report(String what, double ms, long tokens, double flopsPerToken, double gemm) {
        double tps = tokens / (ms / 1000);
        double gflops = tps * flopsPerToken / 1e9;
        System.out.printf("%-26s median %8.1f ms  %8.0f tokens/s  %6.1f GFLOP/s  MFU-vs-gemm %.2f%n", what, ms, tps,
                gflops, gflops / gemm);
    }

    private static double gemm(NDManager root, int n) {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray bb = m.randomNormal(new Shape(n, n));
            double ms = median(() -> {
                try (NDArray c = a.matMul(bb)) {
                    c.getFloat(0, 0);
                }
            });
            return 2.0 * n * n * n / (ms / 1000) / 1e9;
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static double median(Work w) {
        try {
            for (int i = 0; i < 2; i++) {
                w.run();
            }
            double[] times = new double[5];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                w.run();
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(times);
            return times[times.length / 2];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Tensor> random(ModelConfig c) {
        List<String> names = c instanceof LlamaConfig l ? LlamaModel.parameterNames(l)
                : GptNeoxModel.parameterNames((GptNeoxConfig) c);
        Random rnd = new Random(7);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            long[] shape = c instanceof LlamaConfig l ? LlamaModel.expectedShape(l, n)
                    : GptNeoxModel.expectedShape((GptNeoxConfig) c, n);
            float[] d = new float[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (rnd.nextGaussian() * 0.02);
            }
            out.put(n, new Tensor(shape, d));
        }
        return out;
    }
}
