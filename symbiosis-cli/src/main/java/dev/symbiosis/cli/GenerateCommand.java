package dev.symbiosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.DjlLanguageModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code generate}: samples continuations of a prompt from a checkpoint (GPT-2, GPT-NeoX, Llama) (KV cache, seeded: the same seed and
 * checkpoint give the same text on CPU). Prints prompt + completion, one sample per paragraph, or with
 * {@code --json} one JSON object per line {@code {"prompt", "completion", "new_tokens", "seed"}}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample continuations of a prompt from a " + ModelOptions.FAMILIES + " checkpoint.")
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--prompt", defaultValue = "", description = "text to continue (default: empty, unconditional)")
    String prompt;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "softmax temperature >= 0; 0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the k most likely tokens; 0 = off"
            + " (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus mass in (0, 1]; 1 = off"
            + " (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0",
            description = "CTRL penalty >= 1 on tokens already present; 1 = off (default: ${DEFAULT-VALUE})")
    double repetitionPenalty;

    @Option(names = "--max-new-tokens", defaultValue = "64",
            description = "tokens to generate at most (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--seed", defaultValue = "0", description = "sampler seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-n", "--num-samples"}, defaultValue = "1",
            description = "samples to draw, with seeds seed, seed+1, ... (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--json", description = "one JSON object per sample and line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        OfflineDefaults.apply();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (samples < 1) {
            System.err.println("generate: --num-samples must be >= 1");
            return 2;
        }
        SamplingConfig base;
        try {
            base = new SamplingConfig(temperature, topK, topP, repetitionPenalty, maxNewTokens, seed);
        } catch (IllegalArgumentException e) {
            System.err.println("generate: " + e.getMessage());
            return 2;
        }
        try (DjlLanguageModel lm = DjlLanguageModel.load(model.source())) {
            ObjectMapper mapper = new ObjectMapper();
            Prompt p = new Prompt(prompt, Provenance.of("cli"));
            for (int i = 0; i < samples; i++) {
                SamplingConfig cfg = base.withSeed(seed + i);
                Sample s = lm.generate(new ArrayList<>(List.of(p)), cfg).get(0);
                if (json) {
                    out.println(mapper.writeValueAsString(mapper.createObjectNode().put("prompt", prompt)
                            .put("completion", s.completion()).put("new_tokens", s.newTokens())
                            .put("seed", cfg.seed())));
                } else {
                    if (i > 0) {
                        out.println();
                    }
                    out.println(s.fullText());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("generate: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
