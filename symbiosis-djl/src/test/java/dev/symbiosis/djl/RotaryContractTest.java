package dev.symbiosis.djl;

import dev.symbiosis.testkit.GeneratorContract;
import dev.symbiosis.testkit.StudentContract;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Core's Student and Generator contracts on a tiny Llama with a LoRA adapter and a tiny GPT-NeoX fully trained. */
class RotaryContractTest {

    private static DjlLanguageModel llama;
    private static DjlLanguageModel neox;

    static synchronized DjlLanguageModel model(boolean isLlama) {
        try {
            if (isLlama && llama == null) {
                ModelConfig c = RotaryCheckpoints.llama(false);
                Path dir = RotaryCheckpoints.write(Files.createTempDirectory("llama-contract"), c,
                        RotaryCheckpoints.randomTensors(c, 31));
                llama = DjlLanguageModel.builder(dir).optLora(LoraConfig.of(4, 8))
                        .optTrainer(new TrainerConfig(5e-3, 0, 0.0, 4, 1, 1.0, 6L)).build();
            }
            if (!isLlama && neox == null) {
                ModelConfig c = RotaryCheckpoints.neox(true);
                Path dir = RotaryCheckpoints.write(Files.createTempDirectory("neox-contract"), c,
                        RotaryCheckpoints.randomTensors(c, 32));
                neox = DjlLanguageModel.builder(dir).optTrainer(new TrainerConfig(2e-3, 0, 0.0, 4, 1, 1.0, 5L))
                        .build();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return isLlama ? llama : neox;
    }

    static class LlamaLora implements StudentContract, GeneratorContract {
        @Override
        public Student student() {
            return model(true);
        }

        @Override
        public Generator generator() {
            return model(true);
        }
    }

    static class GptNeoxFull implements StudentContract, GeneratorContract {
        @Override
        public Student student() {
            return model(false);
        }

        @Override
        public Generator generator() {
            return model(false);
        }
    }
}
