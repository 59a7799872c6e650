package dev.symbiosis.djl.model;

import java.util.List;

/**
 * Rotary position embedding (RoPE, Su et al.) in Hugging Face's "rotate half" layout: the first
 * {@code rotaryDims} features of a head are split into halves {@code x1, x2} and rotated by
 * {@code x * cos + rotate_half(x) * sin} with {@code rotate_half(x) = cat(-x2, x1)}, where feature pair
 * {@code (i, i + rotaryDims/2)} turns by the angle {@code position * invFreq[i]},
 * {@code invFreq[i] = theta^(-2i / rotaryDims)}; the remaining features pass through (GPT-NeoX's
 * {@code rotary_pct < 1}).
 *
 * <p>Scaling ({@code rope_scaling.rope_type}): {@code "default"} (none), {@code "linear"} (every frequency divided
 * by {@code factor}) and {@code "llama3"} (Llama 3.1's frequency-dependent rule: wavelengths longer than
 * {@code originalMaxPositions / lowFreqFactor} divided by {@code factor}, shorter than
 * {@code originalMaxPositions / highFreqFactor} kept, a smooth interpolation in between).
 *
 * <p>Immutable and thread-safe. Angles are computed in double precision.
 *
 * @param rotaryDims rotated features per head, even, {@code >= 2}
 * @param theta base of the frequencies ({@code rope_theta} / {@code rotary_emb_base}), {@code > 1}
 * @param scalingType one of {@link #SCALING_TYPES}
 * @param factor scaling factor ({@code >= 1} for linear and llama3; ignored by default)
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only, {@code > lowFreqFactor}
 * @param originalMaxPositions llama3 only: the context length before scaling
 */
public record Rope(int rotaryDims, double theta, String scalingType, double factor, double lowFreqFactor,
        double highFreqFactor, int originalMaxPositions) {

    /** The scaling types this class implements. */
    public static final List<String> SCALING_TYPES = List.of("default", "linear", "llama3");

    public Rope {
        if (rotaryDims < 2 || rotaryDims % 2 != 0) {
            throw new IllegalArgumentException("rotary dimensions must be even and >= 2, got " + rotaryDims);
        }
        if (!(theta > 1) || Double.isInfinite(theta)) {
            throw new IllegalArgumentException("rope theta must be finite and > 1, got " + theta);
        }
        if (!SCALING_TYPES.contains(scalingType)) {
            throw new IllegalArgumentException("rope_scaling type \"" + scalingType + "\" is not supported; use one of "
                    + SCALING_TYPES);
        }
        if (!scalingType.equals("default") && !(factor >= 1)) {
            throw new IllegalArgumentException("rope_scaling factor must be >= 1, got " + factor);
        }
        if (scalingType.equals("llama3") && (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)
                || originalMaxPositions < 1)) {
            throw new IllegalArgumentException("llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor and"
                    + " original_max_position_embeddings >= 1, got " + lowFreqFactor + ", " + highFreqFactor + ", "
                    + originalMaxPositions);
        }
    }

    /** Unscaled RoPE. */
    public static Rope of(int rotaryDims, double theta) {
        return new Rope(rotaryDims, theta, "default", 1, 0, 0, 0);
    }

    /** The {@code rotaryDims / 2} inverse frequencies after scaling. */
    public double[] inverseFrequencies() {
        int half = rotaryDims / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / rotaryDims);
        }
        if (scalingType.equals("linear")) {
            for (int i = 0; i < half; i++) {
                inv[i] /= factor;
            }
        } else if (scalingType.equals("llama3")) {
            double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
            double highFreqWavelen = originalMaxPositions / highFreqFactor;
            for (int i = 0; i < half; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                if (wavelen > lowFreqWavelen) {
                    inv[i] = inv[i] / factor;
                } else if (wavelen >= highFreqWavelen) {
                    double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                }
            }
        }
        return inv;
    }

    /**
     * Cosines and sines for {@code positions}: two arrays of {@code positions.length * rotaryDims} values, row
     * {@code p} holding {@code cos/sin(positions[p] * invFreq[i])} at {@code i} and again at
     * {@code i + rotaryDims/2} (the layout {@code x * cos + rotate_half(x) * sin} needs).
     */
    public float[][] cosSin(long[] positions) {
        double[] inv = inverseFrequencies();
        int half = inv.length;
        float[] cos = new float[positions.length * rotaryDims];
        float[] sin = new float[positions.length * rotaryDims];
        for (int p = 0; p < positions.length; p++) {
            for (int i = 0; i < half; i++) {
                double angle = positions[p] * inv[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                int at = p * rotaryDims + i;
                cos[at] = c;
                cos[at + half] = c;
                sin[at] = s;
                sin[at + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }
}
