package dev.symbiosis.core.loop;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import java.util.List;
import java.util.Objects;

/**
 * What a strategy produced in one iteration: the Student's training texts, the synthetic samples behind them (the
 * iteration's synthetic data set; empty for real-data strategies), and what Steps C and D did.
 */
public final class IterationData {

    private final List<TrainingText> trainingTexts;
    private final List<Sample> synthetic;
    private final boolean realStreamReused;
    private Feedback feedback;
    private TrainingReport generatorTraining;

    public IterationData(List<TrainingText> trainingTexts, List<Sample> synthetic, boolean realStreamReused) {
        this.trainingTexts = List.copyOf(trainingTexts);
        this.synthetic = List.copyOf(synthetic);
        this.realStreamReused = realStreamReused;
    }

    public List<TrainingText> trainingTexts() {
        return trainingTexts;
    }

    public List<Sample> synthetic() {
        return synthetic;
    }

    public boolean realStreamReused() {
        return realStreamReused;
    }

    /** Step C's result, or {@code null} if the strategy mines no feedback. */
    public Feedback feedback() {
        return feedback;
    }

    public void setFeedback(Feedback feedback) {
        this.feedback = Objects.requireNonNull(feedback);
    }

    /** Step D's fine-tuning report, or {@code null} if the generator did not learn. */
    public TrainingReport generatorTraining() {
        return generatorTraining;
    }

    public void setGeneratorTraining(TrainingReport report) {
        this.generatorTraining = Objects.requireNonNull(report);
    }
}
