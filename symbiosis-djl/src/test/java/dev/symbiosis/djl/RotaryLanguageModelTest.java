package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.LlamaConfig;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Rope;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DjlLanguageModel} on tiny GPT-NeoX and Llama checkpoints: the loop's operations on every family. */
class RotaryLanguageModelTest {

    private static final Provenance P = Provenance.of("test");
    private static final TrainerConfig FAST = new TrainerConfig(1e-2, 0, 0.0, 8, 1, 1.0, 1L);

    @TempDir
    Path tmp;

    private Path checkpoint(int which) throws Exception {
        ModelConfig c = RotaryArchitecturesTest.configs().get(which);
        return RotaryCheckpoints.write(tmp.resolve("ckpt" + which), c, RotaryCheckpoints.randomTensors(c, 40 + which));
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 3})
    void kvCacheEqualsRecomputationAcrossSlidingWindowsAndScoresMatchLogits(int which) throws Exception {
        try (DjlLanguageModel m = DjlLanguageModel.builder(checkpoint(which)).optContextLength(16).build()) {
            assertEquals(16, m.contextLength());
            assertEquals(ChatFormat.plain(), m.chatFormat());
            List<Prompt> prompts = List.of(new Prompt("a", P), new Prompt("a prompt longer than the context!", P),
                    new Prompt("", P));
            for (SamplingConfig sc : List.of(SamplingConfig.greedy(30),
                    SamplingConfig.defaults().withMaxNewTokens(30).withSeed(3).withTopK(40))) {
                List<Sample> cached = m.generate(prompts, sc, true);
                List<Sample> recomputed = m.generate(prompts, sc, false);
                for (int i = 0; i < prompts.size(); i++) {
                    assertEquals(recomputed.get(i).completion(), cached.get(i).completion(), "prompt " + i);
                }
                try (DjlLanguageModel oneRow = DjlLanguageModel.builder(checkpoint(which)).optContextLength(16)
                        .optGenerationRows(1).build()) {
                    List<Sample> alone = oneRow.generate(prompts, sc);
                    for (int i = 0; i < prompts.size(); i++) {
                        assertEquals(cached.get(i).completion(), alone.get(i).completion(), "one row, prompt " + i);
                    }
                }
            }
            String text = "scoring text";
            TokenScores s = m.score(List.of(text)).get(0);
            int[] ids = m.tokenizer().encode(text).ids();
            float[][] logits = m.logits(ids);
            for (int i = 0; i + 1 < ids.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : logits[i]) {
                    max = Math.max(max, v);
                }
                double z = 0;
                for (float v : logits[i]) {
                    z += Math.exp(v - max);
                }
                assertEquals(logits[i][ids[i + 1]] - max - Math.log(z), s.logProbs().get(i), 1e-4);
            }
            assertEquals(ids.length, m.saliency(List.of(text)).get(0).size());
        }
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 2})
    void loraTrainingLearnsSavesWithPeftNamesLinksTheFrozenBaseAndRestores(int which) throws Exception {
        Path src = checkpoint(which);
        Path saved = tmp.resolve("saved");
        String text = "abcabcabcabcabcabc";
        double trained;
        try (DjlLanguageModel m = DjlLanguageModel.builder(src).optLora(LoraConfig.of(4, 8))
                .optTrainer(FAST.withEpochs(20)).build()) {
            assertEquals(which == 0 ? LoraConfig.GPT_NEOX_TARGETS : LoraConfig.LLAMA_TARGETS, m.lora().targets());
            double before = -m.score(List.of(text)).get(0).meanLogProb();
            m.train(new ArrayList<>(Collections.nCopies(8, TrainingText.of(text, P))));
            trained = -m.score(List.of(text)).get(0).meanLogProb();
            assertTrue(trained < before - 0.5, before + " -> " + trained);
            m.save(saved);
            JsonNode adapterConfig = new ObjectMapper().readTree(saved.resolve("adapter_config.json").toFile());
            assertFalse(adapterConfig.get("fan_in_fan_out").asBoolean(), "nn.Linear layout");
            assertEquals(m.lora().targets().get(0), adapterConfig.get("target_modules").get(0).asText());
            assertEquals(Files.getAttribute(src.resolve("model.safetensors"), "unix:ino"),
                    Files.getAttribute(saved.resolve("model.safetensors"), "unix:ino"), "frozen base hard-linked");
            Map<String, Tensor> adapter = m.network().adapterTensors();
            assertTrue(adapter.keySet().stream().allMatch(k -> k.startsWith("base_model.model.")
                    && k.endsWith(".weight")), adapter.keySet().toString());
            // merging keeps the function and the next checkpoint writes the merged base instead of linking
            float[][] beforeMerge = m.logits(m.tokenizer().encode(text).ids());
            m.mergeLora();
            float[][] afterMerge = m.logits(m.tokenizer().encode(text).ids());
            for (int i = 0; i < beforeMerge.length; i++) {
                assertArrayEquals(beforeMerge[i], afterMerge[i], 1e-3f);
            }
            Path merged = tmp.resolve("merged");
            m.save(merged);
            assertTrue(!Files.getAttribute(src.resolve("model.safetensors"), "unix:ino")
                    .equals(Files.getAttribute(merged.resolve("model.safetensors"), "unix:ino")));
        }
        try (DjlLanguageModel loaded = DjlLanguageModel.load(saved)) {
            assertEquals(trained, -loaded.score(List.of(text)).get(0).meanLogProb(), 1e-4);
        }
        try (DjlLanguageModel fresh = DjlLanguageModel.builder(src).optLora(LoraConfig.of(4, 8)).build()) {
            fresh.restore(saved);
            assertEquals(trained, -fresh.score(List.of(text)).get(0).meanLogProb(), 1e-4);
        }
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 2})
    void float16WeightsTrainAFloat32AdapterSaliencyAndCacheWork(int which) throws Exception {
        // the GPU's precision path, exercised on the CPU: float16 base, float32 LoRA, float32 attention and norms
        String text = "abcabcabcabcabcabc";
        try (DjlLanguageModel m = DjlLanguageModel.builder(checkpoint(which)).optDtype(ai.djl.ndarray.types.DataType.FLOAT16)
                .optLora(LoraConfig.of(4, 8)).optTrainer(FAST.withEpochs(20)).build()) {
            double before = -m.score(List.of(text)).get(0).meanLogProb();
            m.train(new ArrayList<>(Collections.nCopies(8, TrainingText.of(text, P))));
            double after = -m.score(List.of(text)).get(0).meanLogProb();
            assertTrue(after < before - 0.5, before + " -> " + after);
            double[] saliency = m.saliency(List.of(text)).get(0).norms().toArray();
            assertTrue(java.util.Arrays.stream(saliency).allMatch(Double::isFinite)
                    && java.util.Arrays.stream(saliency).anyMatch(v -> v > 0), java.util.Arrays.toString(saliency));
            List<Prompt> prompts = List.of(new Prompt("ab", P), new Prompt("a longer prompt", P));
            SamplingConfig greedy = SamplingConfig.greedy(10);
            List<Sample> cached = m.generate(prompts, greedy, true);
            List<Sample> recomputed = m.generate(prompts, greedy, false);
            for (int i = 0; i < prompts.size(); i++) {
                assertEquals(recomputed.get(i).completion(), cached.get(i).completion(), "prompt " + i);
            }
        }
    }

    @Test
    void hotFlipHintsOnLlamaAreDirectionalDerivativesOfTheReferenceLoss() throws Exception {
        LlamaConfig c = RotaryCheckpoints.llama(false); // untied: a table row is only read where its token stands
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 19);
        Path dir = RotaryCheckpoints.write(tmp.resolve("hints"), c, w);
        float[] table = w.get("model.embed_tokens.weight").data();
        int d = c.hiddenSize();
        String text = "abcdefg"; // distinct bytes: the gradient at a position is the gradient of its table row
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            int[] ids = m.tokenizer().encode(text).ids();
            List<dev.symbiosis.core.model.TokenHint> hints = m.gradientHints(List.of(text), 2, 3).get(0);
            assertEquals(2, hints.size());
            for (dev.symbiosis.core.model.TokenHint h : hints) {
                int x = ids[h.tokenIndex()];
                double[] g = new double[d];
                for (int j = 0; j < d; j++) {
                    g[j] = (RotaryArchitecturesTest.loss(c, w, ids, x, j, 1e-2)
                            - RotaryArchitecturesTest.loss(c, w, ids, x, j, -1e-2)) / 2e-2;
                }
                String best = null;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (char ch = '!'; ch <= '~'; ch++) {
                    if (String.valueOf(ch).equals(h.tokenText(text).strip())) {
                        continue;
                    }
                    double score = flip(table, d, ch, x, g);
                    if (score > bestScore) {
                        bestScore = score;
                        best = String.valueOf(ch);
                    }
                }
                assertEquals(best, h.candidates().get(0));
                for (int k = 0; k < 3; k++) {
                    double want = flip(table, d, h.candidates().get(k).charAt(0), x, g);
                    assertEquals(want, h.scores().get(k), 2e-3 + 2e-2 * Math.abs(want), h.candidates().get(k));
                }
            }
        }
    }

    /** (E[v] - E[x]) . g for the byte token v. */
    private static double flip(float[] table, int d, int v, int x, double[] g) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (table[v * d + j] - table[x * d + j]) * g[j];
        }
        return s;
    }

    @Test
    void loraDropoutIsSeededTheSameSeedGivesTheSameAdapter() throws Exception {
        Path dir = checkpoint(2);
        LoraConfig withDropout = new LoraConfig(4, 8, 0.3, List.of(LoraConfig.ALL_LINEAR));
        List<Map<String, Tensor>> adapters = new ArrayList<>();
        for (long seed : new long[] {5, 5, 6}) {
            try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optLora(withDropout)
                    .optTrainer(new TrainerConfig(1e-2, 0, 0.0, 4, 2, 1.0, seed)).build()) {
                m.train(new ArrayList<>(Collections.nCopies(4, TrainingText.of("dropout text", P))));
                adapters.add(m.network().adapterTensors());
            }
        }
        for (String k : adapters.get(0).keySet()) {
            assertArrayEquals(adapters.get(0).get(k).data(), adapters.get(1).get(k).data(), 0f, k);
        }
        assertTrue(adapters.get(0).keySet().stream().anyMatch(k -> !java.util.Arrays.equals(
                adapters.get(0).get(k).data(), adapters.get(2).get(k).data())), "another seed, other masks");
    }

    @Test
    void largeVocabulariesSampleRowsInParallelWithTheSameTokens() throws Exception {
        // 70,000 ids x 16 rows crosses the parallel-sampling threshold; one row at a time stays sequential
        LlamaConfig c = new LlamaConfig(70_000, 64, 16, 1, 4, 2, 4, 40, 1e-5, Rope.of(4, 500000), false, false, true,
                TinyModels.EOS, List.of(TinyModels.EOS));
        Path dir = RotaryCheckpoints.write(tmp.resolve("big-vocab"), c, RotaryCheckpoints.randomTensors(c, 8));
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            prompts.add(new Prompt("prompt " + i, P));
        }
        SamplingConfig sc = SamplingConfig.defaults().withMaxNewTokens(6).withSeed(4).withTopP(0.9);
        try (DjlLanguageModel batched = DjlLanguageModel.builder(dir).optGenerationRows(16).build();
                DjlLanguageModel single = DjlLanguageModel.builder(dir).optGenerationRows(1).build()) {
            List<Sample> a = batched.generate(prompts, sc);
            List<Sample> b = single.generate(prompts, sc);
            for (int i = 0; i < prompts.size(); i++) {
                assertEquals(b.get(i).completion(), a.get(i).completion(), "prompt " + i); // decodable: ids < 257
            }
        }
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 2})
    void repeatedCallsLeaveNoNativeArraysBehind(int which) throws Exception {
        // float16 storage: every use widens a weight, and those copies must not outlive their pass
        try (DjlLanguageModel m = DjlLanguageModel.builder(checkpoint(which))
                .optDtype(ai.djl.ndarray.types.DataType.FLOAT16).optContextLength(16).optLora(LoraConfig.of(2, 4))
                .optTrainer(FAST).build()) {
            List<String> texts = List.of("a text longer than the sixteen token context", "short");
            List<Prompt> prompts = List.of(new Prompt("go", P), new Prompt("a much longer prompt here", P));
            Runnable all = () -> {
                m.score(texts);
                m.saliency(texts);
                m.gradientHints(texts, 1, 2);
                m.generate(prompts, SamplingConfig.defaults().withMaxNewTokens(20));
                m.train(new ArrayList<>(Collections.nCopies(4, TrainingText.of("train me", P))));
                m.fineTune(List.of(new PromptCompletion("q", "a", 1.0)));
                m.logits(new int[] {1, 2});
            };
            all.run();
            int before = m.network().manager().getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                all.run();
            }
            assertEquals(before, m.network().manager().getManagedArrays().size());
        }
    }

    @Test
    void nonFiniteLossPutsTheAdapterBack() throws Exception {
        TrainerConfig explode = new TrainerConfig(1e30, 0, 0.0, 2, 3, Double.POSITIVE_INFINITY, 1L);
        try (DjlLanguageModel m = DjlLanguageModel.builder(checkpoint(2)).optLora(LoraConfig.of(2, 4))
                .optTrainer(explode).build()) {
            TokenScores before = m.score(List.of("stable text")).get(0);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.train(new ArrayList<>(Collections.nCopies(8, TrainingText.of("some text", P)))));
            assertTrue(e.getMessage().contains("restored"), e.getMessage());
            assertEquals(before, m.score(List.of("stable text")).get(0));
        }
    }

    @Test
    void shardedCheckpointLoadsAndSavingReplacesItsShards() throws Exception {
        ModelConfig c = RotaryCheckpoints.neox(true);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 2);
        Path single = RotaryCheckpoints.write(tmp.resolve("single"), c, w);
        Path sharded = RotaryCheckpoints.writeSharded(tmp.resolve("sharded"), c, w, 2);
        TokenScores expected;
        try (DjlLanguageModel a = DjlLanguageModel.load(single); DjlLanguageModel b = DjlLanguageModel.load(sharded)) {
            expected = a.score(List.of("same text")).get(0);
            assertEquals(expected, b.score(List.of("same text")).get(0));
            a.save(sharded); // full fine-tuning model: one streamed file, the old shards and index are not kept
        }
        assertTrue(Files.exists(sharded.resolve("model.safetensors")));
        assertFalse(Files.exists(sharded.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(sharded.resolve(RotaryCheckpoints.shardName(0, 2))));
        try (DjlLanguageModel reloaded = DjlLanguageModel.load(sharded)) {
            assertEquals(expected, reloaded.score(List.of("same text")).get(0), "streamed weights read back");
            assertEquals("djl-gpt_neox:sharded", reloaded.generate(List.of(new Prompt("x", P)),
                    SamplingConfig.greedy(1)).get(0).provenance().source());
        }
    }

    /** A tiny Llama "instruct" model with a Llama-3-style tokenizer and a chat template. */
    private Path instructCheckpoint() throws Exception {
        Path dir = tmp.resolve("instruct");
        Files.createDirectories(dir);
        LlamaConfig c = new LlamaConfig(270, 128, 16, 2, 4, 2, 4, 40, 1e-5, Rope.of(4, 500000), false, false, false,
                FamilyTokenizers.BEGIN_OF_TEXT, List.of(FamilyTokenizers.END_OF_TEXT));
        RotaryCheckpoints.write(dir, c, RotaryCheckpoints.randomTensors(c, 77));
        FamilyTokenizers.writeLlama3(dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{{ '<|begin_of_text|>' }}"
                + "{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\\\n\\\\n'"
                + " + m['content'] + '<|eot_id|>' }}{% endfor %}\"}");
        return dir;
    }

    @Test
    void instructionTunedGeneratorGetsChatTurnsAndStopsAtEndOfTurn() throws Exception {
        try (DjlLanguageModel m = DjlLanguageModel.builder(instructCheckpoint())
                .optTrainer(FAST.withEpochs(30).withLearningRate(1e-2)).build()) {
            assertEquals(ChatFormat.llama3(), m.chatFormat());
            List<PromptCompletion> pairs = new ArrayList<>();
            for (String p : List.of("Explain the sea.", "Explain the moon.", "Explain a cat.", "Explain rain.")) {
                pairs.add(new PromptCompletion(p, "x", 1.0)); // answer: "x" then <|eot_id|>
            }
            m.fineTune(pairs);
            List<Sample> out = m.generate(List.of(new Prompt("Explain the sea.", P), new Prompt("Explain rain.", P)),
                    SamplingConfig.greedy(12));
            for (Sample s : out) {
                assertEquals("x", s.completion());
                assertEquals(1, s.newTokens(), "stopped at <|eot_id|>");
            }
        }
        // the same weights without the chat format continue the raw prompt instead (no stop at the first token)
        try (DjlLanguageModel raw = DjlLanguageModel.builder(instructCheckpoint()).optChatFormat(ChatFormat.plain())
                .build()) {
            assertEquals(ChatFormat.plain(), raw.chatFormat());
            assertTrue(raw.generate(List.of(new Prompt("Explain the sea.", P)), SamplingConfig.greedy(12)).get(0)
                    .newTokens() > 1);
        }
    }
}
