package dev.symbiosis.djl;

import dev.symbiosis.testkit.GeneratorContract;
import dev.symbiosis.testkit.GradientHintsContract;
import dev.symbiosis.testkit.StudentContract;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.djl.model.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Core's Student, Generator and GradientHints contracts on a tiny full-fine-tuning model. */
class DjlContractTest implements StudentContract, GeneratorContract, GradientHintsContract {

    private static DjlLanguageModel model;

    static synchronized DjlLanguageModel shared() {
        if (model == null) {
            try {
                Path dir = TinyModels.checkpoint(Files.createTempDirectory("djl-contract"),
                        TinyModels.config(32, 32, 2, 4), 21);
                model = DjlLanguageModel.builder(dir)
                        .optTrainer(new TrainerConfig(2e-3, 0, 0.0, 4, 1, 1.0, 5L)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
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
}
