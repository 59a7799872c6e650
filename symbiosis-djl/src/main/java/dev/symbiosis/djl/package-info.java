/**
 * The language-model engine on DJL's PyTorch engine: {@link dev.symbiosis.djl.DjlLanguageModel} (a GPT-2 that is
 * both Generator and Student of the loop), built on {@link dev.symbiosis.djl.model.Gpt2Model} (the network),
 * {@link dev.symbiosis.djl.model.Training} (one AdamW step), {@link dev.symbiosis.djl.io.SafeTensors} (checkpoint
 * IO) and the byte-level BPE tokenizer of {@code dev.symbiosis.djl.tokenizer}.
 *
 * <p>Every JVM using it should run with {@code -Dai.djl.offline=true -DOPT_OUT_TRACKING=true}; on a shared
 * 2-core machine {@code -Dai.djl.pytorch.num_threads=1} is often faster for small models.
 */
package dev.symbiosis.djl;
