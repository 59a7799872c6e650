package dev.symbiosis.djl;

import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.Gpt2Config;
import java.util.Map;

/**
 * An independent GPT-2 forward pass in plain Java (double precision), written from the Hugging Face
 * GPT2LMHeadModel definition, to check the DJL implementation against.
 */
final class ReferenceGpt2 {

    private final Gpt2Config cfg;
    private final Map<String, Tensor> w;

    ReferenceGpt2(Gpt2Config cfg, Map<String, Tensor> tensors) {
        this.cfg = cfg;
        this.w = tensors;
    }

    private float[] p(String name) {
        Tensor t = w.get(name);
        if (t == null) {
            t = w.get("transformer." + name);
        }
        return t.data();
    }

    /** Token embeddings of ids, [T][d]. */
    double[][] embed(int[] ids) {
        int d = cfg.nEmbd();
        float[] wte = p("wte.weight");
        double[][] e = new double[ids.length][d];
        for (int t = 0; t < ids.length; t++) {
            for (int j = 0; j < d; j++) {
                e[t][j] = wte[ids[t] * d + j];
            }
        }
        return e;
    }

    /** Logits [T][V] from token embeddings. */
    double[][] logitsFromEmbeddings(double[][] emb) {
        int tlen = emb.length;
        int d = cfg.nEmbd();
        int heads = cfg.nHead();
        int hd = d / heads;
        float[] wpe = p("wpe.weight");
        double[][] h = new double[tlen][d];
        for (int t = 0; t < tlen; t++) {
            for (int j = 0; j < d; j++) {
                h[t][j] = emb[t][j] + wpe[t * d + j];
            }
        }
        for (int l = 0; l < cfg.nLayer(); l++) {
            String pre = "h." + l + ".";
            double[][] a = layerNorm(h, p(pre + "ln_1.weight"), p(pre + "ln_1.bias"));
            double[][] qkv = linear(a, p(pre + "attn.c_attn.weight"), p(pre + "attn.c_attn.bias"), d, 3 * d);
            double[][] o = new double[tlen][d];
            for (int hh = 0; hh < heads; hh++) {
                for (int i = 0; i < tlen; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < hd; c++) {
                            dot += qkv[i][hh * hd + c] * qkv[j][d + hh * hd + c];
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
                        for (int c = 0; c < hd; c++) {
                            o[i][hh * hd + c] += s[j] / z * qkv[j][2 * d + hh * hd + c];
                        }
                    }
                }
            }
            double[][] proj = linear(o, p(pre + "attn.c_proj.weight"), p(pre + "attn.c_proj.bias"), d, d);
            add(h, proj);
            double[][] m = layerNorm(h, p(pre + "ln_2.weight"), p(pre + "ln_2.bias"));
            double[][] fc = linear(m, p(pre + "mlp.c_fc.weight"), p(pre + "mlp.c_fc.bias"), d, 4 * d);
            for (double[] row : fc) {
                for (int j = 0; j < row.length; j++) {
                    double x = row[j];
                    row[j] = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                }
            }
            add(h, linear(fc, p(pre + "mlp.c_proj.weight"), p(pre + "mlp.c_proj.bias"), 4 * d, d));
        }
        double[][] f = layerNorm(h, p("ln_f.weight"), p("ln_f.bias"));
        int v = cfg.vocabSize();
        float[] wte = p("wte.weight");
        double[][] logits = new double[tlen][v];
        for (int t = 0; t < tlen; t++) {
            for (int k = 0; k < v; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += f[t][j] * wte[k * d + j];
                }
                logits[t][k] = s;
            }
        }
        return logits;
    }

    /** Mean next-token cross-entropy of ids given (possibly perturbed) embeddings. */
    double meanLoss(double[][] emb, int[] ids) {
        double[][] logits = logitsFromEmbeddings(emb);
        double sum = 0;
        for (int t = 0; t + 1 < ids.length; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double x : logits[t]) {
                max = Math.max(max, x);
            }
            double z = 0;
            for (double x : logits[t]) {
                z += Math.exp(x - max);
            }
            sum += -(logits[t][ids[t + 1]] - max - Math.log(z));
        }
        return sum / (ids.length - 1);
    }

    private double[][] layerNorm(double[][] x, float[] g, float[] b) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= d;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= d;
            out[t] = new double[d];
            for (int j = 0; j < d; j++) {
                out[t][j] = (x[t][j] - mean) / Math.sqrt(var + cfg.layerNormEpsilon()) * g[j] + b[j];
            }
        }
        return out;
    }

    private static double[][] linear(double[][] x, float[] w, float[] b, int in, int out) {
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * w[i * out + o];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] h, double[][] x) {
        for (int t = 0; t < h.length; t++) {
            for (int j = 0; j < h[t].length; j++) {
                h[t][j] += x[t][j];
            }
        }
    }
}
