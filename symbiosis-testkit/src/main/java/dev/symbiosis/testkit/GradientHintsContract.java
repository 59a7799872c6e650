package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.SaliencyWithHints;
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
 * Properties every Student that implements {@link GradientHints} must have. Implement this interface in a test
 * class of your implementation and return it from {@link #hintingStudent()}, usually next to
 * {@link StudentContract}:
 *
 * <pre>{@code
 * class MyStudentContractTest implements StudentContract, GradientHintsContract {
 *     private static final MyStudent STUDENT = MyStudent.load(Path.of("src/test/resources/tiny-model"));
 *
 *     public Student student() {
 *         return STUDENT;
 *     }
 *
 *     public Student hintingStudent() {
 *         return STUDENT;
 *     }
 * }
 * }</pre>
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #hintsAreTheMostSalientTokensWithVisibleCandidates}: hints ranked by position or by another
 *       quantity than the gradient norm; candidates that would tell the Generator nothing.</li>
 *   <li>{@link #saliencyWithHintsIsTheTwoCallsInOne}: a combined pass whose maps or hints differ from those of
 *       {@link Student#saliency} and {@link GradientHints#gradientHints}.</li>
 *   <li>{@link #askingForHintsChangesNothing}: a gradient pass that updates weights.</li>
 *   <li>{@link #badArgumentsAreRefused}: arguments outside the documented range accepted silently.</li>
 * </ul>
 *
 * <p>{@link #hintingStudent()} should return the same instance each time. Override {@link #hintTexts()} when
 * your model needs other texts; see {@link Contract#triesFactor()} for the number of tries.
 */
public interface GradientHintsContract extends Contract {

    /** The Student under test; it must implement {@link GradientHints}. */
    Student hintingStudent();

    /** Texts to ask hints for. Default: 2 to 80 lower-case letters, spaces and full stops, not blank. */
    @Provide
    default Arbitrary<String> hintTexts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(2).ofMaxLength(80)
                .filter(s -> !s.isBlank());
    }

    /**
     * For 1 to 3 texts, 1 to 4 positions and 1 to 5 candidates: one list per text with min(positions, tokens) hints,
     * each token once, most salient first; each hint's saliency and span are those of its token in {@link
     * Student#saliency} (within a relative 1e-3, for float engines); at most the asked number of candidates, none blank
     * and none the token's own text; the same hints when asked again; and, asked for as many positions as the
     * longest text has tokens, every token ranked most salient first.
     */
    @Property(tries = 10)
    @ScaledTries
    default void hintsAreTheMostSalientTokensWithVisibleCandidates(
            @ForAll @Size(min = 1, max = 3) List<@From("hintTexts") String> texts,
            @ForAll @IntRange(min = 1, max = 4) int positions, @ForAll @IntRange(min = 1, max = 5) int candidates) {
        GradientHints g = asHinting(hintingStudent());
        List<SaliencyMap> maps = hintingStudent().saliency(texts);
        List<List<TokenHint>> hints = g.gradientHints(texts, positions, candidates);
        assertEquals(texts.size(), hints.size(), "one list of hints per text");
        for (int t = 0; t < texts.size(); t++) {
            String text = texts.get(t);
            SaliencyMap m = maps.get(t);
            List<TokenHint> hs = hints.get(t);
            assertEquals(Math.min(positions, m.size()), hs.size(), "one hint per salient token");
            assertEquals(hs.size(), hs.stream().mapToInt(TokenHint::tokenIndex).distinct().count(),
                    "each token is hinted once");
            double[] sorted = descendingNorms(m);
            for (int k = 0; k < hs.size(); k++) {
                TokenHint h = hs.get(k);
                double expected = m.norms().get(h.tokenIndex());
                assertEquals(expected, h.saliency(), 1e-3 * Math.max(1e-9, expected), "saliency = gradient norm");
                assertEquals(sorted[k], h.saliency(), 1e-3 * Math.max(1e-9, sorted[k]), "most salient first");
                assertEquals(m.starts().get(h.tokenIndex()), h.span().start(), "the hint's span is its token's");
                assertEquals(m.ends().get(h.tokenIndex()), h.span().end(), "the hint's span is its token's");
                assertTrue(h.candidates().size() <= candidates, "more than " + candidates + " candidates");
                for (String c : h.candidates()) {
                    assertFalse(c.isBlank(), "blank candidate");
                    assertNotEquals(h.tokenText(text), c, "the token itself is no candidate");
                }
            }
        }
        assertEquals(hints, g.gradientHints(texts, positions, candidates), "deterministic");
        // the ranking over every token of each text: a wrong order cannot hide behind a short list of hints (with
        // 1 to 4 positions, the top few tokens are often in text order by chance)
        int most = maps.stream().mapToInt(SaliencyMap::size).max().orElse(1);
        List<List<TokenHint>> ranked = g.gradientHints(texts, Math.max(1, most), 1);
        for (int t = 0; t < texts.size(); t++) {
            double[] sorted = descendingNorms(maps.get(t));
            List<TokenHint> hs = ranked.get(t);
            for (int k = 0; k < hs.size(); k++) {
                assertEquals(sorted[k], hs.get(k).saliency(), 1e-3 * Math.max(1e-9, sorted[k]),
                        "most salient first (every token ranked)");
            }
        }
    }

    /** The map's gradient norms, most salient first: the order the hints must follow. */
    private static double[] descendingNorms(SaliencyMap m) {
        return m.norms().stream().map(v -> -v).sorted().map(v -> -v).toArray();
    }

    /**
     * {@link GradientHints#saliencyWithHints} returns exactly the maps of {@link Student#saliency} and the hints of
     * {@link GradientHints#gradientHints} for the same arguments.
     */
    @Property(tries = 5)
    @ScaledTries
    default void saliencyWithHintsIsTheTwoCallsInOne(
            @ForAll @Size(min = 1, max = 3) List<@From("hintTexts") String> texts,
            @ForAll @IntRange(min = 1, max = 4) int positions, @ForAll @IntRange(min = 1, max = 5) int candidates) {
        GradientHints g = asHinting(hintingStudent());
        SaliencyWithHints both = g.saliencyWithHints(texts, positions, candidates);
        assertEquals(hintingStudent().saliency(texts), both.saliency(), "the maps of saliency(texts)");
        assertEquals(g.gradientHints(texts, positions, candidates), both.hints(), "the hints of gradientHints");
    }

    /**
     * The scores after asking for hints are exactly the scores before.
     */
    @Property(tries = 3)
    @ScaledTries
    default void askingForHintsChangesNothing(@ForAll("hintTexts") String text) {
        double[] before = hintingStudent().score(List.of(text)).get(0).logProbs().toArray();
        asHinting(hintingStudent()).gradientHints(List.of(text), 2, 3);
        assertArrayEquals(before, hintingStudent().score(List.of(text)).get(0).logProbs().toArray(), 0.0,
                "asking for hints must not change the model");
    }

    /**
     * {@code positions < 1}, {@code candidates < 1} and an empty text throw {@link IllegalArgumentException}.
     */
    @Property(tries = 1)
    @ScaledTries
    default void badArgumentsAreRefused() {
        GradientHints g = asHinting(hintingStudent());
        assertThrows(IllegalArgumentException.class, () -> g.gradientHints(List.of("ab"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> g.gradientHints(List.of("ab"), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> g.gradientHints(List.of(""), 1, 1));
    }

    private static GradientHints asHinting(Student student) {
        assertInstanceOf(GradientHints.class, student, "hintingStudent() must implement GradientHints");
        return (GradientHints) student;
    }
}
