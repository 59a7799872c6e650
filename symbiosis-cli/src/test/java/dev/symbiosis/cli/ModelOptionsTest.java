package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.tokenizer.BpeTrainer;
import dev.symbiosis.djl.tokenizer.BpeVocabulary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --model DIR|ID}, {@code --revision}, {@code --allow-download} and the {@code merge} command. */
class ModelOptionsTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = SymbiosisCli.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpOfEveryModelCommandNamesTheFamiliesAndTheHubOptions() {
        for (String cmd : List.of("score", "generate", "eval-generative", "merge")) {
            String help = SymbiosisCli.commandLine().getSubcommands().get(cmd).getUsageMessage(
                    CommandLine.Help.Ansi.OFF);
            for (String s : List.of("GPT-2", "GPT-NeoX", "Llama", "--revision", "--allow-download", "Hugging Face")) {
                assertTrue(help.contains(s), cmd + " help lacks " + s + ":\n" + help);
            }
            assertFalse(help.contains("a GPT-2 checkpoint"), help);
        }
    }

    @Test
    void mergeWritesAPlainCheckpointThatScoresAsTheAdapterCheckpoint() throws Exception {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            corpus.add("the cat sat on the mat number " + i);
        }
        Path tok = tmp.resolve("tokenizer-src.json");
        BpeVocabulary v = new BpeTrainer(300).trainAndWrite(corpus, tok);
        Path base = tmp.resolve("base");
        DjlLanguageModel.initialize(base, Gpt2Config.of(v.size(), 32, 16, 1, 2, v.specialId(BpeTrainer.END_OF_TEXT)),
                tok, 3);
        Path ckpt = tmp.resolve("lora");
        try (DjlLanguageModel m = DjlLanguageModel.builder(base).optLora(LoraConfig.of(2, 4)).build()) {
            // the values of merging are checked in symbiosis-djl (HfRoundTripTest); here the command wiring
            m.save(ckpt); // a checkpoint with adapter_config.json and adapter_model.safetensors
        }
        Path merged = tmp.resolve("merged");
        Run r = run("merge", "--model", ckpt.toString(), "--out", merged.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(merged.resolve("adapter_config.json")));
        Run a = run("score", "--model", ckpt.toString(), "--text", "the cat sat", "--json");
        Run b = run("score", "--model", merged.toString(), "--text", "the cat sat", "--json");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
    }

    @Test
    void hubIdsWithoutOptInNeverDownloadAndRevisionNeedsAnId() throws Exception {
        Run r = run("score", "--model", "example-org/not-in-any-cache-" + System.nanoTime(), "--text", "x");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not in the hub cache") && r.err().contains("--allow-download"), r.err());
        Run rev = run("score", "--model", tmp.toString(), "--revision", "main", "--text", "x");
        assertEquals(1, rev.code());
        assertTrue(rev.err().contains("--revision"), rev.err());
    }
}
