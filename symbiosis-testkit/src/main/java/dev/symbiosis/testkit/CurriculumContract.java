package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties every {@link Curriculum} must have. */
public interface CurriculumContract {

    Curriculum curriculum();

    @Provide
    default Arbitrary<Feedback> contractFeedback() {
        Arbitrary<String> texts = Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(20)
                .ofMaxLength(300).filter(s -> !s.isBlank());
        Arbitrary<HardExample> examples = Combinators.combine(texts, Arbitraries.integers().between(0, 1000),
                Arbitraries.doubles().between(0, 10)).as((t, id, h) -> {
                    int a = t.length() / 3;
                    int b = Math.min(t.length(), a + 6);
                    return new HardExample(new Document("doc-" + id, t, Provenance.of("pool")), h, -h, h,
                            ImmutableList.of(new Span(a, b)), null);
                });
        return Combinators.combine(examples.list().ofMaxSize(6).uniqueElements(e -> e.document().id()),
                Arbitraries.integers().between(0, 20)).as((list, it) -> {
                    List<HardExample> sorted = new ArrayList<>(list);
                    sorted.sort((x, y) -> Double.compare(y.hardness(), x.hardness()));
                    return new Feedback(it, sorted.size() + 5, ImmutableList.copyOf(sorted), 1.0, -1.0);
                });
    }

    @Property(tries = 30)
    default void topicPromptsAreCountedSeededAndLabelled(@ForAll @IntRange(min = 0, max = 40) int count,
            @ForAll @IntRange(min = 0, max = 100) int iteration, @ForAll long seed) {
        List<Prompt> a = curriculum().topicPrompts(iteration, count, seed);
        assertEquals(count, a.size());
        assertEquals(a, curriculum().topicPrompts(iteration, count, seed));
        for (Prompt p : a) {
            assertEquals("topic", p.provenance().attributes().get("kind"));
            assertEquals(iteration, p.provenance().iteration());
            assertFalse(p.text().isBlank());
        }
    }

    @Property(tries = 30)
    default void teachingPromptsComeFromTheHardExamplesInOrder(@ForAll("contractFeedback") Feedback feedback) {
        List<Prompt> prompts = curriculum().teachingPrompts(feedback.iteration(), feedback);
        assertTrue(prompts.size() >= feedback.hardExamples().size());
        Set<String> ids = feedback.hardExamples().stream().map(h -> h.document().id()).collect(Collectors.toSet());
        for (Prompt p : prompts) {
            assertEquals("teaching", p.provenance().attributes().get("kind"));
            assertTrue(ids.contains(p.provenance().attributes().get("hard_example")));
            assertFalse(p.text().isBlank());
        }
        if (!prompts.isEmpty()) {
            assertEquals(feedback.hardExamples().get(0).document().id(),
                    prompts.get(0).provenance().attributes().get("hard_example"));
        }
        assertEquals(prompts, curriculum().teachingPrompts(feedback.iteration(), feedback));
    }

    @Property(tries = 1)
    default void emptyFeedbackGivesNoTeachingPrompts() {
        assertTrue(curriculum().teachingPrompts(2, Feedback.none(2)).isEmpty());
    }
}
