package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
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
 * Properties every {@link Generator} must have. Implement this interface in a test class of your implementation
 * and return it from {@link #generator()}:
 *
 * <pre>{@code
 * class MyGeneratorContractTest implements GeneratorContract {
 *     private static final MyModel MODEL = MyModel.load(Path.of("src/test/resources/tiny-model"));
 *
 *     @Override
 *     public Generator generator() {
 *         return MODEL;
 *     }
 * }
 * }</pre>
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #oneSamplePerPromptWithinTheTokenBudget}: lost or reordered samples; a sampler that overruns the
 *       budget.</li>
 *   <li>{@link #theSameSeedGivesTheSameSamples}: a sampler drawing from an unseeded or shared random
 *       source.</li>
 *   <li>{@link #greedyDecodingIgnoresTheSeed}: greedy decoding that still samples.</li>
 *   <li>{@link #fineTuningTeachesTheCompletionAndRestoreUndoesIt}: a fine-tune that learns nothing (checked when
 *       the Generator is also a {@link Student}, i.e. a {@link dev.symbiosis.core.model.LanguageModel}); a
 *       checkpoint that misses part of the state.</li>
 *   <li>{@link #emptyInputChangesNothing}: the wrong behaviour on empty input.</li>
 * </ul>
 *
 * <p>The Generator is shared across tries: {@link #generator()} should return the same instance each time (build
 * an expensive model once, e.g. in a static field); the property that fine-tunes saves the state into a temporary
 * directory first and restores it after, also when it fails. Override {@link #contractPrompts()} if your model
 * needs other prompts; see {@link Contract#triesFactor()} for the number of tries.
 */
public interface GeneratorContract extends Contract {

    /** The Generator under test. */
    Generator generator();

    /** Prompts the Generator can continue. Default: 1 to 30 lower-case letters, spaces and full stops. */
    @Provide
    default Arbitrary<Prompt> contractPrompts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop.").ofMinLength(1).ofMaxLength(30)
                .map(t -> new Prompt(t, Provenance.of("contract")));
    }

    /**
     * For 1 to 4 prompts and a budget of 1 to 12 new tokens: one sample per prompt, in order, whose prompt is that
     * prompt, with at most the budget of new tokens.
     */
    @Property(tries = 8)
    @ScaledTries
    default void oneSamplePerPromptWithinTheTokenBudget(
            @ForAll @Size(min = 1, max = 4) List<@From("contractPrompts") Prompt> prompts,
            @ForAll @IntRange(min = 1, max = 12) int maxNewTokens,
            @ForAll long seed) {
        SamplingConfig cfg = SamplingConfig.defaults().withMaxNewTokens(maxNewTokens).withSeed(seed);
        List<Sample> samples = generator().generate(prompts, cfg);
        assertEquals(prompts.size(), samples.size(), "one sample per prompt");
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals(prompts.get(i), samples.get(i).prompt(), "sample " + i + " must continue prompt " + i);
            assertTrue(samples.get(i).newTokens() <= maxNewTokens,
                    samples.get(i).newTokens() + " new tokens exceed the budget of " + maxNewTokens);
        }
    }

    /**
     * Two calls with the same seed, top-k 20 sampling and the same prompts give the same completions.
     */
    @Property(tries = 6)
    @ScaledTries
    default void theSameSeedGivesTheSameSamples(
            @ForAll @Size(min = 1, max = 3) List<@From("contractPrompts") Prompt> prompts, @ForAll long seed) {
        SamplingConfig cfg = SamplingConfig.defaults().withMaxNewTokens(10).withSeed(seed).withTopK(20);
        assertEquals(completions(generator().generate(prompts, cfg)),
                completions(generator().generate(prompts, cfg)), "the same seed must give the same samples");
    }

    /**
     * Greedy decoding gives the same completion with seed 0 and with any other seed.
     */
    @Property(tries = 4)
    @ScaledTries
    default void greedyDecodingIgnoresTheSeed(@ForAll("contractPrompts") Prompt prompt, @ForAll long seed) {
        List<Sample> a = generator().generate(List.of(prompt), SamplingConfig.greedy(8));
        List<Sample> b = generator().generate(List.of(prompt), SamplingConfig.greedy(8).withSeed(seed));
        assertEquals(completions(a), completions(b), "greedy decoding must not depend on the seed");
    }

    /**
     * After save, fine-tuning on eight copies of one (prompt, completion) pair takes steps with a finite loss and, when
     * the Generator is also a Student, raises the summed log-prob of the completion's tokens after the prompt; restore
     * (run also when an assertion fails) brings back the greedy completion of the prompt from before. A Generator that
     * cannot score is checked for the report and the restore only.
     */
    @Property(tries = 2)
    @ScaledTries
    default void fineTuningTeachesTheCompletionAndRestoreUndoesIt(@ForAll("contractPrompts") Prompt prompt)
            throws IOException {
        Generator g = generator();
        String completion = " zz qq zz qq zz qq";
        SamplingConfig greedy = SamplingConfig.greedy(12);
        List<String> before = completions(g.generate(List.of(prompt), greedy));
        double likelihoodBefore = completionLogProb(g, prompt.text(), completion);
        Path dir = Files.createTempDirectory("generator-contract");
        try {
            g.save(dir);
            double likelihoodAfter;
            try {
                TrainingReport report = g.fineTune(Collections.nCopies(8,
                        new PromptCompletion(prompt.text(), completion)));
                assertTrue(report.steps() > 0, "fine-tuning on pairs must take steps");
                assertTrue(Double.isFinite(report.finalLoss()), "fine-tuning loss must be finite");
                likelihoodAfter = completionLogProb(g, prompt.text(), completion);
            } finally {
                g.restore(dir);
            }
            if (g instanceof Student) {
                assertTrue(likelihoodAfter > likelihoodBefore, "fine-tuning on a pair must make its completion"
                        + " more likely after the prompt: " + likelihoodBefore + " -> " + likelihoodAfter);
            }
            assertEquals(before, completions(g.generate(List.of(prompt), greedy)),
                    "restore must bring back the saved state");
        } finally {
            ContractFiles.deleteRecursively(dir);
        }
    }

    /**
     * An empty prompt list gives no samples; fine-tuning on an empty list returns {@link TrainingReport#empty()}.
     */
    @Property(tries = 1)
    @ScaledTries
    default void emptyInputChangesNothing() {
        assertEquals(List.of(), generator().generate(List.of(), SamplingConfig.defaults()), "no prompts, no samples");
        assertEquals(TrainingReport.empty(), generator().fineTune(List.of()), "fine-tuning on nothing");
    }

    /** The summed log-likelihood of the completion's tokens after the prompt, or NaN if g cannot score. */
    private static double completionLogProb(Generator g, String prompt, String completion) {
        if (!(g instanceof Student s)) {
            return Double.NaN;
        }
        return s.score(List.of(prompt + completion)).get(0).sumLogProbFrom(prompt.length());
    }

    private static List<String> completions(List<Sample> samples) {
        return samples.stream().map(Sample::completion).toList();
    }
}
