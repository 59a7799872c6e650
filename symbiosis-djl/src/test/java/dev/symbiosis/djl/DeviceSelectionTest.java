package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device and precision selection. The GPU test runs where DJL's PyTorch engine reports a CUDA device (CUDA natives
 * on the class path or PYTORCH_LIBRARY_PATH, see docs/full-scale.md) and is reported as skipped, with the reason,
 * everywhere else.
 */
class DeviceSelectionTest {

    private static final Provenance P = Provenance.of("test");

    @TempDir
    Path tmp;

    @Test
    void weightsAreHalfPrecisionOnGpuAndSinglePrecisionOnCpu() {
        assertEquals(DataType.FLOAT32, CausalLms.defaultDtype(Device.cpu()));
        assertEquals(DataType.FLOAT16, CausalLms.defaultDtype(Device.gpu()));
        assertEquals(DataType.FLOAT16, CausalLms.defaultDtype(Device.gpu(1)));
    }

    @Test
    void withoutAGpuTheModelLivesOnTheCpu() throws Exception {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        ModelConfig c = RotaryCheckpoints.llama(false);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, RotaryCheckpoints.randomTensors(c, 1));
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            assertEquals(gpus > 0 ? Device.gpu() : Device.cpu(), m.network().manager().getDevice());
        }
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optDevice(Device.cpu()).build()) {
            assertEquals(Device.cpu(), m.network().manager().getDevice());
            assertEquals(DataType.FLOAT32, m.network().trainable().isEmpty() ? DataType.FLOAT32
                    : m.network().trainable().get(0).getDataType());
        }
    }

    @Test
    void onAGpuHalfPrecisionWeightsMatchTheCpuModelAndLoraTrains() throws Exception {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        assumeTrue(gpus > 0, "no GPU: DJL's PyTorch engine reports 0 CUDA devices on this machine (CPU natives);"
                + " run `mvn -Pcuda -pl symbiosis-djl test -Dtest=DeviceSelectionTest` on a CUDA machine");
        ModelConfig c = RotaryCheckpoints.llama(false);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, RotaryCheckpoints.randomTensors(c, 2));
        String text = "abcabcabcabc";
        TokenScores cpu;
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optDevice(Device.cpu()).build()) {
            cpu = m.score(List.of(text)).get(0);
        }
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optDevice(Device.gpu()).optLora(LoraConfig.of(2, 4))
                .optTrainer(new TrainerConfig(1e-2, 0, 0.0, 4, 10, 1.0, 1L)).build()) {
            assertTrue(m.network().manager().getDevice().isGpu());
            assertEquals(DataType.FLOAT32, m.network().trainable().get(0).getDataType(), "adapters stay float32");
            TokenScores gpu = m.score(List.of(text)).get(0);
            for (int i = 0; i < cpu.logProbs().length(); i++) {
                assertEquals(cpu.logProbs().get(i), gpu.logProbs().get(i), 0.05, "token " + i);
            }
            m.train(Collections.nCopies(4, TrainingText.of(text, P)));
            assertTrue(-m.score(List.of(text)).get(0).meanLogProb() < -cpu.meanLogProb());
            assertEquals(1, m.generate(List.of(new Prompt("abc", P)), SamplingConfig.greedy(4)).size());
        }
    }
}
