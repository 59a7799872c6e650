package dev.symbiosis.core.loop;

import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * A view of a model that counts its scoring, saliency and training in a {@link ComputeMeter} under one role, then
 * delegates. Generation is not counted here: {@link IterationContext#generate} counts it, also for rows the cache
 * serves. {@link #of} keeps {@link GradientHints} and {@link ParameterGradients} visible when the model has them. Closing the view does nothing
 * (the loop owns the model). Not final: the Generator's view in {@link IterationContext} extends it to tell its slot
 * when the model changes. Not thread-safe.
 */
@NullMarked
class MeteredModel implements LanguageModel {

    private final LanguageModel model;
    private final Supplier<@Nullable ComputeMeter> meter;
    private final String role;

    /**
     * @param meter the meter to count in, asked at every call (null: count nothing)
     */
    MeteredModel(LanguageModel model, Supplier<@Nullable ComputeMeter> meter, String role) {
        this.model = model;
        this.meter = meter;
        this.role = role;
    }

    /**
     * The view, implementing {@link GradientHints} exactly when {@code model} does, and {@link ParameterGradients}
     * exactly when {@code model} does.
     */
    static LanguageModel of(LanguageModel model, ComputeMeter meter, String role) {
        boolean hints = model instanceof GradientHints;
        boolean gradients = model instanceof ParameterGradients;
        if (hints && gradients) {
            return new WithHintsAndGradients(model, () -> meter, role);
        }
        if (gradients) {
            return new WithGradients(model, () -> meter, role);
        }
        return hints ? new WithHints(model, () -> meter, role) : new MeteredModel(model, () -> meter, role);
    }

    /**
     * {@link ParameterGradients#gradientCosines} of {@code model}, counted as it is computed: one forward and one
     * backward pass over the target and over every candidate.
     */
    static double[] gradientCosines(LanguageModel model, @Nullable ComputeMeter meter, String role, String target,
            List<String> candidates) {
        if (candidates.isEmpty()) {
            return ((ParameterGradients) model).gradientCosines(target, candidates);
        }
        List<String> all = new java.util.ArrayList<>(candidates.size() + 1);
        all.add(target);
        all.addAll(candidates);
        scored(model, all, meter, role, true);
        return ((ParameterGradients) model).gradientCosines(target, candidates);
    }

    /** Counts a training call's reported tokens once forward and once backward; returns the report. */
    static TrainingReport trained(TrainingReport r, @Nullable ComputeMeter meter, String role) {
        if (meter != null) {
            meter.forward(role, r.tokens());
            meter.backward(role, r.tokens());
        }
        return r;
    }

    /** Counts every token of {@code texts} forward, and backward too when {@code withGradient}. */
    static void scored(LanguageModel model, List<String> texts, @Nullable ComputeMeter meter, String role,
            boolean withGradient) {
        if (meter == null) {
            return;
        }
        long tokens = 0;
        for (String t : texts) {
            tokens += model.countTokens(t);
        }
        meter.forward(role, tokens);
        if (withGradient) {
            meter.backward(role, tokens);
        }
    }

    @Override
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
        return model.generate(prompts, sampling);
    }

    @Override
    public List<Sample> generateSeeded(List<Prompt> prompts, SamplingConfig sampling, long[] rowSeeds) {
        return model.generateSeeded(prompts, sampling, rowSeeds);
    }

    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples) {
        return trained(model.fineTune(examples), meter.get(), role);
    }

    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples, double learningRateScale) {
        return trained(model.fineTune(examples, learningRateScale), meter.get(), role);
    }

    @Override
    public TrainingReport train(List<TrainingText> texts) {
        return trained(model.train(texts), meter.get(), role);
    }

    @Override
    public List<TokenScores> score(List<String> texts) {
        scored(model, texts, meter.get(), role, false);
        return model.score(texts);
    }

    @Override
    public List<SaliencyMap> saliency(List<String> texts) {
        scored(model, texts, meter.get(), role, true);
        return model.saliency(texts);
    }

    @Override
    public int countTokens(String text) {
        return model.countTokens(text);
    }

    @Override
    public int contextLength() {
        return model.contextLength();
    }

    @Override
    public void save(Path dir) throws IOException {
        model.save(dir);
    }

    @Override
    public void restore(Path dir) throws IOException {
        model.restore(dir);
    }

    @Override
    public void close() {}

    /** The view of a model with gradient hints: one forward and backward pass per call, as the engine does it. */
    private static class WithHints extends MeteredModel implements GradientHints {
        private final GradientHints hints;

        WithHints(LanguageModel model, Supplier<@Nullable ComputeMeter> meter, String role) {
            super(model, meter, role);
            this.hints = (GradientHints) model;
        }

        @Override
        public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
            scored(super.model, texts, super.meter.get(), super.role, true);
            return hints.gradientHints(texts, positions, candidates);
        }

        @Override
        public dev.symbiosis.core.model.SaliencyWithHints saliencyWithHints(List<String> texts, int positions,
                int candidates) {
            scored(super.model, texts, super.meter.get(), super.role, true);
            return hints.saliencyWithHints(texts, positions, candidates);
        }
    }

    /** The view of a model with parameter gradients. */
    private static final class WithGradients extends MeteredModel implements ParameterGradients {

        WithGradients(LanguageModel model, Supplier<@Nullable ComputeMeter> meter, String role) {
            super(model, meter, role);
        }

        @Override
        public double[] gradientCosines(String target, List<String> candidates) {
            return MeteredModel.gradientCosines(super.model, super.meter.get(), super.role, target, candidates);
        }
    }

    /** The view of a model with gradient hints and parameter gradients. */
    private static final class WithHintsAndGradients extends WithHints implements ParameterGradients {

        WithHintsAndGradients(LanguageModel model, Supplier<@Nullable ComputeMeter> meter, String role) {
            super(model, meter, role);
        }

        @Override
        public double[] gradientCosines(String target, List<String> candidates) {
            return MeteredModel.gradientCosines(((MeteredModel) this).model, ((MeteredModel) this).meter.get(),
                    ((MeteredModel) this).role, target, candidates);
        }
    }
}
