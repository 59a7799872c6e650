package dev.symbiosis.djl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

    static final List<String> CORPUS = corpus();
    static List<String> corpus() {
        String base = "It is a truth universally acknowledged, that a single man in possession of a good fortune, "
                + "must be in want of a wife. The President shall, from time to time, give to the Congress "
                + "information of the state of the Union. Call me Ishmael. Caf\u00e9 na\u00efve \u2014 "
                + "\u6771\u4eac \ud83d\ude00 1234 don't we'll";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            out.add(base + " " + i);
        }
        return out;
    }

    /** Trained once per JVM; shared by JUnit and jqwik tests (which have separate lifecycles). */
    private static final BpeTokenizer trained = trainOnce();

    private static BpeTokenizer trainOnce() {
        try {
            Path dir = Files.createTempDirectory("bpe");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("tokenizer.json");
            new BpeTrainer(400).trainAndWrite(CORPUS, file);
            file.toFile().deleteOnExit();
            return BpeTokenizer.load(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 200)
    void anyTextRoundTripsAndOffsetsCoverItInOrder(@ForAll String text) {
        BpeTokenizer.Encoding e = trained.encode(text);
        assertEquals(text, trained.decode(e.ids()));
        int prev = 0;
        for (int i = 0; i < e.size(); i++) {
            assertTrue(e.starts()[i] >= prev && e.ends()[i] >= e.starts()[i] && e.ends()[i] <= text.length(),
                    "token " + i + " of " + text);
            prev = e.starts()[i];
        }
        for (int id : e.ids()) {
            assertTrue(id >= 0 && id < trained.vocabSize());
        }
    }

    @Test
    void offsetsSpanTheTokensText() {
        String text = "Café naïve 東京 😀 hello world";
        BpeTokenizer.Encoding e = trained.encode(text);
        StringBuilder joined = new StringBuilder();
        int end = 0;
        for (int i = 0; i < e.size(); i++) {
            if (e.starts()[i] >= end) {
                joined.append(text, e.starts()[i], e.ends()[i]);
                end = e.ends()[i];
            }
        }
        assertEquals(text, joined.toString(), "non-overlapping spans must tile the text");
    }

    @Test
    void trainingIsDeterministicAndRespectsTheVocabularySize(@TempDir Path tmp) throws IOException {
        new BpeTrainer(400).trainAndWrite(CORPUS, tmp.resolve("a.json"));
        new BpeTrainer(400).trainAndWrite(CORPUS, tmp.resolve("b.json"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.json")), Files.readAllBytes(tmp.resolve("b.json")));
        assertEquals(400, trained.vocabSize());
        assertEquals(398, trained.eosId());
        assertEquals(399, trained.padId());
        // merges make frequent words single tokens
        assertEquals(1, trained.encode(" of").size());
        String first = CORPUS.get(0);
        assertTrue(trained.encode(first).size() < first.length() / 3, "merges must compress the training text");
    }

    @Test
    void theGpt2TokenizerGivesGpt2Ids() throws IOException, URISyntaxException {
        Path gpt2 = Path.of(getClass().getResource("/tokenizer/gpt2/tokenizer.json").toURI());
        try (BpeTokenizer t = BpeTokenizer.load(gpt2)) {
            assertEquals(50257, t.vocabSize());
            assertEquals(50256, t.eosId());
            assertArrayEquals(new int[] {15496, 995}, t.encode("Hello world").ids());
            assertArrayEquals(new int[] {31373}, t.encode("hello").ids());
            assertArrayEquals(new int[] {995}, t.encode(" world").ids());
            assertArrayEquals(new int[] {464, 2068, 7586, 21831}, t.encode("The quick brown fox").ids());
            assertEquals("Hello world", t.decode(new int[] {15496, 995}));
        }
    }

    @Test
    void brokenFilesGiveErrorsNamingTheFile(@TempDir Path tmp) throws IOException {
        Path missing = tmp.resolve("missing.json");
        IOException e1 = assertThrows(IOException.class, () -> BpeTokenizer.load(missing));
        assertTrue(e1.getMessage().contains("missing.json"));
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"BPE\",\n  \"vocab\": {\"a\": 0,}}");
        IOException e2 = assertThrows(IOException.class, () -> BpeTokenizer.load(bad));
        assertTrue(e2.getMessage().contains("bad.json") && e2.getMessage().contains("line 2"), e2.getMessage());
        Path notTok = tmp.resolve("nottok.json");
        Files.writeString(notTok, "{\"hello\": 1}");
        assertTrue(assertThrows(IOException.class, () -> BpeTokenizer.load(notTok)).getMessage()
                .contains("no \"model\""));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(100).train(CORPUS));
    }
}
