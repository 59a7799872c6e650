package dev.symbiosis.examples;

import dev.symbiosis.assets.EmbeddedAssets;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.DjlLanguageModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a Hugging Face checkpoint folder (config.json, model.safetensors, tokenizer.json; GPT-2, GPT-NeoX or Llama)
 * and generates: {@code OpenCheckpoint [FOLDER] [PROMPT...]}. Without a folder it opens the embedded Generator 0,
 * which is such a checkpoint. Nothing is downloaded: the folder must be on disk.
 */
public final class OpenCheckpoint {

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path folder = args.length > 0 ? Path.of(args[0]) : EmbeddedAssets.open().model("generator-0");
        List<String> prompts = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("The question of liberty", "In the matter of the law,");
        try (DjlLanguageModel model = DjlLanguageModel.load(folder)) {
            SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(40).withSeed(42);
            List<Sample> out = model.generate(prompts.stream()
                    .map(p -> new Prompt(p, Provenance.of("example"))).toList(), sampling);
            for (Sample s : out) {
                System.out.println(s.fullText().replace('\n', ' '));
            }
        }
    }
}
