package dev.symbiosis.djl.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.reliability.Fuzz;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of config.json ({@link ModelConfig#read}, every family) and tokenizer.json ({@link BpeTokenizer#load}):
 * arbitrary bytes, byte mutations and structural mutations of valid files give a value or an
 * {@link IOException}, never another exception or a hang. Absurd sizes in an otherwise valid checkpoint are
 * refused naming the file before anything of that size is allocated.
 */
class ConfigAndTokenizerFuzzTest {

    private static Path dir;
    private static Path model;
    private static byte[] tokenizer;

    private static final String GPT2 = "{\"architectures\": [\"GPT2LMHeadModel\"], \"model_type\": \"gpt2\", "
            + "\"vocab_size\": 300, \"n_positions\": 32, \"n_embd\": 16, \"n_layer\": 2, \"n_head\": 2, "
            + "\"n_inner\": null, \"layer_norm_epsilon\": 1e-5, \"bos_token_id\": 298, \"eos_token_id\": 298}";
    private static final String LLAMA = "{\"model_type\": \"llama\", \"vocab_size\": 300, \"hidden_size\": 16, "
            + "\"intermediate_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
            + "\"num_key_value_heads\": 2, \"max_position_embeddings\": 64, \"rms_norm_eps\": 1e-5, "
            + "\"rope_theta\": 10000.0, \"bos_token_id\": 1, \"eos_token_id\": [2, 3], "
            + "\"tie_word_embeddings\": false, \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, "
            + "\"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 32}}";
    private static final String NEOX = "{\"model_type\": \"gpt_neox\", \"vocab_size\": 300, \"hidden_size\": 16, "
            + "\"intermediate_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 2, "
            + "\"max_position_embeddings\": 64, \"rotary_pct\": 0.25, \"rotary_emb_base\": 10000, "
            + "\"layer_norm_eps\": 1e-5, \"use_parallel_residual\": true, \"hidden_act\": \"gelu\", "
            + "\"bos_token_id\": 0, \"eos_token_id\": 0, \"tie_word_embeddings\": false}";

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("config-fuzz");
        model = Checkpoints.tiny(dir.resolve("tiny"));
        tokenizer = Files.readAllBytes(model.resolve("tokenizer.json"));
    }

    @AfterContainer
    static void tearDown() throws IOException {
        dev.symbiosis.core.loop.AtomicFiles.deleteTree(dir);
    }

    private static void readConfig(byte[] bytes) throws IOException {
        Path f = dir.resolve("config.json");
        Files.write(f, bytes);
        Fuzz.returnsOrThrowsOnly(IOException.class, Fuzz.LIMIT, () -> {
            ModelConfig c = ModelConfig.read(f);
            assertTrue(c.vocabSize() >= 1 && c.numLayers() >= 1 && c.hiddenSize() >= 1 && c.contextLength() >= 1,
                    c.toString());
        });
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Fuzz.bytes(1024);
    }

    @Provide
    Arbitrary<byte[]> mutatedConfigBytes() {
        return Fuzz.mutationsOf(GPT2.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<JsonNode> mutatedConfig() {
        return net.jqwik.api.Arbitraries.oneOf(Fuzz.jsonMutationsOf(Fuzz.parse(GPT2)),
                Fuzz.jsonMutationsOf(Fuzz.parse(LLAMA)), Fuzz.jsonMutationsOf(Fuzz.parse(NEOX)));
    }

    @Property(tries = 200)
    void configOfAnyBytes(@ForAll("anyBytes") byte[] bytes) throws IOException {
        readConfig(bytes);
    }

    @Property(tries = 200)
    void configMutatedBytes(@ForAll("mutatedConfigBytes") byte[] bytes) throws IOException {
        readConfig(bytes);
    }

    @Property(tries = 500)
    void configWithWrongTypesOrAbsurdValues(@ForAll("mutatedConfig") JsonNode config) throws IOException {
        readConfig(Fuzz.toBytes(config));
    }

    @net.jqwik.api.Example
    void theValidConfigsAreRead() throws IOException {
        for (String c : new String[] {GPT2, LLAMA, NEOX}) {
            Path f = dir.resolve("valid-config.json");
            Files.writeString(f, c);
            ModelConfig.read(f);
        }
    }

    // tokenizer.json goes to the native tokenizers library: fewer tries, each starts a native parse

    private static void loadTokenizer(byte[] bytes) throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.write(f, bytes);
        Fuzz.returnsOrThrowsOnly(IOException.class, Fuzz.LIMIT, () -> {
            try (BpeTokenizer t = BpeTokenizer.load(f)) {
                t.encode("the cat sat");
            }
        });
    }

    @Provide
    Arbitrary<byte[]> mutatedTokenizerBytes() {
        return Fuzz.mutationsOf(tokenizer);
    }

    @Provide
    Arbitrary<JsonNode> mutatedTokenizer() {
        try {
            return Fuzz.jsonMutationsOf(new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenizer));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 40)
    void tokenizerOfAnyBytes(@ForAll("anyBytes") byte[] bytes) throws IOException {
        loadTokenizer(bytes);
    }

    @Property(tries = 40)
    void tokenizerMutatedBytes(@ForAll("mutatedTokenizerBytes") byte[] bytes) throws IOException {
        loadTokenizer(bytes);
    }

    @Property(tries = 60)
    void tokenizerWithWrongTypesOrAbsurdValues(@ForAll("mutatedTokenizer") JsonNode json) throws IOException {
        loadTokenizer(Fuzz.toBytes(json));
    }

    /** Bytes that Jackson's encoding detection takes for UTF-32: refused naming the tokenizer file. */
    @net.jqwik.api.Example
    void aTokenizerThatLooksLikeUtf32IsRefusedNamingTheFile() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.write(f, java.util.Arrays.copyOf(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFE}, 16));
        String message = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> BpeTokenizer.load(f))
                .getMessage();
        assertTrue(message.contains(f.toString()), message);
    }

    /** Sizes that would need terabytes if believed: refused, naming config.json or the weights, without OOM. */
    @net.jqwik.api.Example
    void absurdSizesInAValidCheckpointAreRefusedNamingTheFile() throws IOException {
        String original = Files.readString(model.resolve("config.json"));
        Map<String, Object> absurd = Map.of("n_positions", Integer.MAX_VALUE, "vocab_size", Integer.MAX_VALUE,
                "n_embd", 1 << 30, "n_layer", 1_000_000, "n_head", 1 << 20);
        try {
            for (Map.Entry<String, Object> e : absurd.entrySet()) {
                ObjectNode c = (ObjectNode) Fuzz.parse(original);
                c.put(e.getKey(), (Integer) e.getValue());
                if (e.getKey().equals("n_embd")) {
                    c.put("n_head", 1);
                }
                Files.write(model.resolve("config.json"), Fuzz.toBytes(c));
                IOException x = assertThrows(IOException.class, () -> DjlLanguageModel.load(model).close(),
                        e.getKey() + " = " + e.getValue() + " was accepted");
                assertTrue(x.getMessage().contains("config.json") || x.getMessage().contains("model.safetensors"),
                        e.getKey() + ": " + x.getMessage());
            }
        } finally {
            Files.writeString(model.resolve("config.json"), original);
        }
    }
}
