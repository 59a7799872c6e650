package dev.symbiosis.djl.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every native resource is accounted for: the whole tree of NDManagers under DJL's PyTorch system manager (every
 * base manager, sub-manager and array in the JVM) is counted before and after loops of training, fine-tuning,
 * scoring, saliency, gradient hints, generation and checkpointing, and after models are closed. Nothing may
 * remain: a leak of one array per call would grow native memory over a long run.
 */
class NativeResourcesTest {

    /** Managers and arrays in the tree under the system manager. */
    record Census(int managers, int arrays) {}

    private static final Field RESOURCES;
    private static final Field TEMP_RESOURCES;

    static {
        try {
            RESOURCES = BaseNDManager.class.getDeclaredField("resources");
            RESOURCES.setAccessible(true);
            TEMP_RESOURCES = BaseNDManager.class.getDeclaredField("tempResources");
            TEMP_RESOURCES.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Counts the tree under the system manager (found as the parent of a fresh base manager). */
    static Census census() {
        try (NDManager probe = Engine.getEngine("PyTorch").newBaseManager()) {
            int[] counts = new int[2];
            walk(probe.getParentManager(), counts);
            return new Census(counts[0] - 1, counts[1]); // the probe itself is not counted
        }
    }

    private static void walk(Object node, int[] counts) {
        if (node instanceof NDArray) {
            counts[1]++;
        } else if (node instanceof BaseNDManager m) {
            counts[0]++;
            try {
                for (Object r : ((Map<?, ?>) RESOURCES.get(m)).values()) {
                    walk(r, counts);
                }
                counts[1] += ((Map<?, ?>) TEMP_RESOURCES.get(m)).size();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final Provenance P = Provenance.of("test");
    private static final TrainerConfig FAST = new TrainerConfig(1e-3, 1, 0.0, 4, 1, 1.0, 3L);

    private static void everyOperation(DjlLanguageModel m, Path scratch) throws Exception {
        List<String> texts = List.of(Checkpoints.TEXTS.get(0), Checkpoints.TEXTS.get(1) + " "
                + Checkpoints.TEXTS.get(2) + " " + Checkpoints.TEXTS.get(3)); // the second exceeds the context
        m.score(texts);
        m.saliency(texts);
        m.gradientHints(texts, 2, 3);
        m.generate(List.of(new Prompt("the cat", P), new Prompt("a dog ran to", P)),
                SamplingConfig.defaults().withMaxNewTokens(12).withSeed(1));
        m.generate(List.of(new Prompt("the", P)), SamplingConfig.defaults().withMaxNewTokens(40), false);
        m.train(Checkpoints.TEXTS.subList(0, 6).stream().map(t -> TrainingText.of(t, P)).toList());
        m.fineTune(List.of(new PromptCompletion("the cat", " sat on the mat."),
                new PromptCompletion("a bird", " sang.")));
        m.logits(new int[] {1, 2, 3});
        m.save(scratch);
        m.restore(scratch);
    }

    @Test
    void loopsOfEveryOperationLeaveNoManagerOrArrayBehind(@TempDir Path dir) throws Exception {
        Path model = Checkpoints.tiny(dir.resolve("ck"));
        Census beforeLoad = census();
        for (LoraConfig lora : new LoraConfig[] {LoraConfig.of(2, 4), null}) {
            try (DjlLanguageModel m = DjlLanguageModel.builder(model).optLora(lora).optTrainer(FAST).build()) {
                everyOperation(m, dir.resolve("scratch"));
                Census warm = census();
                for (int i = 0; i < 4; i++) {
                    everyOperation(m, dir.resolve("scratch"));
                }
                assertEquals(warm, census(), "native resources after 4 more rounds (lora " + lora + ")");
                assertTrue(warm.managers() > beforeLoad.managers(), "the census sees the model's managers");
                // the census would see a leak of a single array
                try (NDArray leak = m.network().manager().create(1f)) {
                    assertEquals(warm.arrays() + 1, census().arrays());
                }
            }
            assertEquals(beforeLoad, census(), "after close (lora " + lora + ")");
        }
    }

    @Test
    void loadingAndClosingManyModelsReturnsToTheStart(@TempDir Path dir) throws Exception {
        Path model = Checkpoints.tiny(dir.resolve("ck"));
        Census start = census();
        for (int i = 0; i < 10; i++) {
            try (DjlLanguageModel m = DjlLanguageModel.builder(model).optLora(LoraConfig.of(2, 4)).build()) {
                m.score(List.of("the cat sat"));
            }
        }
        assertEquals(start, census());
    }
}
