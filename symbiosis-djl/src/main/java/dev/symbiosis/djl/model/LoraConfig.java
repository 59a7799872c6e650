package dev.symbiosis.djl.model;

import java.util.List;
import java.util.Set;

/**
 * Low-rank adaptation of the GPT-2 projections, as in PEFT: {@code y = x W + b + scaling * dropout(x) A^T B^T}
 * with {@code scaling = alpha / rank}, or {@code alpha / sqrt(rank)} with rank-stabilised LoRA ({@code use_rslora}),
 * with {@code A} of shape {@code [rank, in]} (Kaiming-uniform, like PEFT) and {@code B} of shape
 * {@code [out, rank]} (zeros), the base weights frozen.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rank rank {@code r >= 1}
 * @param alpha scaling numerator, {@code > 0}: the update is scaled by {@code alpha / rank}
 * @param dropout dropout probability on the adapter input, in {@code [0, 1)}
 * @param targets adapted modules: GPT-2's {@link #ALL_TARGETS}, GPT-NeoX's {@link #GPT_NEOX_TARGETS} or Llama's
 *     {@link #LLAMA_TARGETS} (a model accepts only its own family's; {@link #ALL_TARGETS} itself, or
 *     {@code "all-linear"} as in PEFT, means every adaptable module of whatever family the model is)
 * @param rsLora rank-stabilised LoRA (PEFT's {@code use_rslora}): the update is scaled by {@code alpha / sqrt(rank)}
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets, boolean rsLora) {

    /** Every adaptable module: {@code attn.c_attn}, {@code attn.c_proj}, {@code mlp.c_fc}, {@code mlp.c_proj}. */
    public static final List<String> ALL_TARGETS = List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    /** GPT-NeoX's adaptable modules, with PEFT's names. */
    public static final List<String> GPT_NEOX_TARGETS =
            List.of("query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h");

    /** Llama's adaptable modules, with PEFT's names. */
    public static final List<String> LLAMA_TARGETS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    /** PEFT's shorthand for every adaptable linear module of the model. */
    public static final String ALL_LINEAR = "all-linear";

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be finite and > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        targets = List.copyOf(targets.stream().map(LoraConfig::normalizeTarget).distinct().toList());
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module");
        }
    }

    /** Plain LoRA ({@code alpha / rank} scaling). */
    public LoraConfig(int rank, double alpha, double dropout, List<String> targets) {
        this(rank, alpha, dropout, targets, false);
    }

    /** This configuration with rank-stabilised scaling on or off. */
    public LoraConfig withRsLora(boolean value) {
        return new LoraConfig(rank, alpha, dropout, targets, value);
    }

    /** Rank 8, alpha 16, dropout 0.05, all four targets. */
    public static LoraConfig defaults() {
        return new LoraConfig(8, 16, 0.05, ALL_TARGETS);
    }

    /** The given rank and alpha, dropout 0.05, all four targets. */
    public static LoraConfig of(int rank, double alpha) {
        return new LoraConfig(rank, alpha, 0.05, ALL_TARGETS);
    }

    /** {@code alpha / rank}, or {@code alpha / sqrt(rank)} with {@link #rsLora()} (PEFT's LoraLayer.update_layer). */
    public double scaling() {
        return rsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /** Whether module {@code target} (e.g. {@code "mlp.c_fc"}) is adapted. */
    public boolean targets(String target) {
        return targets.contains(target);
    }

    /** Accepts {@code c_attn}, {@code c_fc}, and the qualified names; {@code c_proj} alone is ambiguous. */
    static String normalizeTarget(String t) {
        String s = t.strip();
        if (s.equals("c_attn")) {
            return "attn.c_attn";
        }
        if (s.equals("c_fc")) {
            return "mlp.c_fc";
        }
        if (!Set.copyOf(ALL_TARGETS).contains(s) && !GPT_NEOX_TARGETS.contains(s) && !LLAMA_TARGETS.contains(s)
                && !s.equals(ALL_LINEAR)) {
            throw new IllegalArgumentException("unknown LoRA target '" + t + "'; use one of " + ALL_TARGETS
                    + " (gpt2), " + GPT_NEOX_TARGETS + " (gpt_neox), " + LLAMA_TARGETS + " (llama) or " + ALL_LINEAR);
        }
        return s;
    }

    /**
     * This configuration with its targets resolved for a family whose adaptable modules are {@code familyModules}
     * (in the family's order): {@link #ALL_TARGETS} or {@code "all-linear"} become every module of the family.
     *
     * @throws IllegalArgumentException naming the family and its modules if a target is not one of them
     */
    public LoraConfig forFamily(String modelType, List<String> familyModules) {
        if (targets.contains(ALL_LINEAR) || targets.equals(ALL_TARGETS)) {
            return new LoraConfig(rank, alpha, dropout, familyModules, rsLora);
        }
        for (String t : targets) {
            if (!familyModules.contains(t)) {
                throw new IllegalArgumentException("LoRA target '" + t + "' is not a module of a " + modelType
                        + " model; use some of " + familyModules + " or " + ALL_LINEAR);
            }
        }
        List<String> ordered = familyModules.stream().filter(targets::contains).toList();
        return new LoraConfig(rank, alpha, dropout, ordered, rsLora);
    }
}
