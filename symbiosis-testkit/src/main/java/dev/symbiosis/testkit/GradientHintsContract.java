package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenHint;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties every {@link GradientHints} Student must have: the hinted tokens are the most salient ones of
 * {@link Student#saliency} (same norms, within a relative tolerance of 1e-3 for float engines), candidates are
 * visible text other than the token itself with non-increasing scores, and asking changes nothing.
 */
public interface GradientHintsContract {

    /** A Student that implements {@link GradientHints}. */
    Student hintingStudent();

    @Provide
    default Arbitrary<String> hintTexts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(2).ofMaxLength(80)
                .filter(s -> !s.isBlank());
    }

    @Property(tries = 10)
    default void hintsAreTheMostSalientTokensWithVisibleCandidates(
            @ForAll @Size(min = 1, max = 3) List<@From("hintTexts") String> texts,
            @ForAll @IntRange(min = 1, max = 4) int positions, @ForAll @IntRange(min = 1, max = 5) int candidates) {
        GradientHints g = (GradientHints) hintingStudent();
        List<SaliencyMap> maps = hintingStudent().saliency(texts);
        List<List<TokenHint>> hints = g.gradientHints(texts, positions, candidates);
        assertEquals(texts.size(), hints.size());
        for (int t = 0; t < texts.size(); t++) {
            String text = texts.get(t);
            SaliencyMap m = maps.get(t);
            List<TokenHint> hs = hints.get(t);
            assertEquals(Math.min(positions, m.size()), hs.size(), "one hint per salient token");
            double[] sorted = m.norms().stream().map(v -> -v).sorted().map(v -> -v).toArray();
            for (int k = 0; k < hs.size(); k++) {
                TokenHint h = hs.get(k);
                double expected = m.norms().get(h.tokenIndex());
                assertEquals(expected, h.saliency(), 1e-3 * Math.max(1e-9, expected), "saliency = gradient norm");
                assertEquals(sorted[k], h.saliency(), 1e-3 * Math.max(1e-9, sorted[k]), "most salient first");
                assertEquals(m.starts().get(h.tokenIndex()), h.span().start());
                assertEquals(m.ends().get(h.tokenIndex()), h.span().end());
                assertTrue(h.candidates().size() <= candidates);
                for (String c : h.candidates()) {
                    assertFalse(c.isBlank(), "blank candidate");
                    assertNotEquals(h.tokenText(text), c, "the token itself is no candidate");
                }
            }
        }
        assertEquals(hints, g.gradientHints(texts, positions, candidates), "deterministic");
    }

    @Property(tries = 3)
    default void askingForHintsChangesNothing(@ForAll("hintTexts") String text) {
        double[] before = hintingStudent().score(List.of(text)).get(0).logProbs().toArray();
        ((GradientHints) hintingStudent()).gradientHints(List.of(text), 2, 3);
        assertArrayEquals(before, hintingStudent().score(List.of(text)).get(0).logProbs().toArray(), 0.0);
    }

    @Property(tries = 1)
    default void badArgumentsAreRefused() {
        GradientHints g = (GradientHints) hintingStudent();
        assertThrows(IllegalArgumentException.class, () -> g.gradientHints(List.of("ab"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> g.gradientHints(List.of("ab"), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> g.gradientHints(List.of(""), 1, 1));
    }
}
