package dev.symbiosis.djl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.tokenizer.BpeTokenizer.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

    /** Trained once per JVM and shared by the JUnit and jqwik tests (which have separate lifecycles). */
    private static final Path TRAINED_FILE = trainOnce();
    private static final BpeTokenizer TRAINED = load(TRAINED_FILE);

    private static Path trainOnce() {
        try {
            Path dir = Files.createTempDirectory("bpe-test");
            Path file = dir.resolve("tokenizer.json");
            new BpeTrainer(500).trainAndWrite(TestCorpus.texts(300), file);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BpeTokenizer load(Path file) {
        try {
            return BpeTokenizer.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path gpt2File() {
        try {
            return Path.of(BpeTokenizerTest.class.getResource("/tokenizer/gpt2/tokenizer.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // properties

    @Provide
    Arbitrary<String> unicodeTexts() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E).map(Character::toString)),
                Tuple.of(2, Arbitraries.of(" ", "\n", "\t", "\r\n", "  ", "\u00a0", "\u3000", "\u2028")),
                Tuple.of(2, Arbitraries.integers().between(0xA0, 0x24F).map(Character::toString)),
                Tuple.of(1, Arbitraries.integers().between(0x4E00, 0x9FFF).map(Character::toString)),
                Tuple.of(2, Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xD7FF).map(Character::toString)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF).map(Character::toString)),
                Tuple.of(2, Arbitraries.of(" the", " sea", "shells", "don't", " 1999", "Café", "東京",
                        BpeTrainer.END_OF_TEXT, BpeTrainer.PAD)));
        return piece.list().ofMaxSize(40).map(list -> String.join("", list));
    }

    @Property(tries = 200)
    void decodeOfEncodeIsTheText(@ForAll("unicodeTexts") String text) {
        Encoding e = TRAINED.encode(text);
        assertEquals(text, TRAINED.decode(e.ids()));
        for (int id : e.ids()) {
            assertTrue(id >= 0 && id < TRAINED.vocabSize(), "id " + id);
        }
    }

    @Property(tries = 200)
    void offsetsCoverTheTextInOrder(@ForAll("unicodeTexts") String text) {
        checkOffsets(TRAINED, text, TRAINED.encode(text));
    }

    @Property(tries = 50)
    void gpt2OffsetsCoverTheTextInOrder(@ForAll("unicodeTexts") String text) {
        checkOffsets(Gpt2Holder.TOKENIZER, text, Gpt2Holder.TOKENIZER.encode(text));
        assertEquals(text, Gpt2Holder.TOKENIZER.decode(Gpt2Holder.TOKENIZER.encode(text).ids()));
    }

    /** Spans tile the text in order; a token that is whole characters spans exactly its own text. */
    static void checkOffsets(BpeTokenizer tokenizer, String text, Encoding e) {
        String where = " in " + e + " of \"" + text + "\"";
        if (text.isEmpty()) {
            assertEquals(0, e.size());
            return;
        }
        assertTrue(e.size() > 0);
        assertEquals(0, e.start(0), "first start" + where);
        assertEquals(text.length(), e.end(e.size() - 1), "last end" + where);
        for (int i = 0; i < e.size(); i++) {
            int s = e.start(i);
            int end = e.end(i);
            assertTrue(0 <= s && s < end && end <= text.length(), "span " + i + where);
            assertTrue(!splitsSurrogatePair(text, s) && !splitsSurrogatePair(text, end), "span " + i + where);
            if (i > 0) {
                assertTrue(s >= e.start(i - 1) && end >= e.end(i - 1), "monotone at " + i + where);
                assertTrue(s <= e.end(i - 1), "no gap before " + i + where);
            }
            String own = tokenText(tokenizer, e.id(i));
            if (own != null) {
                assertEquals(own, text.substring(s, end), "token " + i + where);
                if (i > 0) {
                    assertEquals(e.end(i - 1), s, "a whole-character token starts where the previous ends" + where);
                }
            }
        }
    }

    private static boolean splitsSurrogatePair(String text, int index) {
        return index > 0 && index < text.length() && Character.isHighSurrogate(text.charAt(index - 1))
                && Character.isLowSurrogate(text.charAt(index));
    }

    /** The token's text if its bytes are whole UTF-8 characters, else null. */
    private static String tokenText(BpeTokenizer tokenizer, int id) {
        String token = tokenizer.idToToken(id);
        if (id == tokenizer.eosId() || id == tokenizer.padId()) {
            return token;
        }
        byte[] bytes = ByteLevel.decodeToBytes(token);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException partial) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // trained tokenizer

    @Test
    void trainedTokenizerReportsItsVocabulary() {
        assertEquals(500, TRAINED.vocabSize());
        assertEquals(498, TRAINED.eosId());
        assertEquals(499, TRAINED.padId());
        assertEquals(498, TRAINED.specialId(BpeTrainer.END_OF_TEXT));
        assertEquals(ByteLevel.byteToSymbol(' '), TRAINED.tokenToId("Ġ"));
        assertEquals(-1, TRAINED.tokenToId("no such token"));
        assertEquals(1, TRAINED.count(" the"), "a frequent word is one token");
        String text = TestCorpus.texts(1).get(0);
        assertTrue(TRAINED.count(text) < text.length() / 2, "merges compress the training text");
        assertArrayEquals(new int[] {TRAINED.encodeIds("a")[0], 498, TRAINED.encodeIds("b")[0]},
                TRAINED.encodeIds("a" + BpeTrainer.END_OF_TEXT + "b"), "special tokens in the text stay whole");
    }

    @Test
    void offsetsOfAccentsCjkAndEmojiAreUtf16() {
        String text = "Café 東京 😀🎉 naïve";
        Encoding e = TRAINED.encode(text);
        checkOffsets(TRAINED, text, e);
        // the emoji pair: every token overlapping it spans whole surrogate pairs
        int emoji = text.indexOf("😀");
        for (int i = 0; i < e.size(); i++) {
            if (e.start(i) <= emoji && e.end(i) > emoji) {
                assertTrue(e.end(i) >= emoji + 2, e.toString());
            }
        }
        int last = e.size() - 1;
        assertEquals("ve", text.substring(e.start(last), e.end(last)).substring(
                Math.max(0, e.end(last) - e.start(last) - 2)));
    }

    @Test
    void batchEncodingEqualsOneByOne() {
        List<String> texts = List.of("Hello there", "", "東京 😀", "Don't stop", TestCorpus.texts(3).get(2));
        List<Encoding> batch = TRAINED.encodeBatch(texts);
        assertEquals(texts.size(), batch.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(TRAINED.encode(texts.get(i)), batch.get(i), texts.get(i));
        }
        assertEquals(batch, TRAINED.encode(texts));
        assertEquals(List.of(), TRAINED.encodeBatch(List.of()));
    }

    @Test
    void decodeRejectsUnknownIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TRAINED.decode(new int[] {1, 500}));
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TRAINED.decode(new int[] {-1}));
        assertEquals("", TRAINED.decode(new int[0]));
    }

    /** With a normalizer the tokens no longer spell the text: offsets come from the native spans. */
    @Test
    void nativeSpansAreConvertedToUtf16(@TempDir Path tmp) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(TRAINED_FILE.toFile());
        root.putObject("normalizer").put("type", "Lowercase");
        Path lower = tmp.resolve("lower.json");
        mapper.writeValue(lower.toFile(), root);
        try (BpeTokenizer t = BpeTokenizer.load(lower)) {
            String text = "HELLO 😀 東京 The SEA";
            Encoding e = t.encode(text);
            assertEquals(text.toLowerCase(java.util.Locale.ROOT), t.decode(e.ids()));
            assertEquals(0, e.start(0));
            assertEquals(text.length(), e.end(e.size() - 1));
            for (int i = 1; i < e.size(); i++) {
                assertTrue(e.start(i) >= e.start(i - 1) && e.end(i) >= e.end(i - 1) && e.start(i) <= e.end(i - 1),
                        e.toString());
            }
            int last = e.size() - 1;
            assertEquals(" SEA", text.substring(e.start(last), e.end(last)), e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // GPT-2

    private static final class Gpt2Holder {
        static final BpeTokenizer TOKENIZER = load(gpt2File());
    }

    @Test
    void gpt2TokenizerGivesGpt2Ids() throws IOException {
        BpeTokenizer t = Gpt2Holder.TOKENIZER;
        assertEquals(50257, t.vocabSize());
        assertEquals(50256, t.eosId());
        assertEquals(-1, t.padId());
        assertEquals(995, t.tokenToId("Ġworld"));
        assertArrayEquals(new int[] {15496, 995}, t.encode("Hello world").ids());
        assertArrayEquals(new int[] {31373}, t.encode("hello").ids());
        assertArrayEquals(new int[] {995}, t.encode(" world").ids());
        assertArrayEquals(new int[] {15496, 11, 616, 3290, 318, 13779}, t.encode("Hello, my dog is cute").ids());
        assertArrayEquals(new int[] {464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13},
                t.encode("The quick brown fox jumps over the lazy dog.").ids());
        assertArrayEquals(new int[] {383, 2068, 7586, 21831}, t.encode(" The quick brown fox").ids());
        assertArrayEquals(new int[] {64, 50256, 65}, t.encode("a<|endoftext|>b").ids());
        assertEquals("Hello world", t.decode(new int[] {15496, 995}));

        // the same ids as an independent implementation of the reference encoder's algorithm
        Gpt2Reference reference = new Gpt2Reference(gpt2File());
        for (String s : List.of("Hello world", "The quick brown fox jumps over the lazy dog.",
                "It was the best of times,\nit was the worst of times.  ", "Café naïve 東京 😀🎉 don't we'll 1234",
                "Hello, my dog is cute", "    indented code();\n\n\tx = y + 42")) {
            assertArrayEquals(reference.encode(s), t.encode(s).ids(), s);
        }
    }

    @Test
    void gpt2OffsetsIncludeTheLeadingSpace() {
        Encoding e = Gpt2Holder.TOKENIZER.encode("Hello world");
        assertArrayEquals(new int[] {0, 5}, e.starts());
        assertArrayEquals(new int[] {5, 11}, e.ends());
        String text = "héllo 😀 ok";
        checkOffsets(Gpt2Holder.TOKENIZER, text, Gpt2Holder.TOKENIZER.encode(text));
    }

    // ---------------------------------------------------------------------------------------------------------
    // broken files

    @Test
    void missingFileIsNamed(@TempDir Path tmp) {
        Path missing = tmp.resolve("missing-tokenizer.json");
        IOException e = assertThrows(NoSuchFileException.class, () -> BpeTokenizer.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"),
                e.getMessage());
        IOException dir = assertThrows(IOException.class, () -> BpeTokenizer.load(tmp));
        assertTrue(dir.getMessage().contains("directory"), dir.getMessage());
    }

    @Test
    void brokenJsonGivesLineAndColumn(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad-tokenizer.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"BPE\",\n  \"vocab\": {\"a\": 0,}}}");
        IOException e = assertThrows(IOException.class, () -> BpeTokenizer.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON at line 2, column"), e.getMessage());

        Path truncated = tmp.resolve("truncated.json");
        byte[] full = Files.readAllBytes(TRAINED_FILE);
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        IOException t = assertThrows(IOException.class, () -> BpeTokenizer.load(truncated));
        assertTrue(t.getMessage().contains("truncated.json") && t.getMessage().contains("not valid JSON"),
                t.getMessage());

        Path empty = tmp.resolve("empty.json");
        Files.writeString(empty, "");
        assertTrue(assertThrows(IOException.class, () -> BpeTokenizer.load(empty)).getMessage().contains("empty"));
    }

    @Test
    void wrongStructureIsExplained(@TempDir Path tmp) throws IOException {
        assertLoadFails(tmp, "[1, 2]", "must hold a JSON object");
        assertLoadFails(tmp, "{\"hello\": 1}", "no \"model\" object");
        assertLoadFails(tmp, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}}",
                "WordPiece model, expected BPE");
        assertLoadFails(tmp, "{\"model\": {\"type\": \"BPE\", \"merges\": []}}", "no \"model.vocab\"");
        assertLoadFails(tmp, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}", "no \"model.merges\"");
        assertLoadFails(tmp, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"x\"}, \"merges\": []}}",
                "model.vocab[\"a\"] must be a non-negative integer id");
        assertLoadFails(tmp, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 0}, \"merges\": []}}",
                "gives id 0 to both");
        // an id no table can be allocated for (found by ConfigAndTokenizerFuzzTest: NegativeArraySizeException)
        assertLoadFails(tmp, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 2147483647}, "
                + "\"merges\": []}}", "model.vocab[\"b\"] = 2147483647 is beyond the largest supported id");
        assertLoadFails(tmp, "{\"added_tokens\": [{\"id\": 2147483647, \"content\": \"<|pad|>\"}], \"model\": "
                + "{\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}",
                "added_tokens[0].id = 2147483647 is beyond");
        // valid JSON the native library rejects: a merge of unknown tokens
        assertLoadFails(tmp, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [\"x y\"]}}",
                "rejected by Hugging Face tokenizers");
    }

    private static void assertLoadFails(Path tmp, String json, String expected) throws IOException {
        Path file = tmp.resolve("t" + Math.abs(json.hashCode()) + ".json");
        Files.writeString(file, json);
        IOException e = assertThrows(IOException.class, () -> BpeTokenizer.load(file), json);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected),
                "expected '" + expected + "' in: " + e.getMessage());
    }
}
