package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SamplingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json read as transformers reads it. The defaults are those of the config classes' constructors in
 * huggingface/transformers: src/transformers/models/gpt2/configuration_gpt2.py ({@code GPT2Config.__init__}:
 * vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12, activation_function="gelu_new",
 * layer_norm_epsilon=1e-5, bos/eos 50256; {@code attribute_map} hidden_size/max_position_embeddings/
 * num_attention_heads/num_hidden_layers), models/gpt_neox/configuration_gpt_neox.py ({@code GPTNeoXConfig}:
 * vocab_size 50432, hidden_size 6144, 44 layers, 64 heads, intermediate 24576, gelu, max positions 2048,
 * layer_norm_eps 1e-5, bos 0, eos 2, untied, parallel residual, attention_bias true, and
 * {@code convert_rope_params_to_dict}: rope_parameters' rope_theta / partial_rotary_factor, else rotary_emb_base /
 * rotary_pct, else 10000 / 0.25) and models/llama/configuration_llama.py ({@code LlamaConfig}: vocab 32000, hidden
 * 4096, intermediate 11008, 32 layers, 32 heads, num_key_value_heads None = heads, head_dim None = hidden / heads,
 * silu, max positions 2048, rms_norm_eps 1e-6, bos 1, eos 2, untied, no biases, rope_theta 10000). The generation
 * defaults are those of src/transformers/generation/configuration_utils.py ({@code GenerationConfig}: do_sample
 * False, temperature 1.0, top_k 50, top_p 1.0, repetition_penalty 1.0).
 */
class TransformersConfigTest {

    @TempDir
    Path tmp;

    private Path write(String configJson) throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, configJson);
        return f;
    }

    private void generation(String json) throws IOException {
        Files.writeString(tmp.resolve("generation_config.json"), json);
    }

    private IOException refused(String configJson) throws IOException {
        Path f = write(configJson);
        return assertThrows(IOException.class, () -> ModelConfig.read(f));
    }

    private static void assertMentions(IOException e, String... fragments) {
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
        }
    }

    private static final String LLAMA_SIZES = "\"model_type\": \"llama\", \"vocab_size\": 300, \"hidden_size\": 16,"
            + " \"intermediate_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
            + " \"max_position_embeddings\": 64";
    private static final String NEOX_SIZES = "\"model_type\": \"gpt_neox\", \"vocab_size\": 300, \"hidden_size\": 16,"
            + " \"intermediate_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 2,"
            + " \"max_position_embeddings\": 64";
    private static final String GPT2_SIZES = "\"model_type\": \"gpt2\", \"vocab_size\": 300, \"n_positions\": 32,"
            + " \"n_embd\": 16, \"n_layer\": 2, \"n_head\": 2";

    @Test
    void emptyConfigsTakeEveryTransformersDefaultOfTheirModelType() throws IOException {
        assertEquals(new LlamaConfig(32000, 2048, 4096, 32, 32, 32, 128, 11008, 1e-6, Rope.of(128, 10000), false,
                false, false, 1, List.of(2)), ModelConfig.read(write("{\"model_type\": \"llama\"}")));
        assertEquals(new GptNeoxConfig(50432, 2048, 6144, 44, 64, 24576, 0.25, 10000, true, 1e-5, "gelu", true,
                false, 0, List.of(2)), ModelConfig.read(write("{\"model_type\": \"gpt_neox\"}")));
        assertEquals(new Gpt2Config(50257, 1024, 768, 12, 12, 1e-5, 50256, 50256),
                ModelConfig.read(write("{\"model_type\": \"gpt2\"}")));
    }

    @Test
    void llamaAndNeoxWithoutEosOrBosTakeTheClassDefaults() throws IOException {
        LlamaConfig l = (LlamaConfig) ModelConfig.read(write("{" + LLAMA_SIZES + "}"));
        assertEquals(List.of(2), l.eosTokenIds());
        assertEquals(1, l.bosTokenId());
        assertEquals(4, l.numKeyValueHeads());
        assertEquals(4, l.headDim());
        GptNeoxConfig n = (GptNeoxConfig) ModelConfig.read(write("{" + NEOX_SIZES + "}"));
        assertEquals(List.of(2), n.eosTokenIds());
        assertEquals(0, n.bosTokenId());
    }

    @Test
    void generationConfigSuppliesTheIdsConfigJsonLacksAsAnIdOrAList() throws IOException {
        generation("{\"bos_token_id\": 7, \"eos_token_id\": [5, 9], \"pad_token_id\": 3, \"do_sample\": true}");
        LlamaConfig l = (LlamaConfig) ModelConfig.read(write("{" + LLAMA_SIZES + "}"));
        assertEquals(List.of(5, 9), l.stopTokenIds());
        assertEquals(7, l.bosTokenId());
        GptNeoxConfig n = (GptNeoxConfig) ModelConfig.read(write("{" + NEOX_SIZES + "}"));
        assertEquals(List.of(5, 9), n.eosTokenIds());
        generation("{\"eos_token_id\": 11, \"bos_token_id\": 12}");
        Gpt2Config g = (Gpt2Config) ModelConfig.read(write("{" + GPT2_SIZES + "}"));
        assertEquals(11, g.eosTokenId());
        assertEquals(12, g.bosTokenId());
        generation("{\"eos_token_id\": 11}"); // bos then takes GPT-2's default 50256, outside this vocabulary
        assertMentions(assertThrows(IOException.class, () -> ModelConfig.read(tmp.resolve("config.json"))),
                "bos_token_id", "bos_token_id=50256");
        // config.json's own ids win over generation_config.json's for the model (transformers keeps both)
        LlamaConfig own = (LlamaConfig) ModelConfig.read(write("{" + LLAMA_SIZES
                + ", \"eos_token_id\": [4, 6], \"bos_token_id\": 0}"));
        assertEquals(List.of(4, 6), own.eosTokenIds());
        assertEquals(0, own.bosTokenId());
    }

    @Test
    void aDefaultIdOutsideTheVocabularyIsRefusedNamingTheFieldAndTheDefault() throws IOException {
        IOException e = refused("{" + GPT2_SIZES + "}");
        assertMentions(e, "config.json", "eos_token_id", "50256", "vocab_size=300", "transformers' defaults for gpt2");
        IOException nullEos = refused("{" + LLAMA_SIZES + ", \"eos_token_id\": null}");
        assertMentions(nullEos, "eos_token_id is null", "generation_config.json");
    }

    @Test
    void missingSizesTakeDefaultsAndErrorsListThem() throws IOException {
        // n_head absent: 12 heads do not divide n_embd 16; the message says the 12 was transformers' default
        IOException e = refused("{\"model_type\": \"gpt2\", \"vocab_size\": 300, \"n_positions\": 32,"
                + " \"n_embd\": 16, \"n_layer\": 2, \"eos_token_id\": 1, \"bos_token_id\": 1}");
        assertMentions(e, "n_embd 16 is not a multiple of n_head 12", "n_head=12");
    }

    @Test
    void aliasesAgreeOrAreRefusedNamingBothFields() throws IOException {
        assertEquals(ModelConfig.read(write("{" + GPT2_SIZES + ", \"eos_token_id\": 1, \"bos_token_id\": 1}")),
                ModelConfig.read(write("{\"model_type\": \"gpt2\", \"vocab_size\": 300, \"max_position_embeddings\":"
                        + " 32, \"hidden_size\": 16, \"num_hidden_layers\": 2, \"num_attention_heads\": 2,"
                        + " \"n_ctx\": 32, \"eos_token_id\": 1, \"bos_token_id\": 1}")));
        assertMentions(refused("{" + GPT2_SIZES + ", \"hidden_size\": 32, \"eos_token_id\": 1, \"bos_token_id\": 1}"), "n_embd (16)",
                "hidden_size (32)", "contradict");
        assertMentions(refused("{" + GPT2_SIZES + ", \"n_ctx\": 64, \"eos_token_id\": 1, \"bos_token_id\": 1}"), "n_ctx (64)",
                "n_positions (32)");
        assertMentions(refused("{" + NEOX_SIZES + ", \"rotary_pct\": 0.5, \"partial_rotary_factor\": 0.25}"),
                "rotary_pct (0.5)", "partial_rotary_factor (0.25)");
        assertMentions(refused("{" + NEOX_SIZES + ", \"rotary_emb_base\": 10000, \"rope_parameters\":"
                + " {\"rope_theta\": 500000}}"), "rotary_emb_base", "rope_parameters.rope_theta");
        assertMentions(refused("{" + LLAMA_SIZES + ", \"rope_theta\": 10000, \"rope_parameters\":"
                + " {\"rope_type\": \"default\", \"rope_theta\": 20000}}"), "rope_theta", "rope_parameters.rope_theta");
        assertMentions(refused("{" + LLAMA_SIZES + ", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2},"
                + " \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 4}}"), "rope_scaling",
                "rope_parameters", "contradict");
        // the newer names alone read like the older ones
        assertEquals(ModelConfig.read(write("{" + NEOX_SIZES + ", \"rotary_pct\": 0.5, \"rotary_emb_base\": 500}")),
                ModelConfig.read(write("{" + NEOX_SIZES + ", \"rope_parameters\": {\"rope_type\": \"default\","
                        + " \"rope_theta\": 500, \"partial_rotary_factor\": 0.5}}")));
        LlamaConfig scaled = (LlamaConfig) ModelConfig.read(write("{" + LLAMA_SIZES + ", \"rope_parameters\":"
                + " {\"rope_type\": \"linear\", \"factor\": 4, \"rope_theta\": 1000}}"));
        assertEquals(new Rope(4, 1000, "linear", 4, 0, 0, 0), scaled.rope());
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        ModelConfig plain = ModelConfig.read(write("{" + LLAMA_SIZES + "}"));
        assertEquals(plain, ModelConfig.read(write("{" + LLAMA_SIZES + ", \"quantization_note\": {\"x\": [1, 2]},"
                + " \"transformers_version\": \"9.9\", \"use_cache\": false}")));
    }

    @Test
    void gpt2FieldsThatChangeTheNetworkAreRefusedNotRewritten() throws IOException {
        String base = "{" + GPT2_SIZES + ", \"eos_token_id\": 1, \"bos_token_id\": 1";
        assertMentions(refused(base + ", \"tie_word_embeddings\": false}"), "tie_word_embeddings", "untied");
        assertMentions(refused(base + ", \"activation_function\": \"gelu\"}"), "activation_function", "\"gelu\"");
        assertMentions(refused(base + ", \"activation_function\": \"relu\"}"), "activation_function");
        assertMentions(refused(base + ", \"scale_attn_weights\": false}"), "scale_attn_weights");
        assertMentions(refused(base + ", \"scale_attn_by_inverse_layer_idx\": true}"),
                "scale_attn_by_inverse_layer_idx");
        assertMentions(refused(base + ", \"n_inner\": 40}"), "n_inner");
        // the tanh forms of GELU are one function
        assertNotNull(ModelConfig.read(write(base + ", \"activation_function\": \"gelu_pytorch_tanh\"}")));
        assertMentions(refused("{" + NEOX_SIZES + ", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2}}"),
                "rope_scaling", "linear");
    }

    @Test
    void generationConfigGivesTheDefaultDecodingAsTransformersDoes() throws IOException {
        generation("{\"do_sample\": true, \"temperature\": 0.6, \"top_p\": 0.9, \"max_new_tokens\": 40}");
        GenerationConfig g = GenerationConfig.read(tmp.resolve("generation_config.json"));
        SamplingConfig s = g.sampling(SamplingConfig.defaults().withSeed(5));
        assertEquals(new SamplingConfig(0.6, 50, 0.9, 1.0, 40, 5), s); // top_k absent: transformers' 50
        generation("{\"eos_token_id\": 3}");
        SamplingConfig greedy = GenerationConfig.read(tmp.resolve("generation_config.json"))
                .sampling(SamplingConfig.defaults());
        assertTrue(greedy.isGreedy()); // do_sample absent: transformers' default False
        assertEquals(64, greedy.maxNewTokens());
        generation("{\"top_p\": 1.5}");
        IOException bad = assertThrows(IOException.class,
                () -> GenerationConfig.read(tmp.resolve("generation_config.json")));
        assertMentions(bad, "generation_config.json", "top_p");
        generation("{\"eos_token_id\": \"two\"}");
        IOException wrongType = assertThrows(IOException.class, () -> ModelConfig.read(write("{" + LLAMA_SIZES + "}")));
        assertMentions(wrongType, "generation_config.json", "eos_token_id");
    }
}
