package dev.symbiosis.djl;

import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.testkit.FeedbackMinerContract;
import dev.symbiosis.testkit.GeneratorContract;
import dev.symbiosis.testkit.GradientHintsContract;
import dev.symbiosis.testkit.ParameterGradientsContract;
import dev.symbiosis.testkit.PreferenceTrainingContract;
import dev.symbiosis.testkit.StudentContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The testkit's Student, Generator, GradientHints, ParameterGradients and PreferenceTraining contracts on a tiny
 * full-fine-tuning model, and the miner contract of {@link UncertaintyFeedbackMiner} (with gradient hints) on it as
 * the Student.
 */
class DjlContractTest implements StudentContract, GeneratorContract, GradientHintsContract, FeedbackMinerContract,
        ParameterGradientsContract, PreferenceTrainingContract {

    private static final TrainerConfig TRAINER = new TrainerConfig(2e-3, 0, 0.0, 4, 1, 1.0, 5L);
    private static DjlLanguageModel model;
    private static Path checkpoint;

    static synchronized Path checkpoint() {
        if (checkpoint == null) {
            try {
                checkpoint = TinyModels.checkpoint(Files.createTempDirectory("djl-contract"),
                        TinyModels.config(32, 32, 2, 4), 21);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return checkpoint;
    }

    static synchronized DjlLanguageModel shared() {
        if (model == null) {
            model = fresh();
        }
        return model;
    }

    private static DjlLanguageModel fresh() {
        try {
            return DjlLanguageModel.builder(checkpoint()).optTrainer(TRAINER).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Student gradientStudent() {
        return shared();
    }

    @Override
    public LanguageModel freshPreferenceModel() {
        return fresh();
    }

    @Override
    public Student student() {
        return shared();
    }

    @Override
    public Generator generator() {
        return shared();
    }

    @Override
    public Student hintingStudent() {
        return shared();
    }

    @Override
    public FeedbackMiner miner() {
        return UncertaintyFeedbackMiner.builder().optTopK(3).optWindowChars(60).optGradientHints(2, 2).build();
    }

    @Override
    public OptionalInt maxHardExamples() {
        return OptionalInt.of(3);
    }
}
