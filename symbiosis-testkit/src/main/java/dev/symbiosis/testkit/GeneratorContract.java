package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties every {@link Generator} must have. Implement this interface in a test class of your implementation;
 * override {@link #contractPrompts()} if your model needs other prompts. The Generator may be shared across tries:
 * properties that fine-tune restore the saved state after.
 */
public interface GeneratorContract {

    /** The Generator under test. */
    Generator generator();

    @Provide
    default Arbitrary<Prompt> contractPrompts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(1).ofMaxLength(30)
                .map(t -> new Prompt(t, Provenance.of("contract")));
    }

    @Property(tries = 8)
    default void oneSamplePerPromptWithinTheTokenBudget(
            @ForAll @Size(min = 1, max = 4) List<@From("contractPrompts") Prompt> prompts,
            @ForAll @IntRange(min = 1, max = 12) int maxNewTokens,
            @ForAll long seed) {
        SamplingConfig cfg = SamplingConfig.defaults().withMaxNewTokens(maxNewTokens).withSeed(seed);
        List<Sample> samples = generator().generate(prompts, cfg);
        assertEquals(prompts.size(), samples.size());
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals(prompts.get(i), samples.get(i).prompt());
            assertTrue(samples.get(i).newTokens() <= maxNewTokens);
        }
    }

    @Property(tries = 6)
    default void theSameSeedGivesTheSameSamples(
            @ForAll @Size(min = 1, max = 3) List<@From("contractPrompts") Prompt> prompts, @ForAll long seed) {
        SamplingConfig cfg = SamplingConfig.defaults().withMaxNewTokens(10).withSeed(seed).withTopK(20);
        assertEquals(completions(generator().generate(prompts, cfg)),
                completions(generator().generate(prompts, cfg)));
    }

    @Property(tries = 4)
    default void greedyDecodingIgnoresTheSeed(@ForAll("contractPrompts") Prompt prompt, @ForAll long seed) {
        List<Sample> a = generator().generate(List.of(prompt), SamplingConfig.greedy(8));
        List<Sample> b = generator().generate(List.of(prompt), SamplingConfig.greedy(8).withSeed(seed));
        assertEquals(completions(a), completions(b));
    }

    @Property(tries = 2)
    default void fineTuningChangesTheModelAndRestoreUndoesIt(@ForAll("contractPrompts") Prompt prompt)
            throws IOException {
        Generator g = generator();
        SamplingConfig greedy = SamplingConfig.greedy(12);
        List<String> before = completions(g.generate(List.of(prompt), greedy));
        Path dir = Files.createTempDirectory("generator-contract");
        try {
            g.save(dir);
            List<PromptCompletion> pairs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pairs.add(new PromptCompletion(prompt.text(), " zz qq zz qq zz qq"));
            }
            TrainingReport report = g.fineTune(pairs);
            assertTrue(report.steps() > 0);
            assertTrue(Double.isFinite(report.finalLoss()));
            g.restore(dir);
            assertEquals(before, completions(g.generate(List.of(prompt), greedy)),
                    "restore must bring back the saved state");
        } finally {
            StudentContract.deleteRecursively(dir);
        }
    }

    @Property(tries = 1)
    default void emptyInputChangesNothing() {
        assertTrue(generator().generate(List.of(), SamplingConfig.defaults()).isEmpty());
        assertEquals(TrainingReport.empty(), generator().fineTune(List.of()));
    }

    private static List<String> completions(List<Sample> samples) {
        return samples.stream().map(Sample::completion).toList();
    }
}
