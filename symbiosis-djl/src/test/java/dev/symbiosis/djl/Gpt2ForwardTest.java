package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.model.Gpt2Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DJL forward pass, scores and saliency against an independent plain-Java GPT-2. */
class Gpt2ForwardTest {

    @TempDir
    Path tmp;

    /**
     * Variant 0: ids in config.json. 1: no eos/bos in config.json, generation_config.json gives them. 2: no ids
     * anywhere and a GPT-2-sized vocabulary, so transformers' GPT2Config defaults (bos = eos = 50256) apply.
     */
    @ParameterizedTest(name = "variant {0}")
    @ValueSource(ints = {0, 1, 2})
    void logitsEqualAnIndependentJavaForward(int variant) throws Exception {
        Gpt2Config cfg = variant == 2 ? new Gpt2Config(50257, 16, 24, 2, 3, 1e-5, 50256, 50256)
                : TinyModels.config(16, 24, 2, 3);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 7);
        if (variant > 0) {
            RotaryCheckpoints.removeSpecialIds(dir.resolve("config.json"));
        }
        if (variant == 1) {
            Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 256, \"eos_token_id\": 256}");
        }
        assertEquals(cfg, dev.symbiosis.djl.model.ModelConfig.read(dir.resolve("config.json")));
        ReferenceGpt2 ref = new ReferenceGpt2(cfg, SafeTensors.read(dir.resolve("model.safetensors")).tensors());
        int[] ids = {104, 101, 108, 108, 111, 32, 256, 3, 250, 77, 12};
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            float[][] got = m.logits(ids);
            double[][] want = ref.logitsFromEmbeddings(ref.embed(ids));
            double maxDiff = 0;
            for (int t = 0; t < ids.length; t++) {
                for (int k = 0; k < cfg.vocabSize(); k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(got[t][k] - want[t][k]));
                }
            }
            assertTrue(maxDiff < 1e-4, "max |logit difference| = " + maxDiff);
            // a nontrivial model: logits vary over the vocabulary
            assertTrue(Math.abs(want[0][0] - want[0][1]) > 1e-2);
        }
    }

    @Test
    void scoresAreTheLogSoftmaxOfTheLogitsAndLongTextsUseASlidingWindow() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 24, 2, 3);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 8);
        ReferenceGpt2 ref = new ReferenceGpt2(cfg, SafeTensors.read(dir.resolve("model.safetensors")).tensors());
        String shortText = "hello there";
        String longText = "the quick brown fox jumps over the lazy dog, again and again.";
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            List<TokenScores> s = m.score(List.of(shortText, longText));
            TokenScores a = s.get(0);
            assertEquals(shortText.length(), a.size());
            assertEquals(0, a.starts().get(0));
            assertEquals(shortText.length(), a.ends().get(a.size() - 1));
            int[] ids = a.ids().toArray();
            double[][] logits = ref.logitsFromEmbeddings(ref.embed(ids));
            for (int t = 0; t + 1 < ids.length; t++) {
                double[] lp = logSoftmax(logits[t]);
                assertEquals(lp[ids[t + 1]], a.logProbs().get(t), 1e-4);
                double h = 0;
                for (double x : lp) {
                    h -= Math.exp(x) * x;
                }
                assertEquals(h, a.entropies().get(t), 1e-4);
            }
            double meanLp = (a.sumLogProb() + s.get(1).sumLogProb()) / (a.predictedCount() + s.get(1).predictedCount());
            assertEquals(Math.exp(-meanLp), m.perplexity(List.of(shortText, longText)), 1e-4);
            // byte tokens: bits per byte = nats per predicted token / ln 2
            assertEquals(-a.meanLogProb() / Math.log(2), m.bitsPerByte(List.of(shortText)), 1e-4);
            // long text (63 tokens > 16): the token at index 40 is scored in the window starting at 32
            // (stride 8): windows [24, 40) and [32, 48) -> index 40 is predicted in [32, 48) from ids[32..39]
            TokenScores b = s.get(1);
            int[] lid = b.ids().toArray();
            assertEquals(longText.length(), lid.length);
            int target = 40;
            int winStart = 32;
            int[] window = java.util.Arrays.copyOfRange(lid, winStart, target);
            double[][] wl = ref.logitsFromEmbeddings(ref.embed(window));
            assertEquals(logSoftmax(wl[window.length - 1])[lid[target]], b.logProbs().get(target - 1), 1e-4);
            // the first window scores its targets with full left context from 0
            int[] first = java.util.Arrays.copyOfRange(lid, 0, 16);
            double[][] fl = ref.logitsFromEmbeddings(ref.embed(first));
            assertEquals(logSoftmax(fl[14])[lid[15]], b.logProbs().get(14), 1e-4);
        }
    }

    @Test
    void saliencyMatchesFiniteDifferencesOfTheMeanLoss() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 1, 2);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 9);
        ReferenceGpt2 ref = new ReferenceGpt2(cfg, SafeTensors.read(dir.resolve("model.safetensors")).tensors());
        String text = "abc cab";
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            List<SaliencyMap> maps = m.saliency(List.of(text, "other text in the batch"));
            SaliencyMap s = maps.get(0);
            int[] ids = s.ids().toArray();
            double[][] emb = ref.embed(ids);
            double eps = 1e-4;
            for (int t = 0; t < ids.length; t++) {
                double sq = 0;
                for (int j = 0; j < cfg.nEmbd(); j++) {
                    double keep = emb[t][j];
                    emb[t][j] = keep + eps;
                    double up = ref.meanLoss(emb, ids);
                    emb[t][j] = keep - eps;
                    double down = ref.meanLoss(emb, ids);
                    emb[t][j] = keep;
                    double g = (up - down) / (2 * eps);
                    sq += g * g;
                }
                double fd = Math.sqrt(sq);
                assertEquals(fd, s.norms().get(t), 1e-3 + 1e-2 * fd, "token " + t);
            }
            // the last token predicts nothing: no gradient reaches it
            assertEquals(0.0, s.norms().get(ids.length - 1), 1e-9);
        }
    }

    private static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : x) {
            z += Math.exp(v - max);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - max - Math.log(z);
        }
        return out;
    }
}
