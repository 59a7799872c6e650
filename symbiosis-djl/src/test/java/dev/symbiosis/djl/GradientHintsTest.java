package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.model.Gpt2Config;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HotFlip hints against finite differences of an independent plain-Java GPT-2. */
class GradientHintsTest {

    @TempDir
    Path tmp;

    @Test
    void hintsAreTheMostSalientTokensAndTheirScoresAreDirectionalDerivativesOfTheLoss() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 1, 2);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 21);
        ReferenceGpt2 ref = new ReferenceGpt2(cfg, SafeTensors.read(dir.resolve("model.safetensors")).tensors());
        float[] wte = SafeTensors.read(dir.resolve("model.safetensors")).tensors().get("transformer.wte.weight")
                .data();
        int d = cfg.nEmbd();
        String text = "abc cab";
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            SaliencyMap s = m.saliency(List.of(text)).get(0);
            List<TokenHint> hints = m.gradientHints(List.of(text, "another text"), 2, 3).get(0);
            assertEquals(2, hints.size());
            // the two largest gradient norms, largest first
            assertTrue(s.norms().get(hints.get(0).tokenIndex()) >= s.norms().get(hints.get(1).tokenIndex()));
            for (int i = 0; i < s.size(); i++) {
                if (i != hints.get(0).tokenIndex() && i != hints.get(1).tokenIndex()) {
                    assertTrue(s.norms().get(i) <= s.norms().get(hints.get(1).tokenIndex()), "token " + i);
                }
            }
            int[] ids = s.ids().toArray();
            double eps = 1e-3;
            for (TokenHint h : hints) {
                assertEquals(s.norms().get(h.tokenIndex()), h.saliency(), 1e-6);
                assertEquals(3, h.candidates().size());
                int x = ids[h.tokenIndex()];
                assertFalse(h.candidates().contains(h.tokenText(text).strip()), "never the token itself");
                // the full gradient at this position by central differences, then (wte[v] - wte[x]) . g for
                // every printable ASCII byte: the best one must be the first candidate
                double[][] emb = ref.embed(ids);
                double[] g = new double[d];
                for (int j = 0; j < d; j++) {
                    double keep = emb[h.tokenIndex()][j];
                    emb[h.tokenIndex()][j] = keep + eps;
                    double up = ref.meanLoss(emb, ids);
                    emb[h.tokenIndex()][j] = keep - eps;
                    double down = ref.meanLoss(emb, ids);
                    emb[h.tokenIndex()][j] = keep;
                    g[j] = (up - down) / (2 * eps);
                }
                String best = null;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (char c = '!'; c <= '~'; c++) {
                    String word = String.valueOf(c);
                    if (word.equals(h.tokenText(text).strip())) {
                        continue;
                    }
                    double score = flipScore(wte, d, idOf(m, word), x, g);
                    if (score > bestScore) {
                        bestScore = score;
                        best = word;
                    }
                }
                assertEquals(best, h.candidates().get(0));
                for (int k = 0; k < 3; k++) {
                    double want = flipScore(wte, d, idOf(m, h.candidates().get(k)), x, g);
                    assertEquals(want, h.scores().get(k), 1e-3 + 1e-2 * Math.abs(want), h.candidates().get(k));
                }
            }
        }
    }

    @Test
    void refusesCountsBelowOne() throws Exception {
        Path dir = TinyModels.randomCheckpoint(tmp, TinyModels.config(16, 16, 1, 2), 22);
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            assertThrows(IllegalArgumentException.class, () -> m.gradientHints(List.of("abc"), 0, 3));
            assertThrows(IllegalArgumentException.class, () -> m.gradientHints(List.of("abc"), 1, 0));
            assertThrows(IllegalArgumentException.class, () -> m.gradientHints(List.of(""), 1, 1));
        }
    }

    private static double flipScore(float[] wte, int d, int v, int x, double[] g) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (wte[v * d + j] - wte[x * d + j]) * g[j];
        }
        return s;
    }

    private static int idOf(DjlLanguageModel m, String word) {
        int[] ids = m.score(List.of(word)).get(0).ids().toArray();
        assertEquals(1, ids.length, word);
        return ids[0];
    }
}
