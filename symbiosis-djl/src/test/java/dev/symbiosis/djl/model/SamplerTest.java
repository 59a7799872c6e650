package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SamplingConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {1f, 3f, 2f, 0f, 3f};

    private static int[] counts(SamplingConfig cfg, int n) {
        SplittableRandom rnd = new SplittableRandom(1);
        int[] c = new int[LOGITS.length];
        for (int i = 0; i < n; i++) {
            c[Sampler.next(LOGITS.clone(), new int[0], 0, cfg, rnd)]++;
        }
        return c;
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        assertEquals(1, Sampler.next(LOGITS.clone(), new int[0], 0, SamplingConfig.greedy(1), null));
    }

    @Test
    void unfilteredSamplingFollowsTheSoftmax() {
        int n = 40_000;
        int[] c = counts(SamplingConfig.defaults(), n);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            double p = Math.exp(LOGITS[i]) / z;
            assertEquals(p, (double) c[i] / n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-3, "token " + i);
        }
    }

    @Test
    void topKAndTopPKeepOnlyTheHead() {
        int[] k2 = counts(SamplingConfig.defaults().withTopK(2), 2000);
        assertEquals(2000, k2[1] + k2[4], "top-2 keeps the two tied maxima");
        assertTrue(k2[1] > 800 && k2[4] > 800);
        // p(1) = p(4) = 0.387, p(2) = 0.142: top-p 0.5 keeps ids 1 and 4, top-p 0.8 adds id 2
        int[] p5 = counts(SamplingConfig.defaults().withTopP(0.5), 2000);
        assertEquals(2000, p5[1] + p5[4]);
        int[] p8 = counts(SamplingConfig.defaults().withTopP(0.8), 4000);
        assertEquals(4000, p8[1] + p8[4] + p8[2]);
        assertTrue(p8[2] > 300);
    }

    @Test
    void repetitionPenaltyDividesPositiveLogitsOfSeenTokens() {
        float[] l = LOGITS.clone();
        // token 1 seen: 3 / 2 = 1.5 < 3 (token 4) -> greedy picks 4
        assertEquals(4, Sampler.next(l, new int[] {1, 1}, 2, SamplingConfig.greedy(1).withRepetitionPenalty(2),
                null));
        assertEquals(1.5f, l[1]);
        float[] neg = {-1f, -2f};
        Sampler.next(neg, new int[] {0}, 1, SamplingConfig.greedy(1).withRepetitionPenalty(2), null);
        assertEquals(-2f, neg[0]);
    }
}
