package dev.symbiosis.cli;

import dev.symbiosis.djl.DjlLanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code merge}: folds a checkpoint's LoRA adapter into its base weights and writes a plain checkpoint of the same
 * family, for a Python side without PEFT ({@code AutoModelForCausalLM.from_pretrained(out)}).
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Fold a LoRA checkpoint's adapter into its base weights (" + ModelOptions.FAMILIES
                + "): a plain checkpoint that transformers loads without PEFT.")
public final class MergeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write the merged checkpoint to")
    Path out;

    @Override
    public Integer call() throws Exception {
        OfflineDefaults.apply();
        try {
            DjlLanguageModel.merge(model.source(), out);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("merge: " + e.getMessage());
            return 1;
        }
        System.out.println("merged checkpoint written to " + out);
        return 0;
    }
}
