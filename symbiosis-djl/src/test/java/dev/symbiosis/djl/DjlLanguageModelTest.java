package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, LoRA, checkpoints and generation of {@link DjlLanguageModel} on tiny models. */
class DjlLanguageModelTest {

    @TempDir
    Path tmp;

    private static final Provenance P = Provenance.of("test");

    private static final TrainerConfig FAST =
            new TrainerConfig(3e-3, 2, 0.0, 8, 1, 1.0, 1L);

    private static List<TrainingText> copies(String text, int n) {
        return new ArrayList<>(Collections.nCopies(n, TrainingText.of(text, P)));
    }

    @Test
    void learnsAToyLanguageAndTheSameSeedGivesTheSameModel() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 1);
        String text = "abc".repeat(8);
        double[] finals = new double[2];
        for (int run = 0; run < 2; run++) {
            try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(FAST.withEpochs(40).withLearningRate(1e-2)).build()) {
                double before = -m.score(List.of(text)).get(0).meanLogProb();
                TrainingReport r = m.train(copies(text, 16));
                assertEquals(16, r.examples());
                assertEquals(80, r.steps());
                assertEquals(40L * 16 * 24, r.tokens(), "24 targets per text and epoch: 23 letters + end of text");
                double after = -m.score(List.of(text)).get(0).meanLogProb();
                assertTrue(before > 5.0, "untrained loss ~ ln 257: " + before);
                assertTrue(after < 0.15, "trained loss must fall below 0.15 nats/token, got " + after);
                finals[run] = r.finalLoss();
                // it learned to stop: greedy generation from "abc" continues the pattern and ends
                Sample s = m.generate(List.of(new Prompt("abc", P)), SamplingConfig.greedy(40)).get(0);
                assertEquals("abc".repeat(7), s.completion());
                assertEquals(21, s.newTokens());
            }
        }
        assertEquals(finals[0], finals[1], 0.0, "training must be deterministic for a seed");
    }

    @Test
    void saveAndLoadAreBitIdenticalAndRestoreUndoesTraining() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 2);
        Path saved = tmp.resolve("saved");
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(FAST).build()) {
            m.train(copies("hello world", 8));
            m.save(saved);
            Map<String, Tensor> a = m.network().baseTensors();
            TokenScores sa = m.score(List.of("hello there")).get(0);
            try (DjlLanguageModel n = DjlLanguageModel.load(saved)) {
                Map<String, Tensor> b = n.network().baseTensors();
                assertEquals(a.keySet(), b.keySet());
                for (String k : a.keySet()) {
                    assertArrayEquals(a.get(k).data(), b.get(k).data(), 0f, k);
                }
                assertEquals(sa, n.score(List.of("hello there")).get(0));
            }
            m.train(copies("something else entirely", 8));
            assertNotEquals(sa, m.score(List.of("hello there")).get(0));
            m.restore(saved);
            assertEquals(sa, m.score(List.of("hello there")).get(0));
        }
        Map<String, Tensor> file = SafeTensors.read(saved.resolve("model.safetensors")).tensors();
        assertTrue(file.containsKey("transformer.h.1.attn.c_attn.weight"));
        assertArrayEquals(new long[] {32, 96}, file.get("transformer.h.1.attn.c_attn.weight").shape());
        assertTrue(Files.exists(saved.resolve("tokenizer.json")));
        assertTrue(Files.exists(saved.resolve("config.json")));
    }

    @Test
    void loraTrainsOnlyTheAdapterAndMergingKeepsTheFunction() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 3);
        Path saved = tmp.resolve("lora");
        LoraConfig lora = new LoraConfig(4, 8, 0.1, List.of("c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"));
        String text = "xyzzy xyzzy xyzzy";
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optLora(lora).optTrainer(FAST.withEpochs(20).withLearningRate(1e-2))
                .build()) {
            Map<String, Tensor> base = m.network().baseTensors();
            double before = m.score(List.of(text)).get(0).meanLogProb();
            m.train(copies(text, 8));
            double after = m.score(List.of(text)).get(0).meanLogProb();
            assertTrue(after > before + 0.5, "LoRA training must help: " + before + " -> " + after);
            Map<String, Tensor> base2 = m.network().baseTensors();
            for (String k : base.keySet()) {
                assertArrayEquals(base.get(k).data(), base2.get(k).data(), 0f, "base weight changed: " + k);
            }
            Map<String, Tensor> adapter = m.network().adapterTensors();
            assertEquals(2 * 4 * 2, adapter.size());
            Tensor a = adapter.get("base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight");
            Tensor b = adapter.get("base_model.model.transformer.h.0.mlp.c_fc.lora_B.weight");
            assertArrayEquals(new long[] {4, 32}, a.shape());
            assertArrayEquals(new long[] {128, 4}, b.shape());

            // PEFT round trip
            m.save(saved);
            assertTrue(Files.exists(saved.resolve("adapter_model.safetensors")));
            assertTrue(Files.readString(saved.resolve("adapter_config.json")).contains("\"r\" : 4"));
            int[] ids = m.tokenizer().encode("xyzzy xy").ids();
            float[][] unmerged = m.logits(ids);
            try (DjlLanguageModel n = DjlLanguageModel.load(saved)) {
                assertEquals(4, n.lora().rank());
                float[][] reloaded = n.logits(ids);
                for (int t = 0; t < ids.length; t++) {
                    assertArrayEquals(unmerged[t], reloaded[t], 0f);
                }
            }
            // a merged export over the adapter checkpoint: plain GPT-2, adapter files gone, foreign files kept
            Files.writeString(saved.resolve("notes.txt"), "kept");
            m.saveMerged(saved);
            assertFalse(Files.exists(saved.resolve("adapter_model.safetensors")));
            assertFalse(Files.exists(saved.resolve("adapter_config.json")));
            assertEquals("kept", Files.readString(saved.resolve("notes.txt")));
            try (DjlLanguageModel n = DjlLanguageModel.load(saved)) {
                assertEquals(null, n.lora());
                float[][] exported = n.logits(ids);
                for (int t = 0; t < ids.length; t++) {
                    assertArrayEquals(unmerged[t], exported[t], 1e-4f);
                }
            }
            m.mergeLora();
            float[][] merged = m.logits(ids);
            for (int t = 0; t < ids.length; t++) {
                assertArrayEquals(unmerged[t], merged[t], 1e-4f);
            }
            assertFalse(java.util.Arrays.equals(base.get("transformer.h.0.mlp.c_fc.weight").data(),
                    m.network().baseTensors().get("transformer.h.0.mlp.c_fc.weight").data()));
        }
    }

    @Test
    void fineTuningMasksThePromptAndWeightsExamples() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 4);
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(FAST.withEpochs(15)).build()) {
            List<PromptCompletion> pairs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pairs.add(new PromptCompletion("Q: ping? A:", " pong", 1.0));
            }
            TrainingReport r = m.fineTune(pairs);
            assertEquals(15, r.steps());
            assertEquals(15L * 8 * 6, r.tokens(), "only the 5 completion tokens and end of text carry loss");
            Sample s = m.generate(List.of(new Prompt("Q: ping? A:", P)), SamplingConfig.greedy(10)).get(0);
            assertEquals(" pong", s.completion());
            assertEquals(5, s.newTokens());
        }
    }

    @Test
    void exampleWeightsSteerTraining() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 12);
        String heavy = "abababababababab";
        String light = "xyxyxyxyxyxyxyxy";
        double[] lightGain = new double[2];
        double[] lightWeight = {1.0, 0.02};
        for (int run = 0; run < 2; run++) {
            try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(FAST.withEpochs(6)).build()) {
                double l0 = m.score(List.of(light)).get(0).meanLogProb();
                List<TrainingText> data = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    data.add(new TrainingText(heavy, 1.0, P));
                    data.add(new TrainingText(light, lightWeight[run], P));
                }
                m.train(data);
                lightGain[run] = m.score(List.of(light)).get(0).meanLogProb() - l0;
            }
        }
        assertTrue(lightGain[1] < 0.8 * lightGain[0],
                "down-weighted text must gain less: " + lightGain[1] + " vs " + lightGain[0]);
    }

    @Test
    void loadsHuggingFaceNamesWithoutPrefixAndIgnoresAttentionBuffers() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 1, 2);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 13);
        Path weights = dir.resolve("model.safetensors");
        float[][] before;
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            before = m.logits(new int[] {1, 2, 3});
        }
        Map<String, Tensor> hf = new java.util.LinkedHashMap<>();
        SafeTensors.read(weights).tensors().forEach((k, v) -> hf.put(k.substring("transformer.".length()), v));
        hf.put("h.0.attn.bias", new Tensor(new long[] {1, 1, 16, 16}, new float[256]));
        hf.put("h.0.attn.masked_bias", new Tensor(new long[] {}, new float[] {-1e4f}));
        SafeTensors.write(weights, hf, Map.of());
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            float[][] after = m.logits(new int[] {1, 2, 3});
            for (int t = 0; t < 3; t++) {
                assertArrayEquals(before[t], after[t], 0f);
            }
            Path out = tmp.resolve("resaved");
            m.save(out);
            assertTrue(SafeTensors.read(out.resolve("model.safetensors")).tensors()
                    .containsKey("transformer.h.0.ln_1.weight"), "writes prefixed names");
        }
    }

    @Test
    void repeatedCallsLeaveNoNativeArraysBehind() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 1, 2);
        Path dir = TinyModels.checkpoint(tmp, cfg, 14);
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optLora(LoraConfig.of(2, 4)).optTrainer(FAST)
                .build()) {
            List<String> texts = List.of("a text longer than the sixteen token context", "short");
            List<Prompt> prompts = List.of(new Prompt("go", P), new Prompt("a much longer prompt here", P));
            Runnable all = () -> {
                m.score(texts);
                m.saliency(texts);
                m.generate(prompts, SamplingConfig.defaults().withMaxNewTokens(20));
                m.train(copies("train me", 4));
                m.fineTune(List.of(new PromptCompletion("q", "a")));
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
    void saliencyLeavesNoGradientInTheParameters() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 1, 2);
        Path dir = TinyModels.checkpoint(tmp, cfg, 15);
        double[] finals = new double[2];
        for (int run = 0; run < 2; run++) {
            try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(FAST).build()) {
                if (run == 1) {
                    m.saliency(List.of("some text to explain", "and another one"));
                }
                TrainingReport r = m.train(copies("training text", 8));
                finals[run] = r.finalLoss();
                float[] w = m.network().baseTensors().get("transformer.h.0.mlp.c_fc.weight").data();
                finals[run] += w[0] + w[7];
            }
        }
        assertEquals(finals[0], finals[1], 0.0, "a saliency call must not change later training");
    }

    @Test
    void kvCacheEqualsRecomputationAndGreedyIsTheArgmax() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 24, 2, 3);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 5);
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            List<Prompt> prompts = List.of(new Prompt("a", P), new Prompt("a longer prompt than the context!", P),
                    new Prompt("mid size", P), new Prompt("", P));
            // 30 new tokens on a 16-token context: every row slides its window at least once
            for (SamplingConfig sc : List.of(SamplingConfig.greedy(30),
                    SamplingConfig.defaults().withMaxNewTokens(30).withSeed(11).withTopK(50).withTopP(0.9)
                            .withRepetitionPenalty(1.3))) {
                List<Sample> cached = m.generate(prompts, sc, true);
                List<Sample> recomputed = m.generate(prompts, sc, false);
                for (int i = 0; i < prompts.size(); i++) {
                    assertEquals(recomputed.get(i).completion(), cached.get(i).completion(), "prompt " + i);
                    assertEquals(recomputed.get(i).newTokens(), cached.get(i).newTokens());
                }
            }
            // greedy = argmax of the logits, and a batch gives each prompt what it gets alone
            String prompt = "mid size";
            int[] ids = m.tokenizer().encode(prompt).ids();
            float[][] logits = m.logits(ids);
            int best = 0;
            float[] last = logits[ids.length - 1];
            for (int k = 1; k < last.length; k++) {
                if (last[k] > last[best]) {
                    best = k;
                }
            }
            Sample alone = m.generate(List.of(new Prompt(prompt, P)), SamplingConfig.greedy(6)).get(0);
            Sample batched = m.generate(prompts, SamplingConfig.greedy(6)).get(2);
            assertEquals(alone.completion(), batched.completion());
            if (best != TinyModels.EOS) {
                assertEquals(m.tokenizer().decode(new int[] {best}),
                        m.tokenizer().decode(m.tokenizer().encode(alone.completion()).ids()).substring(0,
                                m.tokenizer().decode(new int[] {best}).length()));
            }
            List<String> greedy = m.generate(prompts, SamplingConfig.greedy(6)).stream().map(Sample::completion)
                    .toList();
            List<String> zeroTemperature = m.generate(prompts, SamplingConfig.defaults().withTemperature(0)
                    .withMaxNewTokens(6).withSeed(99).withTopK(3)).stream().map(Sample::completion).toList();
            assertEquals(greedy, zeroTemperature);
        }
    }

    @Test
    void scoresCarryTheArgmaxOfTheLogitsAtEveryPredictedPosition() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 24, 2, 3);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 7);
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            String shortText = "mid size";
            String longText = "a text longer than the sixteen-token context window";
            List<TokenScores> scores = m.score(List.of(shortText, longText));
            for (TokenScores s : scores) {
                assertTrue(s.hasArgmax());
                assertEquals(s.predictedCount(), s.argmaxIds().length());
            }
            // the other route: argmax of the raw logits of the short text, position by position
            TokenScores s = scores.get(0);
            int[] ids = s.ids().toArray();
            assertArrayEquals(ids, m.tokenIds(shortText), "tokenIds = the scored ids, without scoring");
            float[][] logits = m.logits(ids);
            for (int i = 0; i < ids.length - 1; i++) {
                int best = 0;
                for (int k = 1; k < logits[i].length; k++) {
                    if (logits[i][k] > logits[i][best]) {
                        best = k;
                    }
                }
                assertEquals(best, s.argmaxIds().get(i), "position " + i);
                assertEquals(best == ids[i + 1], s.top1Correct(i));
            }
            // the long text is scored through the sliding window: its first window predicts as logits() does
            TokenScores lng = scores.get(1);
            assertTrue(lng.size() > 16, "longer than the context: " + lng.size());
            float[][] first = m.logits(java.util.Arrays.copyOf(lng.ids().toArray(), 16));
            for (int i = 0; i < 15; i++) {
                int best = 0;
                for (int k = 1; k < first[i].length; k++) {
                    if (first[i][k] > first[i][best]) {
                        best = k;
                    }
                }
                assertEquals(best, lng.argmaxIds().get(i), "long text, position " + i);
            }
            assertEquals(m.score(List.of(longText)).get(0).argmaxIds(), lng.argmaxIds(), "alone = in a batch");
        }
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsMatter() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 24, 2, 3);
        Path dir = TinyModels.randomCheckpoint(tmp, cfg, 6);
        try (DjlLanguageModel m = DjlLanguageModel.load(dir)) {
            List<Prompt> prompts = List.of(new Prompt("one", P), new Prompt("two", P));
            SamplingConfig a = SamplingConfig.defaults().withMaxNewTokens(12).withSeed(1);
            assertEquals(m.generate(prompts, a), m.generate(prompts, a));
            List<String> s1 = m.generate(prompts, a).stream().map(Sample::completion).toList();
            List<String> s2 = m.generate(prompts, a.withSeed(2)).stream().map(Sample::completion).toList();
            assertNotEquals(s1, s2);
            for (Sample s : m.generate(prompts, a)) {
                assertTrue(s.newTokens() <= 12);
            }
        }
    }

    @Test
    void nonFiniteLossThrowsAndKeepsTheStateBeforeTheCall() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 7);
        TrainerConfig explode = new TrainerConfig(1e30, 0, 0.0, 2, 3, Double.POSITIVE_INFINITY, 1L);
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(explode).build()) {
            TokenScores before = m.score(List.of("stable text")).get(0);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.train(copies("some training text", 8)));
            assertTrue(e.getMessage().contains("not finite"), e.getMessage());
            assertTrue(e.getMessage().contains("restored"), e.getMessage());
            assertEquals(before, m.score(List.of("stable text")).get(0));
        }
    }

    @Test
    void brokenCheckpointsGiveErrorsNamingTheFile() throws Exception {
        Gpt2Config cfg = TinyModels.config(16, 16, 1, 2);
        Path dir = TinyModels.checkpoint(tmp, cfg, 8);
        Path weights = dir.resolve("model.safetensors");
        byte[] good = Files.readAllBytes(weights);

        Files.write(weights, java.util.Arrays.copyOf(good, 100));
        assertMessage(dir, "model.safetensors", "past the end");

        byte[] bad = good.clone();
        String header = new String(good, 8, (int) java.nio.ByteBuffer.wrap(good).order(
                java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0), java.nio.charset.StandardCharsets.UTF_8);
        String unknown = header.replaceFirst("\"F32\"", "\"X17\"");
        System.arraycopy(unknown.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, bad, 8, unknown.length());
        Files.write(weights, bad);
        assertMessage(dir, "model.safetensors", "unknown or unsupported dtype X17");

        Files.write(weights, java.util.Arrays.copyOf(good, good.length - 4));
        assertMessage(dir, "model.safetensors", "outside the data section");

        Files.write(weights, good);
        Map<String, Tensor> tensors = SafeTensors.read(weights).tensors();
        tensors = new java.util.LinkedHashMap<>(tensors);
        tensors.remove("transformer.h.0.mlp.c_fc.bias");
        SafeTensors.write(weights, tensors, Map.of());
        assertMessage(dir, "model.safetensors", "missing tensor 'transformer.h.0.mlp.c_fc.bias'");

        Files.write(weights, good);
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"n_head\"", "\"n_heads\""));
        // absent n_head takes transformers' default 12, which does not divide n_embd 16; the message says so
        assertMessage(dir, "config.json", "n_head=12");
        Files.writeString(dir.resolve("config.json"), config.replace("\"gpt2\"", "\"mistral\""));
        assertMessage(dir, "config.json", "supported model types: [gpt2, gpt_neox, llama]");
        Files.writeString(dir.resolve("config.json"), config.replace("\"gpt2\"", "\"llama\""));
        // read as a Llama: absent sizes take LlamaConfig's defaults (hidden_size 4096), so the weights do not fit
        assertMessage(dir, "model.safetensors", "for a llama model of 32 layers");
        Files.writeString(dir.resolve("config.json"), "{ not json");
        assertMessage(dir, "config.json", "not valid JSON");
    }

    private static void assertMessage(Path dir, String file, String fragment) {
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> DjlLanguageModel.load(dir).close());
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(fragment),
                "message should name " + file + " and say '" + fragment + "': " + e.getMessage());
    }

    @Test
    void halfAndBfloat16AreWidenedInJava() throws Exception {
        Path f = tmp.resolve("half.safetensors");
        String header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + h.length + 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        buf.putShort((short) 0x3C00).putShort((short) 0xC000); // 1.0, -2.0 in F16
        buf.putShort((short) 0x3FC0).putShort((short) 0x4049); // 1.5, 3.140625 in BF16
        Files.write(f, buf.array());
        Map<String, Tensor> t = SafeTensors.read(f).tensors();
        assertArrayEquals(new float[] {1f, -2f}, t.get("a").data());
        assertArrayEquals(new float[] {1.5f, 3.140625f}, t.get("b").data());
        // overlapping tensors are refused
        String overlap = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[2,6]}}";
        byte[] o = overlap.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer ob = java.nio.ByteBuffer.allocate(8 + o.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ob.putLong(o.length).put(o);
        Files.write(f, ob.array());
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("overlaps") && e.getMessage().contains(f.toString()), e.getMessage());
    }
}
