package dev.symbiosis.djl;

import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.GptNeoxConfig;
import dev.symbiosis.djl.model.LlamaConfig;
import java.util.Map;
import org.apache.commons.math3.special.Erf;

/**
 * Plain-Java, double-precision implementations of GPT-NeoX and Llama forward passes, written from the equations of
 * Hugging Face's modelling code and independent of DJL and of the engine's classes (the RoPE frequencies and the
 * llama3 scaling are recomputed here from config values): the oracle the engine's logits are checked against.
 */
final class ReferenceDecoders {

    private ReferenceDecoders() {}

    /** Logits [T][V] of a GPT-NeoX model for one sequence at positions 0..T-1. */
    static double[][] gptNeox(GptNeoxConfig c, Map<String, Tensor> w, int[] ids) {
        int d = c.hiddenSize();
        int heads = c.numHeads();
        int hd = d / heads;
        int rd = (int) (hd * c.rotaryPct());
        rd -= rd % 2;
        double[] inv = plainInvFreq(rd, c.rotaryEmbBase());
        double[][] h = embed(w.get("gpt_neox.embed_in.weight"), ids);
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "gpt_neox.layers." + l + ".";
            double[][] a = layerNorm(h, w.get(p + "input_layernorm.weight"), w.get(p + "input_layernorm.bias"),
                    c.layerNormEps());
            double[][] qkv = linear(a, w.get(p + "attention.query_key_value.weight"),
                    w.get(p + "attention.query_key_value.bias"));
            int t = ids.length;
            double[][][] q = new double[heads][t][hd];
            double[][][] k = new double[heads][t][hd];
            double[][][] v = new double[heads][t][hd];
            for (int hh = 0; hh < heads; hh++) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < hd; j++) {
                        q[hh][i][j] = qkv[i][hh * 3 * hd + j];
                        k[hh][i][j] = qkv[i][hh * 3 * hd + hd + j];
                        v[hh][i][j] = qkv[i][hh * 3 * hd + 2 * hd + j];
                    }
                }
            }
            double[][] attn = linear(attention(q, k, v, heads, inv, rd), w.get(p + "attention.dense.weight"),
                    w.get(p + "attention.dense.bias"));
            if (c.useParallelResidual()) {
                double[][] m = neoxMlp(c, w, p, layerNorm(h, w.get(p + "post_attention_layernorm.weight"),
                        w.get(p + "post_attention_layernorm.bias"), c.layerNormEps()));
                h = add(add(h, attn), m);
            } else {
                double[][] h1 = add(h, attn);
                h = add(h1, neoxMlp(c, w, p, layerNorm(h1, w.get(p + "post_attention_layernorm.weight"),
                        w.get(p + "post_attention_layernorm.bias"), c.layerNormEps())));
            }
        }
        h = layerNorm(h, w.get("gpt_neox.final_layer_norm.weight"), w.get("gpt_neox.final_layer_norm.bias"),
                c.layerNormEps());
        return linear(h, w.get(c.tieWordEmbeddings() ? "gpt_neox.embed_in.weight" : "embed_out.weight"), null);
    }

    private static double[][] neoxMlp(GptNeoxConfig c, Map<String, Tensor> w, String p, double[][] x) {
        double[][] u = linear(x, w.get(p + "mlp.dense_h_to_4h.weight"), w.get(p + "mlp.dense_h_to_4h.bias"));
        for (double[] row : u) {
            for (int i = 0; i < row.length; i++) {
                double z = row[i];
                row[i] = c.hiddenAct().equals("gelu") ? 0.5 * z * (1 + Erf.erf(z / Math.sqrt(2)))
                        : 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            }
        }
        return linear(u, w.get(p + "mlp.dense_4h_to_h.weight"), w.get(p + "mlp.dense_4h_to_h.bias"));
    }

    /** Logits [T][V] of a Llama model for one sequence at positions 0..T-1. */
    static double[][] llama(LlamaConfig c, Map<String, Tensor> w, int[] ids) {
        int heads = c.numHeads();
        int kvHeads = c.numKeyValueHeads();
        int hd = c.headDim();
        double[] inv = llamaInvFreq(c);
        double[][] h = embed(w.get("model.embed_tokens.weight"), ids);
        int t = ids.length;
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] a = rmsNorm(h, w.get(p + "input_layernorm.weight"), c.rmsNormEps());
            double[][] qa = linear(a, w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.q_proj.bias"));
            double[][] ka = linear(a, w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.k_proj.bias"));
            double[][] va = linear(a, w.get(p + "self_attn.v_proj.weight"), w.get(p + "self_attn.v_proj.bias"));
            double[][][] q = new double[heads][t][hd];
            double[][][] k = new double[heads][t][hd];
            double[][][] v = new double[heads][t][hd];
            int group = heads / kvHeads;
            for (int hh = 0; hh < heads; hh++) {
                int kvh = hh / group; // repeat_kv: query head hh reads key/value head hh / group
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < hd; j++) {
                        q[hh][i][j] = qa[i][hh * hd + j];
                        k[hh][i][j] = ka[i][kvh * hd + j];
                        v[hh][i][j] = va[i][kvh * hd + j];
                    }
                }
            }
            h = add(h, linear(attention(q, k, v, heads, inv, hd), w.get(p + "self_attn.o_proj.weight"),
                    w.get(p + "self_attn.o_proj.bias")));
            double[][] m = rmsNorm(h, w.get(p + "post_attention_layernorm.weight"), c.rmsNormEps());
            double[][] g = linear(m, w.get(p + "mlp.gate_proj.weight"), w.get(p + "mlp.gate_proj.bias"));
            double[][] u = linear(m, w.get(p + "mlp.up_proj.weight"), w.get(p + "mlp.up_proj.bias"));
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g[i].length; j++) {
                    double z = g[i][j];
                    g[i][j] = z / (1 + Math.exp(-z)) * u[i][j];
                }
            }
            h = add(h, linear(g, w.get(p + "mlp.down_proj.weight"), w.get(p + "mlp.down_proj.bias")));
        }
        h = rmsNorm(h, w.get("model.norm.weight"), c.rmsNormEps());
        return linear(h, w.get(c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight"), null);
    }

    /** theta^(-2i/rd), i < rd/2. */
    static double[] plainInvFreq(int rd, double theta) {
        double[] inv = new double[rd / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = Math.pow(theta, -(2.0 * i) / rd);
        }
        return inv;
    }

    /** Hugging Face's _compute_llama3_parameters, transcribed (masks and where, as there). */
    static double[] llamaInvFreq(LlamaConfig c) {
        double[] inv = plainInvFreq(c.headDim(), c.rope().theta());
        String type = c.rope().scalingType();
        if (type.equals("linear")) {
            for (int i = 0; i < inv.length; i++) {
                inv[i] /= c.rope().factor();
            }
        } else if (type.equals("llama3")) {
            double factor = c.rope().factor();
            double low = c.rope().lowFreqFactor();
            double high = c.rope().highFreqFactor();
            double old = c.rope().originalMaxPositions();
            double lowWavelen = old / low;
            double highWavelen = old / high;
            double[] out = new double[inv.length];
            for (int i = 0; i < inv.length; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                double llama = wavelen > lowWavelen ? inv[i] / factor : inv[i];
                double smooth = (old / wavelen - low) / (high - low);
                double smoothed = (1 - smooth) * llama / factor + smooth * llama;
                boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
                out[i] = medium ? smoothed : llama;
            }
            return out;
        }
        return inv;
    }

    /** Causal multi-head attention with rotate-half RoPE on the first rd features; returns [T][heads*hd]. */
    static double[][] attention(double[][][] q, double[][][] k, double[][][] v, int heads, double[] inv, int rd) {
        int t = q[0].length;
        int hd = q[0][0].length;
        double[][] out = new double[t][heads * hd];
        for (int hh = 0; hh < heads; hh++) {
            double[][] qr = new double[t][];
            double[][] kr = new double[t][];
            for (int i = 0; i < t; i++) {
                qr[i] = rope(q[hh][i], i, inv, rd);
                kr[i] = rope(k[hh][i], i, inv, rd);
            }
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int x = 0; x < hd; x++) {
                        dot += qr[i][x] * kr[j][x];
                    }
                    s[j] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int x = 0; x < hd; x++) {
                        out[i][hh * hd + x] += s[j] / z * v[hh][j][x];
                    }
                }
            }
        }
        return out;
    }

    /** x*cos + rotate_half(x)*sin on the first rd features at position pos. */
    static double[] rope(double[] x, int pos, double[] inv, int rd) {
        double[] out = x.clone();
        int half = rd / 2;
        for (int i = 0; i < half; i++) {
            double c = Math.cos(pos * inv[i]);
            double s = Math.sin(pos * inv[i]);
            out[i] = x[i] * c - x[i + half] * s;
            out[i + half] = x[i + half] * c + x[i] * s;
        }
        return out;
    }

    static double[][] embed(Tensor table, int[] ids) {
        int d = (int) table.shape()[1];
        double[][] out = new double[ids.length][d];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = table.data()[ids[i] * d + j];
            }
        }
        return out;
    }

    /** x W^T + b with W [out][in] (nn.Linear layout); b may be null. */
    static double[][] linear(double[][] x, Tensor weight, Tensor bias) {
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias.data()[o];
                for (int j = 0; j < in; j++) {
                    s += x[i][j] * weight.data()[o * in + j];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    static double[][] layerNorm(double[][] x, Tensor g, Tensor b, double eps) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int d = x[i].length;
            double mean = 0;
            for (double z : x[i]) {
                mean += z;
            }
            mean /= d;
            double var = 0;
            for (double z : x[i]) {
                var += (z - mean) * (z - mean);
            }
            var /= d;
            y[i] = new double[d];
            for (int j = 0; j < d; j++) {
                y[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * g.data()[j] + b.data()[j];
            }
        }
        return y;
    }

    static double[][] rmsNorm(double[][] x, Tensor g, double eps) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double z : x[i]) {
                ms += z * z;
            }
            ms /= x[i].length;
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = x[i][j] / Math.sqrt(ms + eps) * g.data()[j];
            }
        }
        return y;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            y[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                y[i][j] = a[i][j] + b[i][j];
            }
        }
        return y;
    }
}
