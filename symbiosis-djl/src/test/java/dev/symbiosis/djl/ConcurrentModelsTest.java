package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models on different threads are independent (the runner runs (strategy, seed) units concurrently, each with its
 * own models): training (full, and LoRA with dropout, whose masks come from PyTorch's process-wide generator), input
 * saliency and sampling on several threads at once give exactly what they give one after the other; and every
 * thread runs with the process's intra-op thread count ({@code ai.djl.pytorch.num_threads}, 1 in the tests).
 */
class ConcurrentModelsTest {

    @TempDir
    Path tmp;

    private static final Provenance P = Provenance.of("test");

    /** Everything one model computes, as text: scores, saliency and samples after training. */
    private static Callable<String> work(Path dir, LoraConfig lora, String text) {
        return () -> {
            Integer threads = Integer.getInteger("ai.djl.pytorch.num_threads");
            if (threads != null) {
                // PyTorch keeps the intra-op thread count per process and applies it on every thread's first op
                assertEquals(threads, ai.djl.pytorch.jni.JniUtils.getNumThreads(), Thread.currentThread().getName());
            }
            try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optLora(lora)
                    .optTrainer(new TrainerConfig(3e-3, 1, 0.0, 4, 3, 1.0, 5L)).build()) {
                List<TrainingText> texts = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    texts.add(TrainingText.of(text + " " + i, P));
                }
                StringBuilder sb = new StringBuilder();
                sb.append(m.train(texts).finalLoss()).append('\n');
                sb.append(m.score(List.of(text)).get(0).logProbs()).append('\n');
                sb.append(m.saliency(List.of(text)).get(0)).append('\n');
                sb.append(m.generateSeeded(List.of(new Prompt("ab", P), new Prompt(text, P)),
                        SamplingConfig.defaults().withMaxNewTokens(12), new long[] {1, 2}));
                return sb.toString();
            }
        };
    }

    @Test
    void modelsOnTwoThreadsComputeWhatTheyComputeOneAfterTheOther() throws Exception {
        Path gpt2 = TinyModels.checkpoint(tmp.resolve("gpt2"), TinyModels.config(32, 32, 2, 4), 4);
        Path llama = RotaryCheckpoints.write(tmp.resolve("llama"), RotaryCheckpoints.llama(false),
                RotaryCheckpoints.randomTensors(RotaryCheckpoints.llama(false), 6));
        LoraConfig gpt2Dropout = new LoraConfig(4, 8, 0.3, LoraConfig.ALL_TARGETS);
        LoraConfig llamaDropout = new LoraConfig(4, 8, 0.3, LoraConfig.LLAMA_TARGETS);
        List<Callable<String>> jobs = List.of(work(gpt2, null, "the cat sat on the mat"),
                work(gpt2, gpt2Dropout, "a ship sails north"), work(llama, llamaDropout, "the dog ran to the park"),
                work(llama, llamaDropout, "rain fell on the town"));
        List<String> serial = new ArrayList<>();
        for (Callable<String> j : jobs) {
            serial.add(j.call());
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
        try {
            List<Future<String>> running = new ArrayList<>();
            for (Callable<String> j : jobs) {
                running.add(pool.submit(j));
            }
            for (int i = 0; i < jobs.size(); i++) {
                assertEquals(serial.get(i), running.get(i).get(), "job " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
