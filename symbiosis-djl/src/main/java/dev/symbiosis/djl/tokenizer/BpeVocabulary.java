package dev.symbiosis.djl.tokenizer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained byte-level BPE vocabulary: tokens by id, merges in rank order and the special tokens; serializes to
 * a Hugging Face {@code tokenizer.json} that DJL's {@code HuggingFaceTokenizer} and Python {@code tokenizers}
 * load.
 *
 * <p>The file: model {@code BPE} (vocab + merges as {@code "left right"} strings), pre-tokenizer
 * {@code ByteLevel(add_prefix_space=false, use_regex=true)}, decoder {@code ByteLevel}, post-processor
 * {@code ByteLevel(trim_offsets=false)} (as GPT-2's own file: token offsets include a leading space, so they tile
 * the text), and the special tokens as {@code added_tokens}. The bytes depend on the vocabulary only.
 */
public final class BpeVocabulary {

    private final List<String> tokens;
    private final List<int[]> merges;
    private final List<String> specialTokens;
    private final List<Integer> specialIds;
    private final Map<String, Integer> ids;

    BpeVocabulary(List<String> tokens, List<int[]> merges, List<String> specialTokens, List<Integer> specialIds) {
        this.tokens = List.copyOf(tokens);
        List<int[]> m = new ArrayList<>(merges.size());
        for (int[] pair : merges) {
            m.add(pair.clone());
        }
        this.merges = Collections.unmodifiableList(m);
        this.specialTokens = List.copyOf(specialTokens);
        this.specialIds = List.copyOf(specialIds);
        Map<String, Integer> map = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            map.put(tokens.get(i), i);
        }
        this.ids = map;
    }

    /** Number of tokens, special tokens included. */
    public int size() {
        return tokens.size();
    }

    /** The token of {@code id} (byte-level characters, or a special token's text). */
    public String token(int id) {
        return tokens.get(id);
    }

    /** The id of a token string, or -1. */
    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    /** Number of merges learned. */
    public int mergeCount() {
        return merges.size();
    }

    /** The merges in rank order, as {@code "left right"} byte-level strings. */
    public List<String> merges() {
        List<String> out = new ArrayList<>(merges.size());
        for (int[] pair : merges) {
            out.add(tokens.get(pair[0]) + " " + tokens.get(pair[1]));
        }
        return out;
    }

    /** The special tokens, in id order. */
    public List<String> specialTokens() {
        return specialTokens;
    }

    /** The id of special token {@code token}, or -1 if it is not one. */
    public int specialId(String token) {
        int i = specialTokens.indexOf(token);
        return i < 0 ? -1 : specialIds.get(i);
    }

    /** The {@code tokenizer.json} bytes (UTF-8, two-space indentation, keys in a fixed order). */
    public byte[] toTokenizerJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + tokens.size() * 40);
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try (JsonGenerator g = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeNullField("truncation");
            g.writeNullField("padding");
            g.writeArrayFieldStart("added_tokens");
            for (int i = 0; i < specialTokens.size(); i++) {
                g.writeStartObject();
                g.writeNumberField("id", specialIds.get(i));
                g.writeStringField("content", specialTokens.get(i));
                g.writeBooleanField("single_word", false);
                g.writeBooleanField("lstrip", false);
                g.writeBooleanField("rstrip", false);
                g.writeBooleanField("normalized", false);
                g.writeBooleanField("special", true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNullField("normalizer");
            writeByteLevel(g, "pre_tokenizer", true);
            writeByteLevel(g, "post_processor", false);
            writeByteLevel(g, "decoder", true);
            g.writeObjectFieldStart("model");
            g.writeStringField("type", "BPE");
            g.writeNullField("dropout");
            g.writeNullField("unk_token");
            g.writeStringField("continuing_subword_prefix", "");
            g.writeStringField("end_of_word_suffix", "");
            g.writeBooleanField("fuse_unk", false);
            g.writeBooleanField("byte_fallback", false);
            g.writeObjectFieldStart("vocab");
            for (int i = 0; i < tokens.size(); i++) {
                g.writeNumberField(tokens.get(i), i);
            }
            g.writeEndObject();
            g.writeArrayFieldStart("merges");
            for (String merge : merges()) {
                g.writeString(merge);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private static void writeByteLevel(JsonGenerator g, String field, boolean trimOffsets) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("type", "ByteLevel");
        g.writeBooleanField("add_prefix_space", false);
        g.writeBooleanField("trim_offsets", trimOffsets);
        g.writeBooleanField("use_regex", true);
        g.writeEndObject();
    }

    /**
     * Writes {@link #toTokenizerJson()} to {@code file} through a temporary file in the same folder and a rename,
     * so that readers never see a partial file.
     */
    public void write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, toTokenizerJson());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
