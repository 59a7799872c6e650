package dev.symbiosis.core.strategy;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generative Data Symbiosis (proposal, Section 3.1): each iteration
 * <ol>
 *   <li>Step A: the Generator writes the Student's training data from topic prompts, and (share
 *       {@link dev.symbiosis.core.loop.LoopConfig#teachingShare()}) from the last iteration's teaching prompts, so
 *       that what the Student found hard is re-taught directly;</li>
 *   <li>Step B: the loop trains the Student on it;</li>
 *   <li>Step C: the miner finds the Student's hard examples in a sample of the unlabeled pool;</li>
 *   <li>Step D: the curriculum turns them into teaching prompts, the Generator answers them, and is fine-tuned on
 *       its answers (loss on the completion only).</li>
 * </ol>
 * Options switch Step D off (the Generator stays frozen: the LLM2LLM-style teacher) for ablations.
 */
public final class SymbiosisStrategy implements Strategy {

    private final String name;
    private final boolean fineTuneGenerator;
    private List<Prompt> lastTeachingPrompts = List.of();

    private SymbiosisStrategy(String name, boolean fineTuneGenerator) {
        this.name = name;
        this.fineTuneGenerator = fineTuneGenerator;
    }

    /** The full method: Steps A-D. */
    public static SymbiosisStrategy create() {
        return new SymbiosisStrategy("symbiosis", true);
    }

    /** Ablation: Steps A-C and teaching prompts, but the Generator is never fine-tuned (no Step D training). */
    public static SymbiosisStrategy frozenGenerator() {
        return new SymbiosisStrategy("symbiosis-frozen-generator", false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean evolvesGenerator() {
        return fineTuneGenerator;
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        double share = lastTeachingPrompts.isEmpty() ? 0 : ctx.config().teachingShare();
        IterationContext.PromptSource topics = ctx.topicPrompts("step-a");
        List<Prompt> teaching = lastTeachingPrompts;
        IterationContext.PromptSource source = (round, count) -> {
            int nTeach = (int) Math.round(count * share);
            List<Prompt> out = new ArrayList<>(count);
            SplittableRandom rnd = new SplittableRandom(ctx.seed("step-a/teaching#" + round));
            for (int i = 0; i < nTeach; i++) {
                out.add(teaching.get(rnd.nextInt(teaching.size())));
            }
            out.addAll(topics.prompts(round, count - nTeach));
            return out;
        };
        IterationContext.Synthesized s = ctx.synthesize(ctx.generator(), source, ctx.config().tokenBudget(), 1.0,
                "step-a generate");
        return new IterationData(s.texts(), s.samples(), false);
    }

    @Override
    public void afterTraining(IterationContext ctx, IterationData data) {
        Feedback feedback = ctx.miner().mine(ctx.student(), ctx.poolSample(), ctx.iteration());
        data.setFeedback(feedback);
        List<Prompt> teaching = ctx.curriculum().teachingPrompts(ctx.iteration(), feedback);
        lastTeachingPrompts = List.copyOf(teaching);
        if (!fineTuneGenerator || teaching.isEmpty()) {
            return;
        }
        LanguageModel g = ctx.generator();
        List<Sample> material = ctx.generate(g, teaching, "step-d teach");
        List<PromptCompletion> pairs = new ArrayList<>();
        for (Sample s : material) {
            if (!s.completion().isBlank()) {
                pairs.add(new PromptCompletion(s.prompt().text(), s.completion()));
            }
        }
        ctx.step("step-d fine-tune generator").progress(0, 1);
        data.setGeneratorTraining(g.fineTune(pairs));
        ctx.step("step-d fine-tune generator").progress(1, 1);
    }

    @Override
    public void saveState(Path dir) throws IOException {
        TextsFile.writePrompts(dir.resolve("teaching-prompts.jsonl"), lastTeachingPrompts);
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        Path f = dir.resolve("teaching-prompts.jsonl");
        lastTeachingPrompts = Files.exists(f) ? TextsFile.readPrompts(f) : List.of();
    }
}
