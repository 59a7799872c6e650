package dev.symbiosis.cli.bench;

import ai.djl.ndarray.NDManager;

/**
 * The peer benchmark's workloads on one engine. Each {@code prepare...} method builds what its workload needs
 * (model, optimizer, random batch) untimed and returns the iteration that {@link BenchStats#time} times; the
 * methods are called in the peer's order, once each.
 */
public interface EngineWorkloads extends AutoCloseable {

    /** Engine and version, e.g. {@code "DJL 0.36.0 / PyTorch 2.7.1"}. */
    String description();

    /** The manager that owns everything the workloads allocate. */
    NDManager manager();

    /** Parameters of the base model. */
    long parameterCount();

    /** Parameters without the token and position embeddings (the peer's {@code n_params_nonembedding}). */
    long nonEmbeddingParameterCount();

    /** Forward + cross-entropy + backward + AdamW step on every parameter, batch x ctx random tokens. */
    BenchStats.Action prepareFullTrainStep() throws Exception;

    /** Same with the base frozen and LoRA adapters (rank, alpha of the config) the only trained parameters. */
    BenchStats.Action prepareLoraTrainStep() throws Exception;

    /** Trainable parameters of the LoRA step (valid after {@link #prepareLoraTrainStep}). */
    long loraTrainableParameters();

    /** d(mean loss)/d(input embeddings) for sal_batch x ctx tokens, reduced to a per-token L2 norm. */
    BenchStats.Action prepareSaliency() throws Exception;

    /** Shape of the saliency result, {@code [sal_batch, ctx]}, after one run. */
    int[] saliencyShape();

    /** Per-sequence mean log-likelihood and mean predictive entropy, score_batch x score_len, no gradients. */
    BenchStats.Action prepareScore() throws Exception;

    /** Sampling new_tokens for gen_batch prompts, recomputing the whole prefix each step. */
    BenchStats.Action prepareGenerateRecompute() throws Exception;

    /** Sampling new_tokens for gen_batch prompts with a KV cache. */
    BenchStats.Action prepareGenerateKvCache() throws Exception;

    /** Whether both generation paths give the same tokens from the same seed. */
    boolean kvCacheMatchesRecompute() throws Exception;

    @Override
    void close();
}
