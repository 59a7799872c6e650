package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.Student;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties every Student that implements {@link ParameterGradients} must have. Implement this interface in a test
 * class of your implementation and return it from {@link #gradientStudent()}, usually next to
 * {@link StudentContract}.
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #cosinesAreBoundedSymmetricAndOneWithItself}: a dot product returned unnormalised, gradients of the
 *       wrong text paired, gradients accumulated from one text into the next.</li>
 *   <li>{@link #askingForGradientsChangesNothing}: a gradient pass that updates weights or leaves gradients
 *       behind.</li>
 *   <li>{@link #badGradientArgumentsAreRefused}: empty texts accepted silently.</li>
 * </ul>
 *
 * <p>{@link #gradientStudent()} should return the same instance each time. Override {@link #gradientTexts()} when
 * your model needs other texts; see {@link Contract#triesFactor()} for the number of tries.
 */
public interface ParameterGradientsContract extends Contract {

    /** The Student under test; it must implement {@link ParameterGradients}. */
    Student gradientStudent();

    /** Texts to take gradients of. Default: 6 to 60 lower-case letters, spaces and full stops, not blank. */
    @Provide
    default Arbitrary<String> gradientTexts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(6).ofMaxLength(60)
                .filter(s -> !s.isBlank());
    }

    /**
     * For a target and 1 to 3 candidates: one cosine per candidate in {@code [-1, 1]}; the target against itself
     * (appended as a last candidate) has cosine 1 (within 1e-4); {@code cos(a, b) = cos(b, a)} (within 1e-4); the
     * same cosines when asked again (within 1e-6: a float engine may reduce in another order).
     */
    @Property(tries = 5)
    @ScaledTries
    default void cosinesAreBoundedSymmetricAndOneWithItself(@ForAll("gradientTexts") String target,
            @ForAll @Size(min = 1, max = 3) List<@From("gradientTexts") String> candidates) {
        ParameterGradients g = asGradients(gradientStudent());
        List<String> withSelf = new ArrayList<>(candidates);
        withSelf.add(target);
        double[] cos = g.gradientCosines(target, withSelf);
        assertEquals(withSelf.size(), cos.length, "one cosine per candidate");
        for (double c : cos) {
            assertTrue(c >= -1 && c <= 1, "cosine outside [-1, 1]: " + c);
        }
        assertEquals(1.0, cos[cos.length - 1], 1e-4, "a text's gradient has cosine 1 with itself");
        double back = g.gradientCosines(candidates.get(0), List.of(target))[0];
        assertEquals(cos[0], back, 1e-4, "cos(a, b) = cos(b, a)");
        assertArrayEquals(cos, g.gradientCosines(target, withSelf), 1e-6, "deterministic");
    }

    /** The scores after asking for gradient cosines are exactly the scores before. */
    @Property(tries = 3)
    @ScaledTries
    default void askingForGradientsChangesNothing(@ForAll("gradientTexts") String a, @ForAll("gradientTexts") String b) {
        double[] before = gradientStudent().score(List.of(a)).get(0).logProbs().toArray();
        double[] first = asGradients(gradientStudent()).gradientCosines(a, List.of(b));
        assertArrayEquals(before, gradientStudent().score(List.of(a)).get(0).logProbs().toArray(), 0.0,
                "asking for gradient cosines must not change the model");
        assertArrayEquals(first, asGradients(gradientStudent()).gradientCosines(a, List.of(b)), 1e-6,
                "no gradient left behind to add to the next call's");
    }

    /** An empty target or candidate throws {@link IllegalArgumentException}; no candidates give no cosines. */
    @Property(tries = 1)
    @ScaledTries
    default void badGradientArgumentsAreRefused() {
        ParameterGradients g = asGradients(gradientStudent());
        assertThrows(IllegalArgumentException.class, () -> g.gradientCosines("", List.of("abcdef")));
        assertThrows(IllegalArgumentException.class, () -> g.gradientCosines("abcdef", List.of("")));
        assertEquals(0, g.gradientCosines("abcdef", List.of()).length);
    }

    private static ParameterGradients asGradients(Student student) {
        assertInstanceOf(ParameterGradients.class, student, "gradientStudent() must implement ParameterGradients");
        return (ParameterGradients) student;
    }
}
