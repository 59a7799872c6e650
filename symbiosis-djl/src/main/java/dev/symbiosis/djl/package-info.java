/**
 * The language-model engine on DJL's PyTorch engine: {@link dev.symbiosis.djl.DjlLanguageModel} (a GPT-2, GPT-NeoX
 * or Llama model that is both Generator and Student of the loop), a front over package-private parts with one job
 * each (scoring, saliency and hints, training, decoding, checkpoint IO) on the network of
 * {@link dev.symbiosis.djl.model.CausalLm} (every family on the shared {@link dev.symbiosis.djl.model.DecoderLm}),
 * {@link dev.symbiosis.djl.model.Training} (one AdamW step), {@link dev.symbiosis.djl.io.SafeTensors} (checkpoint
 * IO) and the byte-level BPE tokenizer of {@code dev.symbiosis.djl.tokenizer}.
 *
 * <p>Every JVM using it should run with {@code -Dai.djl.offline=true -DOPT_OUT_TRACKING=true}; on a shared
 * 2-core machine {@code -Dai.djl.pytorch.num_threads=1} is often faster for small models.
 */
package dev.symbiosis.djl;
