package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties every {@link Curriculum} must have. Implement this interface in a test class of your curriculum and
 * return it from {@link #curriculum()}:
 *
 * <pre>{@code
 * class MyCurriculumContractTest implements CurriculumContract {
 *     @Override
 *     public Curriculum curriculum() {
 *         return new MyCurriculum(List.of("tides", "harbours", "ships"));
 *     }
 * }
 * }</pre>
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #topicPromptsAreCountedDeterministicAndLabelled}: a wrong count; a draw from an unseeded random
 *       source; prompts the loop cannot attribute.</li>
 *   <li>{@link #theSeedChangesTheTopicPrompts}: a seed that is ignored, which makes every strategy and every
 *       repetition of an experiment see the same topics. A curriculum with a single possible prompt cannot have
 *       this property: leave it out as the package documentation describes.</li>
 *   <li>{@link #teachingPromptsFollowTheHardExamplesInOrder}: hard examples dropped or reordered; prompts that
 *       cannot be traced to their hard example.</li>
 *   <li>{@link #emptyFeedbackGivesNoTeachingPrompts}: teaching prompts made up when there is nothing to
 *       teach.</li>
 *   <li>{@link #eachNearDuplicateFilterIsFresh}: one filter shared between strategies, which would let one
 *       strategy's samples drop another's.</li>
 * </ul>
 *
 * <p>The feedback of {@link #contractFeedback()} holds up to six hard examples with one salient span each, half
 * of them with a gradient hint on that span. See {@link Contract#triesFactor()} for the number of tries.
 */
public interface CurriculumContract extends Contract {

    /** The curriculum under test. */
    Curriculum curriculum();

    /** Feedback of 0 to 6 hard examples with distinct ids, hardest first, at iterations 0 to 20. */
    @Provide
    default Arbitrary<Feedback> contractFeedback() {
        Arbitrary<String> texts = Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(20)
                .ofMaxLength(300).filter(s -> !s.isBlank());
        Arbitrary<HardExample> examples = Combinators.combine(texts, Arbitraries.integers().between(0, 1000),
                Arbitraries.doubles().between(0, 10), Arbitraries.of(true, false)).as((t, id, h, hinted) -> {
                    int a = t.length() / 3;
                    int b = Math.min(t.length(), a + 6);
                    Span span = new Span(a, b);
                    ImmutableList<TokenHint> hints = hinted
                            ? ImmutableList.of(TokenHint.of(0, span, h, List.of("qq", "zz"), new double[] {2, 1}))
                            : ImmutableList.of();
                    return new HardExample(new Document("doc-" + id, t, Provenance.of("pool")), h, -h, h,
                            ImmutableList.of(span), null, hints);
                });
        return Combinators.combine(examples.list().ofMaxSize(6).uniqueElements(e -> e.document().id()),
                Arbitraries.integers().between(0, 20)).as((list, it) -> {
                    List<HardExample> sorted = new ArrayList<>(list);
                    sorted.sort((x, y) -> Double.compare(y.hardness(), x.hardness()));
                    return new Feedback(it, sorted.size() + 5, ImmutableList.copyOf(sorted), 1.0, -1.0);
                });
    }

    /**
     * For 0 to 40 prompts at iterations 0 to 100: exactly {@code count} non-blank prompts, the same when asked again,
     * each with provenance attribute {@code kind = topic} and the iteration.
     */
    @Property(tries = 30)
    @ScaledTries
    default void topicPromptsAreCountedDeterministicAndLabelled(@ForAll @IntRange(min = 0, max = 40) int count,
            @ForAll @IntRange(min = 0, max = 100) int iteration, @ForAll long seed) {
        List<Prompt> a = curriculum().topicPrompts(iteration, count, seed);
        assertEquals(count, a.size(), "topic prompts asked for");
        assertEquals(a, curriculum().topicPrompts(iteration, count, seed), "the same arguments, the same prompts");
        for (Prompt p : a) {
            assertEquals("topic", p.provenance().attributes().get("kind"), "provenance kind of a topic prompt");
            assertEquals(iteration, p.provenance().iteration(), "provenance iteration of a topic prompt");
            assertFalse(p.text().isBlank(), "blank topic prompt");
        }
    }

    /**
     * The 20 topic prompts of a seed differ from those of at least one of the next three seeds.
     */
    @Property(tries = 10)
    @ScaledTries
    default void theSeedChangesTheTopicPrompts(@ForAll @IntRange(min = 0, max = 100) int iteration,
            @ForAll long seed) {
        List<Prompt> first = curriculum().topicPrompts(iteration, 20, seed);
        boolean changed = false;
        for (int k = 1; k <= 3 && !changed; k++) {
            changed = !first.equals(curriculum().topicPrompts(iteration, 20, seed + k)); // wraps at Long.MAX_VALUE
        }
        assertTrue(changed, "seed " + seed + " and the next three give the same 20 topic prompts");
    }

    /**
     * Every teaching prompt is non-blank, with provenance attribute {@code kind = teaching}, the iteration, and
     * attribute hard_example = the id of the hard example it teaches; these ids, repeats collapsed, are exactly the
     * feedback's hard examples in order (so every example gets at least one prompt); the same prompts when asked again.
     */
    @Property(tries = 30)
    @ScaledTries
    default void teachingPromptsFollowTheHardExamplesInOrder(@ForAll("contractFeedback") Feedback feedback) {
        int iteration = feedback.iteration();
        List<Prompt> prompts = curriculum().teachingPrompts(iteration, feedback);
        List<String> taught = new ArrayList<>(); // hard-example ids in prompt order, repeats collapsed
        for (Prompt p : prompts) {
            assertEquals("teaching", p.provenance().attributes().get("kind"), "provenance kind of a teaching prompt");
            assertEquals(iteration, p.provenance().iteration(), "provenance iteration of a teaching prompt");
            assertFalse(p.text().isBlank(), "blank teaching prompt");
            String id = p.provenance().attributes().get("hard_example");
            if (taught.isEmpty() || !taught.get(taught.size() - 1).equals(id)) {
                taught.add(id);
            }
        }
        assertEquals(feedback.hardExamples().stream().map(h -> h.document().id()).toList(), taught,
                "teaching prompts must teach every hard example, in the feedback's order");
        assertEquals(prompts, curriculum().teachingPrompts(iteration, feedback),
                "the same arguments, the same prompts");
    }

    /**
     * An empty feedback gives no teaching prompts.
     */
    @Property(tries = 1)
    @ScaledTries
    default void emptyFeedbackGivesNoTeachingPrompts() {
        assertEquals(List.of(), curriculum().teachingPrompts(2, Feedback.none(2)),
                "an empty feedback gives no teaching prompts");
    }

    /**
     * Two calls of {@code nearDuplicateFilter} with one seed give a filter both times or neither; the filters hold no
     * text, and a text offered to the first is not in the second.
     */
    @Property(tries = 3)
    @ScaledTries
    default void eachNearDuplicateFilterIsFresh(@ForAll long seed) {
        Optional<NearDuplicateFilter> a = curriculum().nearDuplicateFilter(seed);
        Optional<NearDuplicateFilter> b = curriculum().nearDuplicateFilter(seed);
        assertEquals(a.isPresent(), b.isPresent(), "the same seed, a filter both times or neither");
        if (a.isPresent()) {
            assertEquals(0, a.get().size(), "a new filter must hold no accepted text");
            a.get().offer("the first accepted sample of one strategy");
            assertEquals(0, b.get().size(), "each call must give a fresh filter, not share one");
        }
    }
}
