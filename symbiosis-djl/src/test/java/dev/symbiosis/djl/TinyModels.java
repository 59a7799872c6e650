package dev.symbiosis.djl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny checkpoints for tests: a byte-level tokenizer (ids = byte values, 256 = end of text) and a small GPT-2. */
final class TinyModels {

    static final int EOS = 256;

    private TinyModels() {}

    static Gpt2Config config(int ctx, int d, int layers, int heads) {
        return new Gpt2Config(257, ctx, d, layers, heads, 1e-5, EOS, EOS);
    }

    /** Writes a byte-level BPE tokenizer.json without merges: every byte is one token. */
    static void writeByteTokenizer(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode added = root.putArray("added_tokens").addObject();
        added.put("id", EOS);
        added.put("content", "<|endoftext|>");
        added.put("single_word", false);
        added.put("lstrip", false);
        added.put("rstrip", false);
        added.put("normalized", false);
        added.put("special", true);
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "ByteLevel");
        post.put("add_prefix_space", false);
        post.put("trim_offsets", false);
        post.put("use_regex", true);
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", false);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        char[] map = bytesToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(map[b]), b);
        }
        vocab.put("<|endoftext|>", EOS);
        model.putArray("merges");
        Files.write(file, m.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /** GPT-2's reversible byte to printable character map. */
    static char[] bytesToUnicode() {
        List<Integer> bs = new ArrayList<>();
        for (int i = '!'; i <= '~'; i++) {
            bs.add(i);
        }
        for (int i = 0xA1; i <= 0xAC; i++) {
            bs.add(i);
        }
        for (int i = 0xAE; i <= 0xFF; i++) {
            bs.add(i);
        }
        char[] out = new char[256];
        for (int b : bs) {
            out[b] = (char) b;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bs.contains(b)) {
                out[b] = (char) (256 + n++);
            }
        }
        return out;
    }

    /** Writes a checkpoint with GPT-2 initialisation. */
    static Path checkpoint(Path dir, Gpt2Config cfg, long seed) throws IOException {
        Files.createDirectories(dir);
        Path tok = dir.resolve("tok-src.json");
        writeByteTokenizer(tok);
        DjlLanguageModel.initialize(dir.resolve("model"), cfg, tok, seed);
        return dir.resolve("model");
    }

    /** Writes a checkpoint whose every parameter is random (LayerNorms and biases included), for exactness tests. */
    static Path randomCheckpoint(Path dir, Gpt2Config cfg, long seed) throws IOException {
        Path ckpt = checkpoint(dir, cfg, seed);
        Random rnd = new Random(seed);
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (String name : Gpt2Model.parameterNames(cfg)) {
            long[] shape = Gpt2Model.expectedShape(cfg, name);
            int n = 1;
            for (long s : shape) {
                n *= (int) s;
            }
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                double g = rnd.nextGaussian();
                data[i] = (float) (name.contains("ln_") && name.endsWith("weight") ? 1 + 0.2 * g : 0.3 * g);
            }
            t.put(name, new Tensor(shape, data));
        }
        SafeTensors.write(ckpt.resolve("model.safetensors"), t, Map.of());
        return ckpt;
    }
}
