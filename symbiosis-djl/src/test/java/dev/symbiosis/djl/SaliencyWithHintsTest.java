package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.SaliencyWithHints;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.Gpt2Config;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saliency and hints from one gradient pass: {@link DjlLanguageModel#saliencyWithHints} gives exactly the maps of
 * {@link DjlLanguageModel#saliency} and the hints of {@link DjlLanguageModel#gradientHints}, with one forward and
 * backward per batch of windows (the hints used to cost a saliency pass and a second gradient pass), and the hint
 * scores are exactly those of the network's separate {@link CausalLm#gradientAlignment} pass.
 */
class SaliencyWithHintsTest {

    private static final List<String> TEXTS = List.of("abc cab",
            "a text much longer than the sixteen-token context, so that it has several windows",
            "another text", "xyz");

    @TempDir
    Path tmp;

    /** A network whose calls are counted by name. */
    private static CausalLm counting(CausalLm real, Map<String, Integer> calls) {
        InvocationHandler h = (proxy, method, args) -> {
            calls.merge(method.getName(), 1, Integer::sum);
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (CausalLm) Proxy.newProxyInstance(CausalLm.class.getClassLoader(), new Class<?>[] {CausalLm.class},
                h);
    }

    /** The state of a loaded model with a counting network and small batches (several per call). */
    private static ModelState countingState(ModelState real, Map<String, Integer> calls) {
        return new ModelState(real.name, real.config, 0, real.chat, real.tokenizer, real.tokenizerJson,
                real.tokenizerConfigJson, real.dtype, real.root, counting(real.model(), calls), real.trainer, 48, 0,
                null, real.meta);
    }

    @Test
    void oneGradientPassPerBatchGivesTheSaliencyAndTheHintsOfTheSeparateCalls() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 2, 2);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 31);
        try (ModelState real = CheckpointIo.open(DjlLanguageModel.builder(dir).optMaxBatchTokens(48))) {
            Map<String, Integer> calls = new ConcurrentHashMap<>();
            Saliency saliency = new Saliency(countingState(real, calls));

            List<SaliencyMap> maps = saliency.saliency(TEXTS);
            int batches = calls.get("inputSaliency");
            assertTrue(batches >= 3, "several batches: " + batches);
            calls.clear();

            SaliencyWithHints both = saliency.both(TEXTS, 3, 4);
            assertEquals(batches, calls.get("inputGradient"), "one forward and backward per batch");
            assertEquals(null, calls.get("inputSaliency"), "no separate saliency pass");
            assertEquals(null, calls.get("gradientAlignment"), "no second gradient pass");
            assertEquals(maps, both.saliency(), "the maps of saliency(texts), exactly");
            calls.clear();
            assertEquals(both.hints(), saliency.gradientHints(TEXTS, 3, 4), "the hints of gradientHints, exactly");
            assertEquals(batches, calls.get("inputGradient"));

            // every hint is a text's most salient tokens, and its scores are exactly those of the separate pass
            CausalLm net = real.model();
            for (int i = 0; i < TEXTS.size(); i++) {
                SaliencyMap m = maps.get(i);
                List<TokenHint> hints = both.hints().get(i);
                assertEquals(Math.min(3, m.size()), hints.size());
                for (TokenHint h : hints) {
                    assertEquals(m.norms().get(h.tokenIndex()), h.saliency(), 0.0);
                    for (int k = 0; k < m.size(); k++) {
                        int token = k;
                        boolean hinted = hints.stream().anyMatch(x -> x.tokenIndex() == token);
                        assertTrue(hinted || m.norms().get(k) <= h.saliency(), "text " + i + " token " + k);
                    }
                }
                if (m.size() <= cfg.nPositions()) { // one window
                    assertKeptRowsProjectLikeTheSeparatePass(net, m, hints);
                }
            }
        }
    }

    /**
     * For the text alone in a batch: the norms of {@link CausalLm#inputGradient} are those of
     * {@link CausalLm#inputSaliency}, and its gradient rows at the hinted tokens, projected, are what the separate
     * gradient pass {@link CausalLm#gradientAlignment} gives, bit for bit.
     */
    private static void assertKeptRowsProjectLikeTheSeparatePass(CausalLm net, SaliencyMap m, List<TokenHint> hints) {
        int t = m.size();
        long[] ids = new long[t];
        long[] next = new long[t];
        float[] coef = new float[t];
        for (int j = 0; j < t; j++) {
            ids[j] = m.ids().get(j);
            next[j] = j + 1 < t ? m.ids().get(j + 1) : TinyModels.EOS;
            coef[j] = j + 1 < t ? 1f / (t - 1) : 0f;
        }
        int[] at = hints.stream().mapToInt(TokenHint::tokenIndex).toArray();
        float[][] align = net.gradientAlignment(ids, next, coef, 1, t, at);
        CausalLm.InputGradient g = net.inputGradient(ids, next, coef, 1, t);
        assertArrayEquals(net.inputSaliency(ids, next, coef, 1, t), g.norms(), "norms of one pass");
        int d = g.dim();
        float[] rows = new float[at.length * d];
        for (int i = 0; i < at.length; i++) {
            System.arraycopy(g.gradient(), at[i] * d, rows, i * d, d);
        }
        float[][] fromRows = net.embeddingAlignment(rows, at.length);
        for (int i = 0; i < at.length; i++) {
            assertArrayEquals(align[i], fromRows[i], "projection of the kept gradient row = the separate pass");
        }
    }

    @Test
    void theFrontAnswersSaliencyWithHintsLikeTheTwoCalls() throws Exception {
        Path dir = TinyModels.randomCheckpoint(tmp, TinyModels.config(16, 16, 1, 2), 32);
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            SaliencyWithHints both = m.saliencyWithHints(TEXTS, 2, 3);
            assertEquals(m.saliency(TEXTS), both.saliency());
            assertEquals(m.gradientHints(TEXTS, 2, 3), both.hints());
        }
    }
}
