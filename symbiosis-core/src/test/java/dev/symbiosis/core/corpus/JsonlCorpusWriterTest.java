package dev.symbiosis.core.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlCorpusWriterTest {

    @TempDir
    Path dir;

    private static final List<Document> DOCS = List.of(
            new Document("d1", "Line one\nline two \"quoted\" \\ tab\t é 😀 \u2028", Provenance.of("real:austen")),
            new Document("d2", "x", new Provenance("generator-0", 4,
                    ImmutableSortedMap.of("prompt", "p-7", "temperature", "0.8"))),
            new Document("d3", "  leading space", Provenance.of("s", 0)));

    @Test
    void roundTripsPlainAndGzip() throws IOException {
        for (String name : List.of("out.jsonl", "out.jsonl.gz")) {
            Path p = dir.resolve("sub").resolve(name);
            assertEquals(3, JsonlCorpusWriter.writeAll(p, DOCS));
            try (JsonlCorpusReader r = JsonlCorpusReader.open(p)) {
                assertEquals(DOCS, r.readAll());
            }
        }
        assertEquals("{\"id\":\"d2\",\"text\":\"x\",\"source\":\"generator-0\",\"iteration\":4,\"prompt\":\"p-7\","
                + "\"temperature\":\"0.8\"}", JsonlCorpusWriter.toJson(DOCS.get(1)));
        String first = Files.readAllLines(dir.resolve("sub/out.jsonl"), StandardCharsets.UTF_8).get(0);
        assertTrue(first.startsWith("{\"id\":\"d1\",\"text\":\"Line one\\nline two"), first);
    }

    @Test
    void uncommittedWriteLeavesTheTargetAlone() throws IOException {
        Path p = dir.resolve("keep.jsonl");
        JsonlCorpusWriter.writeAll(p, DOCS.subList(0, 1));
        String before = Files.readString(p);
        try (JsonlCorpusWriter w = JsonlCorpusWriter.open(p)) {
            w.write(DOCS.get(1));
            // no commit: as if the run crashed here
        }
        assertEquals(before, Files.readString(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file is left behind");
        }
        JsonlCorpusWriter w = JsonlCorpusWriter.open(p);
        w.commit();
        assertThrows(IllegalStateException.class, () -> w.write(DOCS.get(0)));
        assertEquals("", Files.readString(p));
    }

    @Test
    void reservedAttributeNamesAreRefused() {
        Document d = new Document("a", "t", Provenance.of("s").with("iteration", "3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonlCorpusWriter.toJson(d));
        assertTrue(e.getMessage().contains("'iteration'"));
        Document d2 = new Document("a", "t", Provenance.of("s").with("id", "3"));
        assertThrows(IllegalArgumentException.class, () -> JsonlCorpusWriter.toJson(d2));
        assertFalse(JsonlCorpusWriter.toJson(DOCS.get(0)).contains("iteration"));
    }

    @Provide
    Arbitrary<List<Document>> documents() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(80)
                .filter(s -> !s.isBlank() && s.equals(new String(s.getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.UTF_8)));
        Arbitrary<String> word = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        Arbitrary<Document> doc = net.jqwik.api.Combinators.combine(word, text, word,
                        Arbitraries.integers().between(-1, 50), word.map(w -> "k" + w), text)
                .as((id, t, src, it, k, v) -> new Document(id, t, new Provenance(src, it, ImmutableSortedMap.of(k, v))));
        return doc.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 40)
    void anyDocumentsRoundTrip(@ForAll("documents") List<Document> docs) throws IOException {
        Path p = Files.createTempFile("symbiosis-rt", ".jsonl"); // jqwik does not inject @TempDir
        try {
            JsonlCorpusWriter.writeAll(p, new ArrayList<>(docs));
            try (JsonlCorpusReader r = JsonlCorpusReader.open(p)) {
                assertEquals(docs, r.readAll());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
