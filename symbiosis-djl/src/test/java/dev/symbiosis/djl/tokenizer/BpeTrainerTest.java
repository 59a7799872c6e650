package dev.symbiosis.djl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    @TempDir
    Path dir;

    @Test
    void reachesTheVocabularySizeWithSpecialsLast() {
        BpeVocabulary v = new BpeTrainer(400).train(TestCorpus.texts(300));
        assertEquals(400, v.size());
        assertEquals(398, v.specialId(BpeTrainer.END_OF_TEXT));
        assertEquals(399, v.specialId(BpeTrainer.PAD));
        assertEquals(BpeTrainer.END_OF_TEXT, v.token(398));
        assertEquals("Ġ", v.token(v.id("Ġ")));
        assertEquals(ByteLevel.byteToSymbol(' '), v.id("Ġ"));
        assertEquals(0, v.id("!"), "byte ids follow GPT-2's order");
        // every merge is made of known tokens and produces a known token
        for (String m : v.merges()) {
            String[] parts = m.split(" ");
            assertEquals(2, parts.length, m);
            assertTrue(v.id(parts[0]) >= 0 && v.id(parts[1]) >= 0 && v.id(parts[0] + parts[1]) >= 0, m);
        }
        assertTrue(v.id("Ġthe") > 0, "a frequent word becomes a token");
    }

    @Test
    void incrementalCountsGiveTheSameMergesAsAFullRecount() {
        List<String> texts = new ArrayList<>(TestCorpus.texts(120));
        // overlapping pairs: runs of one symbol, alternating symbols
        texts.add("aaaa aaaaa aaa abababab xxxxxxxx ababa aaaa aaaaaaa");
        texts.add("mississippi mississippi banana bananas ananas");
        for (int minFrequency : new int[] {1, 3}) {
            BpeVocabulary fast = new BpeTrainer(600).optMinFrequency(minFrequency).train(texts);
            assertEquals(NaiveBpe.merges(texts, 600, 2, minFrequency), fast.merges(), "minFrequency " + minFrequency);
        }
    }

    @Test
    void sameCorpusGivesAByteIdenticalFile() throws Exception {
        Path a = dir.resolve("a/tokenizer.json");
        Path b = dir.resolve("b/tokenizer.json");
        new BpeTrainer(500).trainAndWrite(TestCorpus.texts(200), a);
        new BpeTrainer(500).trainAndWrite(TestCorpus.texts(200), b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        // and a different corpus gives a different file
        Path c = dir.resolve("c/tokenizer.json");
        new BpeTrainer(500).trainAndWrite(TestCorpus.texts(50), c);
        assertNotEquals(new String(Files.readAllBytes(a)), new String(Files.readAllBytes(c)));
        try (var files = Files.list(dir.resolve("a"))) {
            assertEquals(List.of(a), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writesAHuggingFaceTokenizerJson() throws Exception {
        Path out = dir.resolve("tokenizer.json");
        BpeVocabulary v = new BpeTrainer(300).trainAndWrite(TestCorpus.texts(100), out);
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertEquals("BPE", root.path("model").path("type").asText());
        assertEquals(v.size(), root.path("model").path("vocab").size());
        assertEquals(v.mergeCount(), root.path("model").path("merges").size());
        assertEquals("ByteLevel", root.path("pre_tokenizer").path("type").asText());
        assertEquals(false, root.path("pre_tokenizer").path("add_prefix_space").asBoolean(true));
        assertEquals("ByteLevel", root.path("decoder").path("type").asText());
        assertEquals("ByteLevel", root.path("post_processor").path("type").asText());
        JsonNode added = root.path("added_tokens");
        assertEquals(2, added.size());
        assertEquals(BpeTrainer.END_OF_TEXT, added.get(0).path("content").asText());
        assertEquals(v.specialId(BpeTrainer.END_OF_TEXT), added.get(0).path("id").asInt());
        assertTrue(added.get(1).path("special").asBoolean());
        Set<Integer> ids = new HashSet<>();
        root.path("model").path("vocab").elements().forEachRemaining(n -> ids.add(n.asInt()));
        assertEquals(v.size(), ids.size(), "ids are unique");
    }

    @Test
    void minFrequencyStopsMerging() {
        BpeVocabulary v = new BpeTrainer(5000).optMinFrequency(1_000_000).train(TestCorpus.texts(50));
        assertEquals(0, v.mergeCount());
        assertEquals(258, v.size());
        BpeVocabulary small = new BpeTrainer(5000).train(TestCorpus.texts(50));
        assertTrue(small.size() < 5000, "the corpus runs out of pairs seen twice before 5000 tokens");
    }

    @Test
    void specialTokensAreCutOutOfTheTexts() {
        List<String> withSpecials = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (String t : TestCorpus.texts(100)) {
            withSpecials.add(t + BpeTrainer.END_OF_TEXT + t + BpeTrainer.PAD);
            without.add(t);
            without.add(t);
        }
        BpeVocabulary a = new BpeTrainer(400).train(withSpecials);
        BpeVocabulary b = new BpeTrainer(400).train(without);
        assertEquals(b.merges(), a.merges());
        for (String m : a.merges()) {
            assertTrue(!m.contains("<|") && !m.contains("|>"), m);
        }
    }

    @Test
    void customSpecialTokensAndMaxInputChars() {
        List<String> texts = TestCorpus.texts(100);
        BpeVocabulary v = new BpeTrainer(300).optSpecialTokens(List.of("<s>", "</s>", "<unk>")).train(texts);
        assertEquals(List.of(297, 298, 299), List.of(v.specialId("<s>"), v.specialId("</s>"), v.specialId("<unk>")));
        assertEquals(-1, v.specialId(BpeTrainer.PAD));

        String joined = String.join("", texts);
        int limit = 1000;
        BpeVocabulary limited = new BpeTrainer(300).optMaxInputChars(limit).optMinFrequency(1).train(texts);
        BpeVocabulary prefix = new BpeTrainer(300).optMinFrequency(1).train(prefixTexts(texts, limit));
        assertEquals(prefix.merges(), limited.merges());
        assertTrue(joined.length() > limit);
    }

    private static List<String> prefixTexts(List<String> texts, int limit) {
        List<String> out = new ArrayList<>();
        int left = limit;
        for (String t : texts) {
            if (left <= 0) {
                break;
            }
            out.add(t.length() <= left ? t : t.substring(0, left));
            left -= t.length();
        }
        return out;
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(255));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(257).train(List.of("abc")));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(300).optMinFrequency(0));
        assertThrows(IllegalArgumentException.class,
                () -> new BpeTrainer(300).optSpecialTokens(List.of("<a>", "<a>")));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(300).optMaxInputChars(0));
    }

    @Test
    void reportsProgress() {
        List<String> phases = new ArrayList<>();
        new BpeTrainer(300).optProgressListener((phase, done, total) -> phases.add(phase))
                .train(TestCorpus.texts(20));
        assertTrue(phases.contains("read") && phases.contains("merge"), phases.toString());
    }

    /** 10 MB of Zipf-distributed pseudo-words to 4096 tokens: well under a minute on one core. */
    @Test
    @Tag("slow")
    void tenMegabytesToFourThousandTokensQuickly() {
        Random random = new Random(7);
        String[] lexicon = new String[20_000];
        String letters = "etaoinshrdlcumwfgypbvkjxqz";
        for (int i = 0; i < lexicon.length; i++) {
            StringBuilder w = new StringBuilder();
            int len = 2 + random.nextInt(9);
            for (int j = 0; j < len; j++) {
                w.append(letters.charAt((int) Math.min(25, Math.abs(random.nextGaussian()) * 7)));
            }
            lexicon[i] = w.toString();
        }
        List<String> texts = new ArrayList<>();
        long chars = 0;
        while (chars < 10_000_000) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 200; k++) {
                double u = random.nextDouble();
                int rank = (int) Math.min(lexicon.length - 1, Math.exp(u * Math.log(lexicon.length)) - 1);
                sb.append(k == 0 ? "" : random.nextInt(15) == 0 ? ". " : " ").append(lexicon[rank]);
            }
            texts.add(sb.toString());
            chars += sb.length();
        }
        long t0 = System.nanoTime();
        BpeVocabulary v = new BpeTrainer(4096).train(texts);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(4096, v.size());
        assertTrue(seconds < 60, "took " + seconds + " s");
    }
}
