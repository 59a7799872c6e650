package dev.symbiosis.djl.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} loaded offline through DJL's HuggingFaceTokenizer, with truncation and
 * padding off and nothing added: {@code encode} returns exactly the tokens of the text, with UTF-16 character
 * offsets into it.
 *
 * <p>Thread-safe for encoding and decoding (the native tokenizer is immutable); close it once.
 */
public final class BpeTokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS =
            Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final int vocabSize;
    private final Map<String, Integer> specials;

    /** Token ids of a text with the character span of each token. */
    public record Encoding(int[] ids, int[] starts, int[] ends) {
        public int size() {
            return ids.length;
        }
    }

    private BpeTokenizer(HuggingFaceTokenizer tokenizer, Path file, int vocabSize, Map<String, Integer> specials) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.vocabSize = vocabSize;
        this.specials = specials;
    }

    /**
     * Loads a tokenizer.json.
     *
     * @throws IOException naming the file, if it is missing, is not JSON (with line and column), or is not a
     *     tokenizer the native library accepts
     */
    public static BpeTokenizer load(Path tokenizerJson) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(tokenizerJson));
        } catch (NoSuchFileException e) {
            throw new IOException(tokenizerJson + ": tokenizer file not found", e);
        } catch (JsonProcessingException e) {
            throw new IOException(tokenizerJson + ": not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new IOException(tokenizerJson + ": not a tokenizer.json (no \"model\" object)");
        }
        int maxId = -1;
        for (JsonNode id : root.path("model").path("vocab")) {
            maxId = Math.max(maxId, id.asInt());
        }
        Map<String, Integer> specials = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            specials.put(t.path("content").asText(), t.path("id").asInt());
            maxId = Math.max(maxId, t.path("id").asInt());
        }
        HuggingFaceTokenizer tok;
        try {
            tok = HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS);
        } catch (RuntimeException e) {
            throw new IOException(tokenizerJson + ": the tokenizer library refused it: " + e.getMessage(), e);
        }
        return new BpeTokenizer(tok, tokenizerJson, maxId + 1, Map.copyOf(specials));
    }

    /** The file this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    /** Number of ids (largest id + 1). */
    public int vocabSize() {
        return vocabSize;
    }

    /** Id of {@code <|endoftext|>}, or -1 if absent. */
    public int eosId() {
        return specials.getOrDefault(BpeTrainer.END_OF_TEXT, -1);
    }

    /** Id of {@code <|pad|>}, or -1 if absent. */
    public int padId() {
        return specials.getOrDefault(BpeTrainer.PAD, -1);
    }

    /** Id of a special token, or -1. */
    public int specialId(String token) {
        return specials.getOrDefault(token, -1);
    }

    /** Encodes a text; an empty text gives no tokens. */
    public Encoding encode(String text) {
        if (text.isEmpty()) {
            return new Encoding(new int[0], new int[0], new int[0]);
        }
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text, false, false);
        return convert(e, text);
    }

    /** Encodes texts in one native call. */
    public List<Encoding> encode(List<String> texts) {
        return texts.stream().map(this::encode).toList();
    }

    // The native library reports offsets in Unicode code points; Java strings index UTF-16 units.
    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e, String text) {
        int cps = text.codePointCount(0, text.length());
        int[] utf16 = new int[cps + 1];
        for (int cp = 0, i = 0; cp < cps; cp++) {
            utf16[cp] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        utf16[cps] = text.length();
        long[] ids = e.getIds();
        CharSpan[] spans = e.getCharTokenSpans();
        int n = ids.length;
        int[] out = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int prevEnd = 0;
        for (int i = 0; i < n; i++) {
            out[i] = Math.toIntExact(ids[i]);
            CharSpan s = spans == null || i >= spans.length ? null : spans[i];
            // A token inside a multi-byte character has no span of its own: give it the empty span at the
            // previous end, so offsets stay monotone.
            int st = s == null ? prevEnd : Math.max(utf16[Math.min(s.getStart(), cps)], prevEnd);
            int en = s == null ? prevEnd : Math.max(utf16[Math.min(s.getEnd(), cps)], st);
            starts[i] = st;
            ends[i] = en;
            prevEnd = en;
        }
        return new Encoding(out, starts, ends);
    }

    /** Number of tokens of a text. */
    public int count(String text) {
        return encode(text).size();
    }

    /** Decodes ids to text (special tokens kept). */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
