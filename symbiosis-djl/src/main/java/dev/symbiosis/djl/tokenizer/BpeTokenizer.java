package dev.symbiosis.djl.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BPE tokenizer read from a Hugging Face {@code tokenizer.json} (for example one written by {@link BpeTrainer},
 * or GPT-2's), run by DJL's {@link HuggingFaceTokenizer} offline with truncation and padding off and no special
 * tokens added: {@code encode} returns exactly the tokens of the text, special tokens only where the text spells
 * them out.
 *
 * <p>Offsets are UTF-16 char offsets into the Java string (see {@link Encoding}). For byte-level tokenizers
 * without a normalizer they are computed from the tokens' bytes, which is exact whatever offsets the native
 * library reports; otherwise the native library's character (code point) offsets are converted to UTF-16.
 *
 * <p>Thread-safe for encoding and decoding; {@link #close()} frees the native tokenizer.
 */
public final class BpeTokenizer implements AutoCloseable {

    /**
     * Token ids of a text with each token's span in the text: {@code text.substring(start(i), end(i))}, in UTF-16
     * char offsets of the Java string.
     *
     * <p>Spans are in order (starts and ends never decrease) and tile the text: the first starts at 0, the last ends
     * at its length, and each starts no later than the previous one ends. When a token holds only part of a
     * character's UTF-8 bytes (byte-level BPE can split an emoji or a CJK character), the span widens to the whole
     * character, so neighbouring spans may overlap on that character; a surrogate pair is never cut.
     */
    public static final class Encoding {

        private final int[] ids;
        private final int[] starts;
        private final int[] ends;

        /** Copies the three arrays, which must have the same length. */
        public Encoding(int[] ids, int[] starts, int[] ends) {
            if (ids.length != starts.length || ids.length != ends.length) {
                throw new IllegalArgumentException("ids, starts and ends differ in length: " + ids.length + ", "
                        + starts.length + ", " + ends.length);
            }
            this.ids = ids.clone();
            this.starts = starts.clone();
            this.ends = ends.clone();
        }

        /** Number of tokens. */
        public int size() {
            return ids.length;
        }

        /** A copy of the token ids. */
        public int[] ids() {
            return ids.clone();
        }

        /** A copy of the start offsets (inclusive, UTF-16 chars). */
        public int[] starts() {
            return starts.clone();
        }

        /** A copy of the end offsets (exclusive, UTF-16 chars). */
        public int[] ends() {
            return ends.clone();
        }

        /** The id of token {@code i}. */
        public int id(int i) {
            return ids[i];
        }

        /** The start offset of token {@code i}. */
        public int start(int i) {
            return starts[i];
        }

        /** The end offset of token {@code i}. */
        public int end(int i) {
            return ends[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoding
                    && Arrays.equals(ids, ((Encoding) o).ids)
                    && Arrays.equals(starts, ((Encoding) o).starts)
                    && Arrays.equals(ends, ((Encoding) o).ends);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(starts)) + Arrays.hashCode(ends);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Encoding[");
            for (int i = 0; i < ids.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(ids[i]).append('@').append(starts[i]).append('-').append(ends[i]);
            }
            return sb.append(']').toString();
        }
    }

    /** Options passed to DJL: nothing truncated, nothing padded, no special tokens added. */
    static final Map<String, String> OPTIONS =
            Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");

    private final Path file;
    private final HuggingFaceTokenizer hf;
    private final Map<String, Integer> tokenIds;
    private final String[] idToToken;
    /** UTF-8 bytes of each id's token, or null where the token is not byte-level text. */
    private final byte[][] tokenBytes;
    private final boolean byteLevel;
    private final Map<String, Integer> added;
    private final int vocabSize;
    private final int eosId;
    private final int padId;

    private BpeTokenizer(Path file, HuggingFaceTokenizer hf, Map<String, Integer> tokenIds, Map<String, Integer> added,
            boolean byteLevel) {
        this.file = file;
        this.hf = hf;
        this.tokenIds = tokenIds;
        int max = -1;
        for (int id : tokenIds.values()) {
            max = Math.max(max, id);
        }
        this.vocabSize = max + 1;
        this.idToToken = new String[vocabSize];
        for (Map.Entry<String, Integer> e : tokenIds.entrySet()) {
            idToToken[e.getValue()] = e.getKey();
        }
        this.byteLevel = byteLevel;
        this.tokenBytes = new byte[vocabSize][];
        if (byteLevel) {
            for (int id = 0; id < vocabSize; id++) {
                String t = idToToken[id];
                if (t != null) {
                    tokenBytes[id] = ByteLevel.decodeToBytes(t);
                }
            }
            for (Map.Entry<String, Integer> e : added.entrySet()) {
                tokenBytes[e.getValue()] = e.getKey().getBytes(StandardCharsets.UTF_8);
            }
        }
        this.added = Map.copyOf(added);
        this.eosId = added.getOrDefault(BpeTrainer.END_OF_TEXT, -1);
        this.padId = added.getOrDefault(BpeTrainer.PAD, -1);
    }

    /**
     * Loads {@code tokenizerJson}.
     *
     * @throws IOException naming the file if it is missing, unreadable, not JSON (with line and column), not a BPE
     *     tokenizer, or rejected by the native library
     */
    public static BpeTokenizer load(Path tokenizerJson) throws IOException {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        if (!Files.exists(tokenizerJson)) {
            throw new NoSuchFileException(tokenizerJson.toString(), null, "tokenizer file not found");
        }
        if (Files.isDirectory(tokenizerJson)) {
            throw new IOException("Tokenizer file " + tokenizerJson + " is a directory, expected a tokenizer.json");
        }
        byte[] bytes = Files.readAllBytes(tokenizerJson);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new IOException("Tokenizer file " + tokenizerJson + " is not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e);
        } catch (java.io.CharConversionException e) {
            // binary input whose first bytes look like UTF-32 to Jackson's encoding detection
            throw new IOException("Tokenizer file " + tokenizerJson + " is not a JSON text in UTF-8: "
                    + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IOException("Tokenizer file " + tokenizerJson + " is empty");
        }
        if (!root.isObject()) {
            throw new IOException("Tokenizer file " + tokenizerJson + " must hold a JSON object, found "
                    + root.getNodeType());
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new IOException("Tokenizer file " + tokenizerJson + " has no \"model\" object");
        }
        JsonNode type = model.get("type");
        if (type != null && !"BPE".equals(type.asText())) {
            throw new IOException("Tokenizer file " + tokenizerJson + " holds a " + type.asText()
                    + " model, expected BPE");
        }
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject() || vocab.size() == 0) {
            throw new IOException("Tokenizer file " + tokenizerJson + " has no \"model.vocab\" object of tokens");
        }
        JsonNode merges = model.get("merges");
        if (merges == null || !merges.isArray()) {
            throw new IOException("Tokenizer file " + tokenizerJson + " has no \"model.merges\" array");
        }
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        Map<Integer, String> byId = new HashMap<>(vocab.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = requireId(tokenizerJson, "model.vocab[\"" + e.getKey() + "\"]", e.getValue());
            String previous = byId.put(id, e.getKey());
            if (previous != null) {
                throw new IOException("Tokenizer file " + tokenizerJson + " gives id " + id + " to both \""
                        + previous + "\" and \"" + e.getKey() + "\"");
            }
            ids.put(e.getKey(), id);
        }
        Map<String, Integer> added = new HashMap<>();
        JsonNode addedTokens = root.get("added_tokens");
        if (addedTokens != null && !addedTokens.isNull()) {
            if (!addedTokens.isArray()) {
                throw new IOException("Tokenizer file " + tokenizerJson + ": \"added_tokens\" must be an array");
            }
            for (int i = 0; i < addedTokens.size(); i++) {
                JsonNode t = addedTokens.get(i);
                JsonNode content = t.get("content");
                if (content == null || !content.isTextual()) {
                    throw new IOException("Tokenizer file " + tokenizerJson + ": added_tokens[" + i
                            + "] has no \"content\" string");
                }
                int id = requireId(tokenizerJson, "added_tokens[" + i + "].id", t.get("id"));
                String other = byId.get(id);
                if (other != null && !other.equals(content.asText())) {
                    throw new IOException("Tokenizer file " + tokenizerJson + ": added token \"" + content.asText()
                            + "\" has id " + id + ", which the vocabulary gives to \"" + other + "\"");
                }
                byId.put(id, content.asText());
                ids.put(content.asText(), id);
                added.put(content.asText(), id);
            }
        }
        JsonNode normalizer = root.get("normalizer");
        JsonNode decoder = root.get("decoder");
        boolean byteLevel = (normalizer == null || normalizer.isNull())
                && decoder != null && "ByteLevel".equals(decoder.path("type").asText());

        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), OPTIONS);
        } catch (RuntimeException e) {
            throw new IOException("Tokenizer file " + tokenizerJson + " is rejected by Hugging Face tokenizers: "
                    + e.getMessage(), e);
        }
        return new BpeTokenizer(tokenizerJson, hf, ids, added, byteLevel);
    }

    /**
     * Largest id accepted: ids index tables of {@code max id + 1} entries (here and in the model's embedding), and
     * the largest real vocabularies have a few hundred thousand entries.
     */
    static final int MAX_ID = (1 << 24) - 1;

    private static int requireId(Path file, String where, JsonNode node) throws IOException {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            throw new IOException("Tokenizer file " + file + ": " + where + " must be a non-negative integer id, found "
                    + node);
        }
        if (node.intValue() > MAX_ID) {
            throw new IOException("Tokenizer file " + file + ": " + where + " = " + node.intValue()
                    + " is beyond the largest supported id " + MAX_ID);
        }
        return node.intValue();
    }

    /** The file this tokenizer was read from. */
    public Path file() {
        return file;
    }

    /** Encodes {@code text}: ids and UTF-16 spans, no special tokens added, nothing truncated. */
    public Encoding encode(String text) {
        Objects.requireNonNull(text, "text");
        ai.djl.huggingface.tokenizers.Encoding e = hf.encode(text, false, false);
        return toEncoding(text, e);
    }

    /** Encodes each text (natively in parallel); same result as {@link #encode} text by text. */
    public List<Encoding> encodeBatch(List<String> texts) {
        String[] array = texts.toArray(new String[0]);
        for (int i = 0; i < array.length; i++) {
            Objects.requireNonNull(array[i], "texts[" + i + "]");
        }
        if (array.length == 0) {
            return List.of();
        }
        ai.djl.huggingface.tokenizers.Encoding[] encodings = hf.batchEncode(array, false, false);
        List<Encoding> out = new ArrayList<>(array.length);
        for (int i = 0; i < array.length; i++) {
            out.add(toEncoding(array[i], encodings[i]));
        }
        return out;
    }

    /** Same as {@link #encodeBatch}. */
    public List<Encoding> encode(List<String> texts) {
        return encodeBatch(texts);
    }

    /** The number of tokens of {@code text}. */
    public int count(String text) {
        return encodeIds(text).length;
    }

    /** The ids of {@code text}; same as {@code encode(text).ids()}. */
    public int[] encodeIds(String text) {
        Objects.requireNonNull(text, "text");
        return toInts(hf.encode(text, false, false).getIds());
    }

    /**
     * Decodes {@code ids} to text, special tokens included. For byte-level tokenizers
     * {@code decode(encode(s).ids())} equals {@code s} for every well-formed string.
     *
     * @throws IllegalArgumentException if an id is outside {@code [0, vocabSize())}
     */
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize || idToToken[ids[i]] == null) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is not in the vocabulary of " + file + " (size " + vocabSize + ")");
            }
            longs[i] = ids[i];
        }
        return hf.decode(longs, false);
    }

    /** One more than the largest id: the size of an embedding table covering every token. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Whether {@code id} is an added (special) token of the file, such as {@code <|endoftext|>}. */
    public boolean isAddedToken(int id) {
        return added.containsValue(id);
    }

    /** The id of the added token {@code <|endoftext|>}, or -1 if the file has none. */
    public int eosId() {
        return eosId;
    }

    /** The id of the added token {@code <|pad|>}, or -1 if the file has none. */
    public int padId() {
        return padId;
    }

    /** The id of added (special) token {@code token}, or -1 if the file does not add it. */
    public int specialId(String token) {
        return added.getOrDefault(token, -1);
    }

    /** The id of a token string (vocabulary or added token), or -1. */
    public int tokenToId(String token) {
        Integer id = tokenIds.get(token);
        return id == null ? -1 : id;
    }

    /** The token string of {@code id} (byte-level characters for byte-level BPE), or null if no token has it. */
    public String idToToken(int id) {
        return id >= 0 && id < vocabSize ? idToToken[id] : null;
    }

    @Override
    public void close() {
        hf.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // offsets

    private Encoding toEncoding(String text, ai.djl.huggingface.tokenizers.Encoding e) {
        int[] ids = toInts(e.getIds());
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        if (!(byteLevel && byteOffsets(text, ids, starts, ends))) {
            charOffsets(text, e.getCharTokenSpans(), starts, ends);
        }
        return new Encoding(ids, starts, ends);
    }

    private static int[] toInts(long[] longs) {
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            ints[i] = Math.toIntExact(longs[i]);
        }
        return ints;
    }

    /**
     * Offsets from the tokens' bytes: the tokens' bytes concatenated are the text's UTF-8 bytes; each token's byte
     * range widens to whole characters. Returns false (leaving the arrays to be overwritten) if the tokens do not
     * spell the text byte for byte.
     */
    private boolean byteOffsets(String text, int[] ids, int[] starts, int[] ends) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int total = 0;
        for (int id : ids) {
            byte[] tb = id >= 0 && id < vocabSize ? tokenBytes[id] : null;
            if (tb == null || total + tb.length > utf8.length
                    || !Arrays.equals(utf8, total, total + tb.length, tb, 0, tb.length)) {
                return false;
            }
            total += tb.length;
        }
        if (total != utf8.length) {
            return false;
        }
        // for each UTF-8 byte: the UTF-16 start and end of its character
        int[] charStart = new int[utf8.length];
        int[] charEnd = new int[utf8.length];
        int b = 0;
        for (int j = 0; j < text.length(); ) {
            int cp = text.codePointAt(j);
            int units = Character.charCount(cp);
            int nBytes;
            if (cp < 0x80) {
                nBytes = 1;
            } else if (cp < 0x800) {
                nBytes = 2;
            } else if (Character.isSurrogate((char) cp) && units == 1) {
                nBytes = 1; // a lone surrogate: the JDK's encoder writes '?'
            } else if (cp < 0x10000) {
                nBytes = 3;
            } else {
                nBytes = 4;
            }
            for (int k = 0; k < nBytes; k++) {
                charStart[b + k] = j;
                charEnd[b + k] = j + units;
            }
            b += nBytes;
            j += units;
        }
        int pos = 0;
        for (int i = 0; i < ids.length; i++) {
            int len = tokenBytes[ids[i]].length;
            if (len == 0) {
                starts[i] = pos < utf8.length ? charStart[pos] : text.length();
                ends[i] = starts[i];
            } else {
                starts[i] = charStart[pos];
                ends[i] = charEnd[pos + len - 1];
            }
            pos += len;
        }
        return true;
    }

    /** Offsets from the native character spans (Unicode code points), converted to UTF-16 and made monotone. */
    private static void charOffsets(String text, CharSpan[] spans, int[] starts, int[] ends) {
        int codePoints = text.codePointCount(0, text.length());
        int[] utf16 = new int[codePoints + 1];
        for (int cp = 0, j = 0; cp < codePoints; cp++) {
            utf16[cp] = j;
            j += Character.charCount(text.codePointAt(j));
        }
        utf16[codePoints] = text.length();
        int prevStart = 0;
        int prevEnd = 0;
        for (int i = 0; i < starts.length; i++) {
            CharSpan span = spans == null || i >= spans.length ? null : spans[i];
            int s;
            int e;
            if (span == null) {
                s = prevEnd;
                e = prevEnd;
            } else {
                s = utf16[Math.max(0, Math.min(codePoints, span.getStart()))];
                e = utf16[Math.max(0, Math.min(codePoints, span.getEnd()))];
            }
            s = Math.max(s, prevStart);
            e = Math.max(e, Math.max(s, prevEnd));
            starts[i] = s;
            ends[i] = e;
            prevStart = s;
            prevEnd = e;
        }
    }
}
