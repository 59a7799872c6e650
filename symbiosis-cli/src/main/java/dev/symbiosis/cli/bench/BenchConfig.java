package dev.symbiosis.cli.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The workload sizes of the peer benchmark ({@code gpt_bench.py}), with its defaults: vocab 512, d_model 128,
 * 4 layers, 4 heads, ctx 128, batch 16; 5 warm-up + 30 timed iterations (generation: 5 + 30); saliency batch 16;
 * scoring 64 x 128 tokens; generation batch 8, 16-token prompt, 128 new tokens; LoRA r=8, alpha=16; GEMM 2048^3
 * x 10; 2 threads; seed 1234.
 */
public record BenchConfig(int vocab, int dModel, int nLayer, int nHead, int ctx, int batch, int warmup, int iters,
        int genWarmup, int genIters, int salBatch, int scoreBatch, int scoreLen, int genBatch, int prompt,
        int newTokens, int loraRank, int loraAlpha, int gemmN, int gemmIters, int threads, int seed) {

    public BenchConfig {
        positive("vocab", vocab);
        positive("d-model", dModel);
        positive("n-layer", nLayer);
        positive("n-head", nHead);
        positive("ctx", ctx);
        positive("batch", batch);
        positive("iters", iters);
        positive("gen-iters", genIters);
        positive("sal-batch", salBatch);
        positive("score-batch", scoreBatch);
        positive("gen-batch", genBatch);
        positive("prompt", prompt);
        positive("new-tokens", newTokens);
        positive("lora-rank", loraRank);
        positive("gemm-n", gemmN);
        positive("gemm-iters", gemmIters);
        positive("threads", threads);
        if (dModel % nHead != 0) {
            throw new IllegalArgumentException("--d-model " + dModel + " is not a multiple of --n-head " + nHead);
        }
        if (scoreLen < 2) {
            throw new IllegalArgumentException("--score-len must be >= 2, got " + scoreLen);
        }
        if (warmup < 0 || genWarmup < 0) {
            throw new IllegalArgumentException("warm-up counts must be >= 0");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("--" + name + " must be >= 1, got " + v);
        }
    }

    /** The peer's learned-position table size: covers ctx, scoring length and prompt + new tokens. */
    public int maxPos() {
        return Math.max(ctx, Math.max(scoreLen, prompt + newTokens));
    }

    /** Tokens per training step. */
    public long tokensPerStep() {
        return (long) batch * ctx;
    }

    /** The peer's config object, same keys (snake_case) and order. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("vocab", vocab);
        o.put("d_model", dModel);
        o.put("n_layer", nLayer);
        o.put("n_head", nHead);
        o.put("ctx", ctx);
        o.put("batch", batch);
        o.put("warmup", warmup);
        o.put("iters", iters);
        o.put("gen_warmup", genWarmup);
        o.put("gen_iters", genIters);
        o.put("sal_batch", salBatch);
        o.put("score_batch", scoreBatch);
        o.put("score_len", scoreLen);
        o.put("gen_batch", genBatch);
        o.put("prompt", prompt);
        o.put("new_tokens", newTokens);
        o.put("lora_rank", loraRank);
        o.put("lora_alpha", loraAlpha);
        o.put("gemm_n", gemmN);
        o.put("gemm_iters", gemmIters);
        o.put("threads", threads);
        o.put("seed", seed);
        return o;
    }
}
