/**
 * GPT-2 network (Hugging Face GPT2LMHeadModel semantics) on plain NDArrays with LoRA, AdamW training step,
 * next-token sampler and their configurations.
 */
package dev.symbiosis.djl.model;
