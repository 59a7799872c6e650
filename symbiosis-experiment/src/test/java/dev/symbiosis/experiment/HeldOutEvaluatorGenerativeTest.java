package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.eval.EvalProgress;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.GenerativeItem;
import dev.symbiosis.core.eval.GenerativeResult;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.text.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The generative part of the held-out evaluation, with generators that answer from a table. */
class HeldOutEvaluatorGenerativeTest {

    private static Generator answering(Function<Prompt, String> answer, List<SamplingConfig> calls) {
        return new Generator() {
            @Override
            public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
                calls.add(sampling);
                List<Sample> out = new ArrayList<>();
                for (Prompt p : prompts) {
                    out.add(new Sample(p, answer.apply(p), 1, Provenance.of("table")));
                }
                return out;
            }

            @Override
            public TrainingReport fineTune(List<PromptCompletion> examples) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void save(Path dir) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void restore(Path dir) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static final EvalSuite SUITE = EvalSuite.of(List.of(
            new MultipleChoiceItem("mc-1", "t", "Context", List.of("a", "b"), 0, "s")));

    @Test
    void embeddedTasksAreEvaluatedGreedilyWithShortCompletions() {
        HeldOutEvaluator ev = HeldOutEvaluator.builder(SUITE, List.of()).build();
        assertEquals(2 * HeldOutEvaluator.GENERATIVE_ITEMS_PER_TASK, ev.generativeItems().size());
        Map<String, String> right = new java.util.HashMap<>();
        ev.generativeItems().forEach(it -> right.put(it.prompt(), it.references().get(0)));
        List<SamplingConfig> calls = new ArrayList<>();
        // a model that knows every answer, then rambles on
        GenerativeResult all = ev.generative(answering(p -> " " + right.get(p.text()) + "\nThen 7 more. Question:",
                calls), EvalProgress.NONE);
        assertEquals(1.0, all.figures().get("em.arithmetic-gen"));
        assertEquals(1.0, all.figures().get("em.quiz-gen"));
        assertTrue(calls.stream().allMatch(SamplingConfig::isGreedy));
        assertEquals(HeldOutEvaluator.GENERATIVE_MAX_NEW_TOKENS, calls.get(0).maxNewTokens());
        assertEquals(3, calls.size()); // 48 items in batches of 16
        GenerativeResult none = ev.generative(answering(p -> " a band\n", new ArrayList<>()), EvalProgress.NONE);
        assertEquals(0.0, none.macroExactMatch());
    }

    @Test
    void withoutGenerativeItemsThereIsNoGenerativeEvaluation() {
        HeldOutEvaluator ev = HeldOutEvaluator.builder(SUITE, List.of())
                .optGenerativeItems(List.<GenerativeItem>of()).build();
        assertThrows(IllegalStateException.class,
                () -> ev.generative(answering(p -> "", new ArrayList<>()), EvalProgress.NONE));
    }
}
