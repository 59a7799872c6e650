package dev.symbiosis.djl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.GptNeoxConfig;
import dev.symbiosis.djl.model.GptNeoxModel;
import dev.symbiosis.djl.model.LlamaConfig;
import dev.symbiosis.djl.model.LlamaModel;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Rope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny random GPT-NeoX and Llama checkpoints written by tests (byte-level tokenizer, 257 ids, eos 256). */
final class RotaryCheckpoints {

    static final int VOCAB = 260;

    private RotaryCheckpoints() {}

    /** Pythia-like: rotary_pct 0.5, exact GELU, untied head. */
    static GptNeoxConfig neox(boolean parallel) {
        return new GptNeoxConfig(VOCAB, 64, 16, 2, 4, 24, 0.5, 10000, parallel, 1e-5, "gelu", true, false,
                TinyModels.EOS, List.of(TinyModels.EOS));
    }

    /** Llama-3-like with grouped-query attention (4 query heads, 2 key/value heads) and llama3 rope scaling. */
    static LlamaConfig llama(boolean tied) {
        Rope rope = new Rope(4, 500000, "llama3", 8, 1, 4, 32);
        return new LlamaConfig(VOCAB, 64, 16, 2, 4, 2, 4, 40, 1e-5, rope, false, false, tied, TinyModels.EOS,
                List.of(TinyModels.EOS, 257));
    }

    static List<String> names(ModelConfig c) {
        return c instanceof LlamaConfig l ? LlamaModel.parameterNames(l)
                : GptNeoxModel.parameterNames((GptNeoxConfig) c);
    }

    static long[] shape(ModelConfig c, String name) {
        return c instanceof LlamaConfig l ? LlamaModel.expectedShape(l, name)
                : GptNeoxModel.expectedShape((GptNeoxConfig) c, name);
    }

    /** Random values for every parameter: norms' gains near 1, everything else N(0, 0.3^2). */
    static Map<String, Tensor> randomTensors(ModelConfig c, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names(c)) {
            long[] shape = shape(c, name);
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] data = new float[n];
            boolean gain = name.contains("layernorm.weight") || name.contains("layer_norm.weight")
                    || name.equals("model.norm.weight");
            for (int i = 0; i < n; i++) {
                double g = rnd.nextGaussian();
                data[i] = (float) (gain ? 1 + 0.2 * g : 0.3 * g);
            }
            out.put(name, new Tensor(shape, data));
        }
        return out;
    }

    /** Writes config.json, tokenizer.json and model.safetensors (F32) into {@code dir}. */
    static Path write(Path dir, ModelConfig c, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(dir);
        c.write(dir.resolve("config.json"));
        TinyModels.writeByteTokenizer(dir.resolve("tokenizer.json"));
        SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    /**
     * Writes the tensors as {@code shards} files {@code model-0000i-of-0000n.safetensors} (round-robin by name) with
     * {@code model.safetensors.index.json}, plus config.json and tokenizer.json.
     */
    static Path writeSharded(Path dir, ModelConfig c, Map<String, Tensor> tensors, int shards) throws IOException {
        Files.createDirectories(dir);
        c.write(dir.resolve("config.json"));
        TinyModels.writeByteTokenizer(dir.resolve("tokenizer.json"));
        List<Map<String, Tensor>> parts = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            parts.add(new LinkedHashMap<>());
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode index = m.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            int s = i++ % shards;
            parts.get(s).put(e.getKey(), e.getValue());
            map.put(e.getKey(), shardName(s, shards));
        }
        for (int s = 0; s < shards; s++) {
            SafeTensors.write(dir.resolve(shardName(s, shards)), parts.get(s), Map.of("format", "pt"));
        }
        Files.write(dir.resolve("model.safetensors.index.json"), m.writeValueAsBytes(index));
        return dir;
    }

    /** Removes eos_token_id and bos_token_id from a config.json, as many published Llama / GPT-NeoX files lack them. */
    static void removeSpecialIds(Path configJson) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = (ObjectNode) m.readTree(configJson.toFile());
        o.remove("eos_token_id");
        o.remove("bos_token_id");
        Files.write(configJson, m.writeValueAsBytes(o));
    }

    static String shardName(int s, int shards) {
        return String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
    }

    /** Writes tensors in BF16 (each value's upper 16 bits, i.e. truncated). */
    static void writeBf16(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode header = m.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "BF16");
            Arrays.stream(e.getValue().shape()).forEach(t.putArray("shape")::add);
            t.putArray("data_offsets").add(offset).add(offset + 2L * e.getValue().size());
            offset += 2L * e.getValue().size();
        }
        byte[] json = m.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (Tensor t : tensors.values()) {
            for (float v : t.data()) {
                buf.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
            }
        }
        Files.write(file, buf.array());
    }

    /** A raw tensor: dtype name, shape and little-endian bytes. */
    record Raw(String dtype, long[] shape, byte[] bytes) {}

    /** Writes raw tensors (any dtype) in the given order. */
    static void writeRaw(Path file, Map<String, Raw> tensors) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode header = m.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype());
            Arrays.stream(e.getValue().shape()).forEach(t.putArray("shape")::add);
            t.putArray("data_offsets").add(offset).add(offset + e.getValue().bytes().length);
            offset += e.getValue().bytes().length;
        }
        byte[] json = m.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        tensors.values().forEach(r -> buf.put(r.bytes()));
        Files.write(file, buf.array());
    }

    /** F32 little-endian bytes of a tensor. */
    static Raw f32(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) {
            b.putFloat(v);
        }
        return new Raw("F32", t.shape(), b.array());
    }

    /** The values BF16 keeps of {@code tensors} (truncation, as {@link #writeBf16}). */
    static Map<String, Tensor> truncatedToBf16(Map<String, Tensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((n, t) -> {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d[i]) & 0xffff0000);
            }
            out.put(n, new Tensor(t.shape(), d));
        });
        return out;
    }
}
