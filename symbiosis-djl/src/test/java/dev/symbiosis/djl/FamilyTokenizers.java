package dev.symbiosis.djl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small tokenizer.json files in the layout of the GPT-NeoX (Pythia) and Llama 3 tokenizers, written by the tests
 * (no real Llama tokenizer is ever committed): byte-level BPE over the 256 bytes, three merges, and the family's
 * special tokens.
 */
final class FamilyTokenizers {

    /** Llama 3's split pattern. */
    static final String LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|"
            + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final List<String> LLAMA3_SPECIALS = List.of("<|begin_of_text|>", "<|end_of_text|>",
            "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");
    static final int BEGIN_OF_TEXT = 256;
    static final int END_OF_TEXT = 257;
    static final int EOT = 260;

    private FamilyTokenizers() {}

    /** Llama 3 layout: Split(regex) + ByteLevel pre-tokenizer, ignore_merges, specials 256..260. */
    static void writeLlama3(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = base(m, LLAMA3_SPECIALS);
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode seq = pre.putArray("pretokenizers");
        ObjectNode split = seq.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", LLAMA3_PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode bl = seq.addObject();
        bl.put("type", "ByteLevel");
        bl.put("add_prefix_space", false);
        bl.put("trim_offsets", true);
        bl.put("use_regex", false);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "ByteLevel");
        post.put("add_prefix_space", true);
        post.put("trim_offsets", false);
        post.put("use_regex", true);
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", true);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = model(root, 256 + LLAMA3_SPECIALS.size());
        model.put("ignore_merges", true);
        Files.write(file, m.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /** GPT-NeoX (Pythia) layout: NFC normalizer, ByteLevel pre-tokenizer, {@code <|endoftext|>} at 256. */
    static void writePythia(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = base(m, List.of("<|endoftext|>", "<|padding|>"));
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "ByteLevel");
        post.put("add_prefix_space", false);
        post.put("trim_offsets", true);
        post.put("use_regex", true);
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", false);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        model(root, 258);
        Files.write(file, m.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static ObjectNode base(ObjectMapper m, List<String> specials) {
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode a = added.addObject();
            a.put("id", 256 + i);
            a.put("content", specials.get(i));
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
        }
        return root;
    }

    /** Byte-level vocabulary (ids 0..255), specials, then the merges "Ġ t", "h e", "Ġt he" from {@code firstMerge}. */
    private static ObjectNode model(ObjectNode root, int firstMerge) {
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        char[] map = TinyModels.bytesToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(map[b]), b);
        }
        root.withArray("added_tokens").forEach(a -> vocab.put(a.get("content").asText(), a.get("id").asInt()));
        vocab.put("Ġt", firstMerge);
        vocab.put("he", firstMerge + 1);
        vocab.put("Ġthe", firstMerge + 2);
        ArrayNode merges = model.putArray("merges");
        merges.add("Ġ t");
        merges.add("h e");
        merges.add("Ġt he");
        return model;
    }
}
