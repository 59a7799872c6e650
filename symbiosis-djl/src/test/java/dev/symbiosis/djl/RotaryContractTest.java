package dev.symbiosis.djl;

import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.testkit.GeneratorContract;
import dev.symbiosis.testkit.StudentContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Group;

/**
 * The testkit's Student and Generator contracts on a tiny Llama with a LoRA adapter and a tiny GPT-NeoX fully
 * trained. The two are jqwik groups (inner classes), so that selecting this class runs both; static nested
 * classes would be skipped by the build's test selection.
 */
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

    @Group
    class LlamaLora implements StudentContract, GeneratorContract {
        @Override
        public Student student() {
            return model(true);
        }

        @Override
        public Generator generator() {
            return model(true);
        }

        @Override
        public double triesFactor() {
            return 0.5; // DjlContractTest runs the full tries on GPT-2; here the architectures are what is new
        }
    }

    @Group
    class GptNeoxFull implements StudentContract, GeneratorContract {
        @Override
        public Student student() {
            return model(false);
        }

        @Override
        public Generator generator() {
            return model(false);
        }

        @Override
        public double triesFactor() {
            return 0.5; // DjlContractTest runs the full tries on GPT-2; here the architectures are what is new
        }
    }
}
