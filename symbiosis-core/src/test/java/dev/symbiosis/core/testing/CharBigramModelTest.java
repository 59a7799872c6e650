package dev.symbiosis.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenHint;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The test double's saliency and hints are the gradient of its loss under one-hot inputs, checked numerically. */
class CharBigramModelTest {

    private static final CharBigramModel MODEL = CharBigramModel.trainedOn("m",
            List.of("the quick brown fox jumps over the lazy dog.", "a bad cab in a dark park."));

    /**
     * Mean next-token loss with the input at {@code pos} replaced by the mixture {@code (1-eps) e_x + eps e_v}:
     * {@code p(b | x) = sum_a x[a] P[a][b]} is linear in the input.
     */
    private static double lossWithMixedInput(String text, int pos, int v, double eps) {
        int n = text.length();
        double sum = 0;
        for (int i = 0; i < n - 1; i++) {
            int a = text.charAt(i) % 128;
            int b = text.charAt(i + 1) % 128;
            double p = i == pos ? (1 - eps) * MODEL.prob(a, b) + eps * MODEL.prob(v, b) : MODEL.prob(a, b);
            sum -= Math.log(p);
        }
        return sum / (n - 1);
    }

    @Property(tries = 30)
    void hintScoresAreTheDirectionalDerivativeOfTheLoss(
            @ForAll @StringLength(min = 2, max = 40) @net.jqwik.api.constraints.CharRange(from = 'a', to = 'z')
                    String text,
            @ForAll @IntRange(min = 1, max = 3) int candidates) {
        List<TokenHint> hints = MODEL.gradientHints(List.of(text), 3, candidates).get(0);
        double h = 1e-6;
        for (TokenHint hint : hints) {
            int pos = hint.tokenIndex();
            for (int k = 0; k < hint.candidates().size(); k++) {
                int v = hint.candidates().get(k).charAt(0);
                double numeric = (lossWithMixedInput(text, pos, v, h) - lossWithMixedInput(text, pos, v, 0)) / h;
                assertEquals(numeric, hint.scores().get(k), 1e-4 * Math.max(1, Math.abs(numeric)),
                        "d/d eps of the loss along e_v - e_x at " + pos);
            }
        }
    }

    @Test
    void saliencyIsTheGradientNormAndTheLastTokenHasNone() {
        String text = "the dark fox";
        SaliencyMap m = MODEL.saliency(List.of(text)).get(0);
        assertEquals(0.0, m.norms().get(text.length() - 1));
        int pos = 4;
        int b = text.charAt(pos + 1);
        double own = MODEL.prob(text.charAt(pos), b);
        double sq = 0;
        for (int a = 0; a < 128; a++) {
            double g = -MODEL.prob(a, b) / ((text.length() - 1) * own);
            sq += g * g;
        }
        assertEquals(Math.sqrt(sq), m.norms().get(pos), 1e-12);
    }

    @Test
    void candidatesAreTheSubstitutionsThatRaiseTheLossMostAndAreVisible() {
        String text = "the park";
        TokenHint first = MODEL.gradientHints(List.of(text), 1, 5).get(0).get(0);
        int pos = first.tokenIndex();
        int b = text.charAt(pos + 1);
        for (String c : first.candidates()) {
            char v = c.charAt(0);
            assertTrue(v > ' ' && v < 127, "visible: " + (int) v);
            assertTrue(v != text.charAt(pos));
            // no visible symbol outside the list makes the successor less likely than the last candidate
            char last = first.candidates().get(first.candidates().size() - 1).charAt(0);
            assertTrue(MODEL.prob(v, b) <= MODEL.prob(last, b));
        }
        for (int v = 33; v < 127; v++) {
            if (!first.candidates().contains(String.valueOf((char) v)) && v != text.charAt(pos)) {
                char last = first.candidates().get(first.candidates().size() - 1).charAt(0);
                assertTrue(MODEL.prob(v, b) >= MODEL.prob(last, b), "missed candidate " + (char) v);
            }
        }
    }
}
