package dev.symbiosis.djl;

import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.testkit.GeneratorContract;
import dev.symbiosis.testkit.GradientHintsContract;
import dev.symbiosis.testkit.ParameterGradientsContract;
import dev.symbiosis.testkit.StudentContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The testkit's Student, Generator, GradientHints and ParameterGradients contracts on a tiny model trained through a
 * LoRA adapter (the hints' gradient then passes through the adapter; the parameter gradients are the adapter's).
 */
class DjlLoraContractTest implements StudentContract, GeneratorContract, GradientHintsContract,
        ParameterGradientsContract {

    private static DjlLanguageModel model;

    static synchronized DjlLanguageModel shared() {
        if (model == null) {
            try {
                Path dir = TinyModels.checkpoint(Files.createTempDirectory("djl-lora-contract"),
                        TinyModels.config(32, 32, 2, 4), 22);
                model = DjlLanguageModel.builder(dir).optLora(LoraConfig.of(4, 8))
                        .optTrainer(new TrainerConfig(5e-3, 0, 0.0, 4, 1, 1.0, 6L)).build();
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

    @Override
    public Student gradientStudent() {
        return shared();
    }
}
