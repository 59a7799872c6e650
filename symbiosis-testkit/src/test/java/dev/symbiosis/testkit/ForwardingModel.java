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
import java.util.List;

/**
 * A model that forwards every call to a fresh {@link CharBigramModel} (which passes every contract); each broken
 * implementation of the kit's tests overrides the one method it gets wrong.
 */
class ForwardingModel implements LanguageModel, GradientHints {

    final CharBigramModel delegate = CharBigramModel.trainedOn("forwarded",
            List.of("the quick brown fox jumps over the lazy dog.", "a bad cab in a dark park."));

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
