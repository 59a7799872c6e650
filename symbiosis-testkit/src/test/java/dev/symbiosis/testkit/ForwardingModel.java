package dev.symbiosis.testkit;

import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.testing.CharBigramModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A model that forwards every call to a fresh {@link CharBigramModel} (which passes every contract); each broken
 * implementation of the kit's tests overrides the one method it gets wrong.
 */
class ForwardingModel implements LanguageModel, GradientHints {

    final CharBigramModel delegate = CharBigramModel.trainedOn("forwarded",
            List.of("the quick brown fox jumps over the lazy dog.", "a bad cab in a dark park."));

    /**
     * A model whose scores are the bigram model's, each rewritten by {@code rewrite(scores, batch size)}.
     */
    static ForwardingModel rescoring(BiFunction<TokenScores, Integer, TokenScores> rewrite) {
        return new ForwardingModel() {
            @Override
            public List<TokenScores> score(List<String> texts) {
                return super.score(texts).stream().map(s -> rewrite.apply(s, texts.size())).toList();
            }
        };
    }

    /** A model whose gradient hints are the bigram model's, each text's rewritten by {@code rewrite(text, hints)}. */
    static ForwardingModel rehinting(BiFunction<String, List<TokenHint>, List<TokenHint>> rewrite) {
        return new ForwardingModel() {
            @Override
            public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
                List<List<TokenHint>> all = super.gradientHints(texts, positions, candidates);
                List<List<TokenHint>> out = new ArrayList<>();
                for (int t = 0; t < texts.size(); t++) {
                    out.add(rewrite.apply(texts.get(t), all.get(t)));
                }
                return out;
            }
        };
    }

    /** A model whose restore forgets to read the checkpoint: training and fine-tuning stay. */
    static ForwardingModel restoringNothing() {
        return new ForwardingModel() {
            @Override
            public void restore(Path dir) {
                // the mistake: the saved state is not read
            }
        };
    }

    /**
     * A contract test class's one model, made by {@link #model()} once per instance (jqwik makes one per property,
     * and the properties call the factory method several times, so it must return the same model).
     */
    abstract static class Holder {
        final ForwardingModel model = model();

        /** The model under test; the unchanged bigram model unless a broken class overrides this. */
        ForwardingModel model() {
            return new ForwardingModel();
        }
    }

    @Override
    public int countTokens(String text) {
        return delegate.countTokens(text);
    }

    @Override
    public List<TokenScores> score(List<String> texts) {
        return delegate.score(texts);
    }

    @Override
    public List<SaliencyMap> saliency(List<String> texts) {
        return delegate.saliency(texts);
    }

    @Override
    public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
        return delegate.gradientHints(texts, positions, candidates);
    }

    @Override
    public TrainingReport train(List<TrainingText> texts) {
        return delegate.train(texts);
    }

    @Override
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
        return delegate.generate(prompts, sampling);
    }

    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples) {
        return delegate.fineTune(examples);
    }

    @Override
    public void save(Path dir) throws IOException {
        delegate.save(dir);
    }

    @Override
    public void restore(Path dir) throws IOException {
        delegate.restore(dir);
    }
}
