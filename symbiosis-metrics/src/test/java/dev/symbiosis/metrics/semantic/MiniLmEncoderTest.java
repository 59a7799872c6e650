package dev.symbiosis.metrics.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEncoderTest {

    private static MiniLmEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = MiniLmEncoder.builder().batchSize(4).threads(2).build();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static double dot(Embeddings e, int i, int j) {
        double s = 0;
        for (int k = 0; k < e.dimension(); k++) {
            s += e.get(i, k) * e.get(j, k);
        }
        return s;
    }

    @Test
    void reproducesTheReferenceCosines() {
        Embeddings e = encoder.encode(List.of("The cat sits on the mat.", "A kitten is resting on a rug.",
                "Quarterly revenue grew by eleven percent in the bond market."));
        assertEquals(3, e.size());
        assertEquals(384, e.dimension());
        assertEquals(0.641, dot(e, 0, 1), 0.01);
        assertTrue(Math.abs(dot(e, 0, 2)) < 0.15, "unrelated sentences: " + dot(e, 0, 2));
        assertTrue(e.isUnitNorm(1e-5));
    }

    @Test
    void batchedAndSingleEncodingsAgree() {
        List<String> texts = List.of("Short.", "A somewhat longer sentence with more word pieces in it.",
                "Medium length text here.", "x", "", "Another sentence about the weather in spring.");
        Embeddings batched = encoder.encode(texts);
        try (MiniLmEncoder noCache = MiniLmEncoder.builder().batchSize(1).cacheCapacity(0).threads(2).build()) {
            for (int i = 0; i < texts.size(); i++) {
                Embeddings single = noCache.encode(List.of(texts.get(i)));
                for (int j = 0; j < 384; j++) {
                    assertEquals(single.get(0, j), batched.get(i, j), 1e-5, "text " + i + " coordinate " + j);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertTrue(batched.isUnitNorm(1e-5));
    }

    @Test
    void cachesByTextAndEncodesDuplicatesOnce() {
        String t = "A sentence seen twice, " + System.nanoTime();
        long before = encoder.cache().misses();
        Embeddings e = encoder.encode(List.of(t, t, "unrelated filler " + System.nanoTime()));
        assertEquals(e.row(0)[7], e.row(1)[7]);
        assertEquals(before + 3, encoder.cache().misses());
        long hits = encoder.cache().hits();
        Embeddings again = encoder.encode(List.of(t));
        assertEquals(hits + 1, encoder.cache().hits());
        for (int j = 0; j < 384; j++) {
            assertEquals(e.get(0, j), again.get(0, j));
        }
    }

    @Test
    void identicalTextsHaveCosineDistanceZeroAndVariedTextsDoNot() {
        List<String> same = java.util.Collections.nCopies(12, "The committee will meet again on Tuesday.");
        assertEquals(0, CosineDistances.meanPairwiseDistance(encoder.encode(same)), 1e-6);
        assertEquals(1, VendiScore.of(encoder.encode(same)), 1e-6);
        List<String> varied = List.of("The committee will meet again on Tuesday.", "Bake the bread for forty minutes.",
                "Penguins cannot fly but swim well.", "The stock fell after the earnings call.",
                "She tuned the violin before the concert.", "Rain is expected over the weekend.");
        double d = CosineDistances.meanPairwiseDistance(encoder.encode(varied));
        assertTrue(d > 0.7 && d < 1.2, "unrelated sentences: " + d);
    }

    @Test
    void emptyListGivesEmptyMatrix() {
        Embeddings e = encoder.encode(List.of());
        assertEquals(0, e.size());
        assertEquals(384, e.dimension());
    }

    @Test
    void truncatesLongTexts() {
        String longText = "word ".repeat(2000);
        Embeddings e = encoder.encode(List.of(longText));
        assertTrue(e.isUnitNorm(1e-5));
    }

    @Test
    void modelFilesAreCopiedOnceIntoAFixedFolder() throws Exception {
        Path a = MiniLmFiles.ensure(null);
        Path b = MiniLmFiles.ensure(null);
        assertEquals(a, b);
        assertTrue(a.getFileName().toString().matches("minilm-[0-9a-f]{12}"));
        assertTrue(Files.size(a.resolve(MiniLmFiles.ONNX_FILE)) > 80_000_000L);
        try (var s = Files.list(a)) {
            assertEquals(2, s.count(), "no leftover temporary files");
        }
    }

    @Test
    void closedEncoderRefuses() throws Exception {
        MiniLmEncoder e = MiniLmEncoder.builder().threads(1).build();
        e.close();
        e.close();
        assertThrows(IllegalStateException.class, () -> e.encode(List.of("a")));
    }
}
