package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.tokenizer.BpeTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {

    @TempDir
    static Path shared;

    static Path corpus;
    static Path tokenizer;

    @BeforeAll
    static void data() throws IOException {
        List<String> paragraphs = new ArrayList<>();
        String[] subjects = {"the cat", "the dog", "a bird", "my friend"};
        String[] verbs = {"sat on", "looked at", "walked to", "slept near"};
        String[] objects = {"the mat.", "the door.", "a tree.", "the house."};
        for (int i = 0; i < 64; i++) {
            paragraphs.add(subjects[i % 4] + " " + verbs[(i / 4) % 4] + " " + objects[(i / 16) % 4]);
        }
        corpus = shared.resolve("toy.txt");
        Files.writeString(corpus, String.join("\n\n", paragraphs) + "\n", StandardCharsets.UTF_8);
        tokenizer = shared.resolve("tokenizer.json");
        new BpeTrainer(300).trainAndWrite(paragraphs, tokenizer);
    }

    private static Pretrainer tiny(Path out, int steps) {
        return Pretrainer.builder(List.of(corpus), tokenizer, out).optDModel(32).optLayers(2).optHeads(2)
                .optContext(32).optSteps(steps).optBatch(8).optLearningRate(3e-3).optWarmup(5).optSeed(7)
                .optCheckpointEvery(10);
    }

    @Test
    void learnsTheToyLanguageWritesALogAndALoadableCheckpoint(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("lm");
        List<Double> losses = new ArrayList<>();
        Pretrainer.Result r = tiny(out, 80).optListener((s, t, loss, lr, tps) -> losses.add(loss)).run();
        assertEquals(80, r.steps());
        assertEquals(80, losses.size());
        double first = losses.get(0);
        double last = (losses.get(77) + losses.get(78) + losses.get(79)) / 3;
        assertTrue(first > 4.5, "a fresh model is near uniform over ~300 ids (ln 300 = 5.7): " + first);
        assertTrue(last < 2.0, "the toy language must be learnt (entropy floor ~0.5): loss " + first + " -> " + last);

        List<String> log = Files.readAllLines(out.resolve(Pretrainer.LOG_FILE));
        assertEquals(80, log.size());
        JsonNode line = new ObjectMapper().readTree(log.get(79));
        assertEquals(80, line.get("step").asInt());
        assertTrue(line.get("lr").asDouble() > 0 && Double.isFinite(line.get("loss").asDouble()));
        // transformers' AutoTokenizer needs tokenizer_config.json: the context and a declared pad token
        JsonNode tc = new ObjectMapper().readTree(out.resolve("tokenizer_config.json").toFile());
        assertEquals(new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("n_positions").asInt(),
                tc.get("model_max_length").asInt());
        assertEquals("<|pad|>", tc.get("pad_token").asText()); // BpeTrainer adds a pad token
        assertEquals("<|endoftext|>", new ObjectMapper().readTree(out.resolve("special_tokens_map.json").toFile())
                .get("eos_token").asText());

        try (DjlLanguageModel lm = DjlLanguageModel.load(out)) {
            TokenScores s = lm.score(List.of("the cat sat on the mat.")).get(0);
            assertTrue(s.meanLogProb() > -2.0, "the trained checkpoint scores a training sentence well: "
                    + s.meanLogProb());
        }
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight");
        tiny(straight, 20).run();

        Path resumed = dir.resolve("resumed");
        RuntimeException stop = new RuntimeException("simulated crash");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> tiny(resumed, 20)
                .optListener((s, t, loss, lr, tps) -> {
                    if (s == 13) {
                        throw stop;
                    }
                }).run());
        assertEquals(stop, thrown);
        JsonNode state = new ObjectMapper().readTree(resumed.resolve(Pretrainer.STATE_FILE).toFile());
        assertEquals(10, state.get("step").asInt(), "the last checkpoint before the crash is at step 10");

        Pretrainer.Result r = tiny(resumed, 20).run();
        assertEquals(10, r.resumedFrom());
        Map<String, Tensor> a = SafeTensors.read(straight.resolve("model.safetensors")).tensors();
        Map<String, Tensor> b = SafeTensors.read(resumed.resolve("model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), 0f, "tensor " + k);
        }
        assertEquals(Files.readAllLines(straight.resolve(Pretrainer.LOG_FILE)),
                Files.readAllLines(resumed.resolve(Pretrainer.LOG_FILE)));

        Pretrainer.Result again = tiny(resumed, 20).run();
        assertEquals(20, again.steps());
        assertEquals(20, again.resumedFrom(), "a finished run has nothing left to do");
        assertEquals(r.finalLoss(), again.finalLoss(), 1e-12, "the final loss comes from the log");
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(),
                    SafeTensors.read(resumed.resolve("model.safetensors")).tensors().get(k).data(), 0f);
        }
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("lm");
        tiny(out, 10).run();
        IOException e = assertThrows(IOException.class, () -> tiny(out, 10).optDModel(16).run());
        assertTrue(e.getMessage().contains(Pretrainer.STATE_FILE) && e.getMessage().contains("n_embd"),
                e.getMessage());
    }

    @Test
    void domainsKeepOnlyTheirDocumentsAndAreCheckedOnResume(@TempDir Path dir) throws IOException {
        Path jsonl = dir.resolve("two-domains.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append("{\"id\": \"a-").append(i).append("\", \"source\": \"a\", \"text\": \"the cat sat on the mat.\"}\n");
            sb.append("{\"id\": \"b-").append(i).append("\", \"source\": \"b\", \"text\": \"a bird walked to the house and the door.\"}\n");
        }
        Files.writeString(jsonl, sb.toString(), StandardCharsets.UTF_8);
        java.util.function.BiFunction<Path, java.util.Set<String>, Pretrainer> run = (out, domains) ->
                Pretrainer.builder(List.of(jsonl), tokenizer, out).optDModel(16).optLayers(1).optHeads(2)
                        .optContext(16).optSteps(1).optBatch(2).optSeed(3).optDomains(domains);
        long all = run.apply(dir.resolve("all"), java.util.Set.of()).run().corpusTokens();
        long onlyA = run.apply(dir.resolve("a"), java.util.Set.of("a")).run().corpusTokens();
        long onlyB = run.apply(dir.resolve("b"), java.util.Set.of("b")).run().corpusTokens();
        assertEquals(all, onlyA + onlyB, "the two domains partition the stream");
        assertTrue(onlyA > 0 && onlyB > onlyA, "b's sentences are longer: " + onlyA + " vs " + onlyB);

        IOException missing = assertThrows(IOException.class,
                () -> run.apply(dir.resolve("c"), java.util.Set.of("a", "c")).run());
        assertTrue(missing.getMessage().contains("[c]") && missing.getMessage().contains("[a, b]"),
                missing.getMessage());
        IOException other = assertThrows(IOException.class,
                () -> run.apply(dir.resolve("a"), java.util.Set.of("b")).run());
        assertTrue(other.getMessage().contains("domains"), other.getMessage());
        IOException unfiltered = assertThrows(IOException.class,
                () -> run.apply(dir.resolve("a"), java.util.Set.of()).run());
        assertTrue(unfiltered.getMessage().contains("every document"), unfiltered.getMessage());
    }
}
