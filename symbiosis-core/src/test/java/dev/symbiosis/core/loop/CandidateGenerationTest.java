package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IterationContext#generateCandidates} and best-of-k {@link IterationContext#synthesize}. */
class CandidateGenerationTest {

    /** Runs {@code check} inside prepare() of a one-iteration loop, then trains on a small topic set. */
    private static void inIteration(Path dir, java.util.function.Consumer<IterationContext> check)
            throws IOException {
        Strategy probe = new Strategy() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public IterationData prepare(IterationContext ctx) {
                check.accept(ctx);
                IterationContext.Synthesized s = ctx.synthesize(ctx.generator(), ctx.topicPrompts("t"), 200, 1.0,
                        "t");
                return new IterationData(s.texts(), s.samples(), false);
            }
        };
        TinyLoop.loop(dir, TinyLoop.config(1), TinyLoop.model("s0"), TinyLoop.curriculum()).run(List.of(probe));
    }

    @Test
    void candidateZeroIsTheSingleSampleAndTheOthersDiffer(@TempDir Path dir) throws IOException {
        List<String> failures = new ArrayList<>();
        inIteration(dir, ctx -> {
            List<Prompt> prompts = ctx.topicPrompts("p").prompts(0, 5);
            List<Sample> single = ctx.generate(ctx.generator(), prompts, "step");
            long before = ctx.compute().figures().get("tokens.forward.generator").longValue();
            List<List<Sample>> candidates = ctx.generateCandidates(ctx.generator(), prompts, 3, "step");
            long spent = ctx.compute().figures().get("tokens.forward.generator").longValue() - before;
            long expected = 0;
            for (List<Sample> row : candidates) {
                for (Sample s : row) {
                    expected += ctx.student().countTokens(s.prompt().text()) + s.newTokens();
                }
            }
            if (spent != expected) {
                failures.add("counted " + spent + " generator tokens, expected " + expected);
            }
            if (candidates.size() != prompts.size()) {
                failures.add(candidates.size() + " rows");
            }
            for (int i = 0; i < prompts.size(); i++) {
                List<Sample> row = candidates.get(i);
                if (row.size() != 3 || !row.get(0).completion().equals(single.get(i).completion())) {
                    failures.add("row " + i + ": candidate 0 is not the single sample");
                }
                Set<String> distinct = new HashSet<>();
                row.forEach(s -> distinct.add(s.completion()));
                if (distinct.size() != 3) {
                    failures.add("row " + i + ": candidates repeat");
                }
                for (Sample s : row) {
                    if (s.prompt() != prompts.get(i)) {
                        failures.add("row " + i + ": wrong prompt");
                    }
                }
            }
            if (ctx.candidateSeed("step", 2, 0) != ctx.rowSeed("step", 2)
                    || ctx.candidateSeed("step", 2, 1) == ctx.candidateSeed("step", 2, 2)) {
                failures.add("candidate seeds");
            }
            try {
                ctx.generateCandidates(ctx.generator(), prompts, 0, "step");
                failures.add("k = 0 accepted");
            } catch (IllegalArgumentException expectedError) {
                // refused
            }
        });
        assertEquals(List.of(), failures);
    }

    @Test
    void bestOfKKeepingCandidateZeroIsTheSingleSampleSynthesisAndAnotherChoiceChangesIt(@TempDir Path dir)
            throws IOException {
        List<List<String>> texts = new ArrayList<>();
        List<Long> generated = new ArrayList<>();
        inIteration(dir, ctx -> {
            long at = ctx.compute().figures().getOrDefault("tokens.forward.generator", 0.0).longValue();
            texts.add(ctx.synthesize(ctx.generator(), ctx.topicPrompts("s"), 300, 1.0, "s").texts().stream()
                    .map(TrainingText::text).toList());
            long single = ctx.compute().figures().get("tokens.forward.generator").longValue() - at;
            at += single;
            texts.add(ctx.synthesize(ctx.generator(), ctx.topicPrompts("s"), 300, 1.0, "s", 3,
                    c -> new int[c.size()]).texts().stream().map(TrainingText::text).toList());
            long three = ctx.compute().figures().get("tokens.forward.generator").longValue() - at;
            generated.add(single);
            generated.add(three);
            texts.add(ctx.synthesize(ctx.generator(), ctx.topicPrompts("s"), 300, 1.0, "s", 3, c -> {
                int[] last = new int[c.size()];
                java.util.Arrays.fill(last, 2);
                return last;
            }).texts().stream().map(TrainingText::text).toList());
            assertThrows(IllegalArgumentException.class, () -> ctx.synthesize(ctx.generator(),
                    ctx.topicPrompts("s"), 300, 1.0, "s", 3, c -> new int[] {3}));
        });
        assertEquals(texts.get(0), texts.get(1));
        assertNotEquals(texts.get(0), texts.get(2));
        // three candidates per row cost three samples per row (the same rounds here: the kept rows are the same)
        assertTrue(generated.get(1) > 2 * generated.get(0), generated.toString());
    }
}
