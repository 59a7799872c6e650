/**
 * The networks: {@link dev.symbiosis.djl.model.CausalLm} and the shared decoder
 * {@link dev.symbiosis.djl.model.DecoderLm} (LoRA, key/value cache, input saliency, weights' precision) with the
 * GPT-2 (Hugging Face GPT2LMHeadModel), GPT-NeoX and Llama families on plain NDArrays; the AdamW training step,
 * next-token sampler and their configurations.
 */
package dev.symbiosis.djl.model;
