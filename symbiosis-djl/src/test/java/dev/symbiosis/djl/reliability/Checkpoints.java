package dev.symbiosis.djl.reliability;

import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.tokenizer.BpeTrainer;
import dev.symbiosis.djl.tokenizer.BpeVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Tiny GPT-2 checkpoints for the reliability tests: a BPE tokenizer trained on a few sentences. */
final class Checkpoints {

    private Checkpoints() {}

    static final List<String> TEXTS;

    static {
        List<String> t = new ArrayList<>();
        String[] words = "the cat sat on a mat while the dog ran to the park and a bird sang".split(" ");
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 60; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                sb.append(words[r.nextInt(words.length)]).append(' ');
            }
            t.add(sb.toString().strip() + ".");
        }
        TEXTS = List.copyOf(t);
    }

    /** A checkpoint of a 2-layer GPT-2 (context 32, width 16) with a 300-token vocabulary. */
    static Path tiny(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tok = dir.resolve("tokenizer-source.json");
        BpeVocabulary v = new BpeTrainer(300).train(TEXTS);
        v.write(tok);
        int eos = v.specialId(BpeTrainer.END_OF_TEXT);
        Gpt2Config cfg = new Gpt2Config(v.size(), 32, 16, 2, 2, 1e-5, eos, eos);
        Path model = dir.resolve("model");
        DjlLanguageModel.initialize(model, cfg, tok, 11);
        return model;
    }
}
