package dev.symbiosis.core.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlCorpusReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static List<Document> read(Path p) throws IOException {
        return read(p, JsonlCorpusReader.Options.defaults());
    }

    private static List<Document> read(Path p, JsonlCorpusReader.Options o) throws IOException {
        try (JsonlCorpusReader r = JsonlCorpusReader.open(p, o)) {
            return r.readAll();
        }
    }

    private CorpusFormatException fails(String content, JsonlCorpusReader.Options o) throws IOException {
        Path p = file("bad.jsonl", content);
        return assertThrows(CorpusFormatException.class, () -> read(p, o));
    }

    private CorpusFormatException fails(String content) throws IOException {
        return fails(content, JsonlCorpusReader.Options.defaults());
    }

    private static void assertAt(CorpusFormatException e, long line, String fragment) {
        assertEquals(line, e.line(), e.getMessage());
        assertEquals("bad.jsonl", e.file().getFileName().toString());
        assertTrue(e.getMessage().startsWith(e.file() + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void readsFieldsIntoIdSourceIterationAndAttributes() throws IOException {
        Path p = file("austen.jsonl", """
                {"id": "a1", "text": "It is a truth.", "source": "real:austen", "year": 1813, "ok": true, \
                "tags": ["x", "y"], "meta": {"k": 1}, "none": null}

                {"text": "Second.", "iteration": 3}
                {"text": "Third.", "id": 42, "iteration": "late"}
                """);
        List<Document> docs = read(p);
        assertEquals(3, docs.size());
        Document a = docs.get(0);
        assertEquals("a1", a.id());
        assertEquals("It is a truth.", a.text());
        assertEquals(new Provenance("real:austen", -1, ImmutableSortedMap.of("year", "1813", "ok", "true",
                "tags", "[\"x\",\"y\"]", "meta", "{\"k\":1}")), a.provenance());
        Document b = docs.get(1);
        assertEquals("austen.jsonl:3", b.id());
        assertEquals(Provenance.of("austen.jsonl", 3), b.provenance());
        Document c = docs.get(2);
        assertEquals("42", c.id());
        assertEquals(Provenance.of("austen.jsonl").with("iteration", "late"), c.provenance());
    }

    @Test
    void configurableTextFieldDefaultSourceAndCrlfBom() throws IOException {
        Path p = file("c.jsonl", "\uFEFF{\"content\": \"héllo 😀\", \"text\": 5}\r\n{\"content\": \"b\"}\r\n");
        List<Document> docs = read(p, JsonlCorpusReader.Options.defaults().withTextField("content")
                .withSource("web"));
        assertEquals(List.of("héllo 😀", "b"), docs.stream().map(Document::text).toList());
        assertEquals("web", docs.get(0).provenance().source());
        assertEquals("5", docs.get(0).provenance().attributes().get("text"));
        assertEquals("c.jsonl:2", docs.get(1).id());
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws IOException {
        CorpusFormatException e = fails("{\"text\": \"ok\"}\n{\"text\": \"a\",, }\n");
        assertAt(e, 2, "malformed JSON");
        assertEquals(14, e.column());
        assertTrue(e.getMessage().startsWith(e.file() + ":2:14: "), e.getMessage());
    }

    @Test
    void everyRecordErrorNamesItsLine() throws IOException {
        assertAt(fails("{\"text\": \"a\"}\n[1, 2]\n"), 2, "expected a JSON object, got an array");
        assertAt(fails("\"just a string\"\n"), 1, "expected a JSON object, got a string");
        assertAt(fails("{\"text\": \"a\"}\n{\"body\": \"b\"}\n"), 2, "missing text field 'text'");
        assertAt(fails("{\"text\": null}\n"), 1, "missing text field 'text'");
        assertAt(fails("{\"text\": 12}\n"), 1, "field 'text' must be a string, got a number");
        assertAt(fails("{\"text\": \"a\"}\n\n{\"text\": \"\"}\n"), 3, "field 'text' is empty");
        assertAt(fails("{\"text\": \" \\n \"}\n"), 1, "only whitespace");
        assertAt(fails("{\"text\": \"a\"} {\"text\": \"b\"}\n"), 1, "malformed JSON");
        assertAt(fails("{\"text\": \"a\", \"text\": \"b\"}\n"), 1, "Duplicate field 'text'");
        assertAt(fails("{\"text\": \"a\", \"id\": [1]}\n"), 1, "field 'id' must be a non-blank string or an integer");
        assertAt(fails("{\"text\": \"a\", \"id\": \" \"}\n"), 1, "blank string");
        assertAt(fails("{\"text\": \"a\", \"source\": 3}\n"), 1, "field 'source' must be a non-blank string");
        assertAt(fails("{\"text\": \"a\"\n"), 1, "malformed JSON");
    }

    @Test
    void emptyTextsCanBeSkipped() throws IOException {
        Path p = file("s.jsonl", "{\"text\": \"\"}\n{\"text\": \"kept\"}\n{\"text\": \"  \"}\n");
        List<Document> docs = read(p, JsonlCorpusReader.Options.defaults().withEmptyText(EmptyTextPolicy.SKIP));
        assertEquals(1, docs.size());
        assertEquals("s.jsonl:2", docs.get(0).id());
    }

    @Test
    void emptyAndBlankFilesAreErrorsNamingTheFile() throws IOException {
        Path empty = file("empty.jsonl", "");
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> read(empty));
        assertEquals(0, e.line());
        assertEquals(empty + ": file is empty", e.getMessage());
        Path blank = file("blank.jsonl", "\n  \n\n");
        e = assertThrows(CorpusFormatException.class, () -> read(blank));
        assertTrue(e.getMessage().startsWith(blank + ": file has no records"), e.getMessage());
    }

    @Test
    void invalidUtf8NamesLineAndColumnAndIsNeverReplaced() throws IOException {
        Path p = dir.resolve("bad.jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"text\": \"fine\"}\n{\"text\": \"bro".getBytes(StandardCharsets.UTF_8));
        b.write(0xFF);
        b.writeBytes("ken\"}\n".getBytes(StandardCharsets.UTF_8));
        Files.write(p, b.toByteArray());
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> read(p));
        assertAt(e, 2, "invalid UTF-8 (byte FF at byte offset 30)");
        assertEquals(14, e.column());
        // the document before the bad line was delivered by the iterator before it failed
        try (JsonlCorpusReader r = JsonlCorpusReader.open(p)) {
            Iterator<Document> it = r.iterator();
            assertEquals("fine", it.next().text());
            UncheckedIOException u = assertThrows(UncheckedIOException.class, it::hasNext);
            assertTrue(u.getCause() instanceof CorpusFormatException);
        }
    }

    @Test
    void singleLineOverTheLimitFailsCleanly() throws IOException {
        String huge = "{\"text\": \"" + "a".repeat(5000) + "\"}\n";
        CorpusFormatException e = fails("{\"text\": \"short\"}\n" + huge,
                JsonlCorpusReader.Options.defaults().withMaxLineChars(1000));
        assertAt(e, 2, "line is longer than the limit of 1000 characters");
    }

    @Test
    void readsGzipByExtensionAndReportsCorruptGzip() throws IOException {
        Path gz = dir.resolve("c.jsonl.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            for (int i = 0; i < 3000; i++) {
                os.write(("{\"text\": \"doc " + i + "\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Document> docs = read(gz);
        assertEquals(3000, docs.size());
        assertEquals("doc 2999", docs.get(2999).text());
        assertEquals("c.jsonl.gz:3000", docs.get(2999).id());
        assertEquals("c.jsonl.gz", docs.get(0).provenance().source());

        byte[] bytes = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> read(cut));
        assertTrue(e.getMessage().contains("corrupt or truncated compressed data"), e.getMessage());
        assertTrue(e.line() > 0);

        Path notGz = file("plain.jsonl.gz", "{\"text\": \"a\"}\n");
        e = assertThrows(CorpusFormatException.class, () -> read(notGz));
        assertTrue(e.getMessage().startsWith(notGz + ": not valid gzip data"), e.getMessage());
    }

    @Test
    void passesAreIndependentAndCloseEndsThem() throws IOException {
        Path p = file("p.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        JsonlCorpusReader r = JsonlCorpusReader.open(p);
        Iterator<Document> first = r.iterator();
        assertEquals("a", first.next().text());
        assertEquals(2, r.stream().count());
        assertEquals(List.of("a", "b"), r.readAll().stream().map(Document::text).toList());
        StringBuilder seen = new StringBuilder();
        r.forEachDocument(d -> seen.append(d.text()));
        assertEquals("ab", seen.toString());
        r.close();
        assertThrows(IllegalStateException.class, r::iterator);
        assertThrows(NoSuchFileException.class, () -> JsonlCorpusReader.open(dir.resolve("missing.jsonl")));
        assertThrows(CorpusFormatException.class, () -> JsonlCorpusReader.open(dir));
    }

    @Test
    void corporaPicksTheReaderByName() throws IOException {
        Path j = file("a.ndjson", "{\"text\": \"x\"}\n");
        Path t = file("b.txt", "para one\n\npara two\n");
        try (CorpusReader r = Corpora.open(j)) {
            assertTrue(r instanceof JsonlCorpusReader);
            assertEquals(1, r.readAll().size());
        }
        try (CorpusReader r = Corpora.open(t)) {
            assertTrue(r instanceof TextCorpusReader);
        }
        Path other = file("c.csv", "x");
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> Corpora.open(other));
        assertTrue(e.getMessage().contains("unknown corpus format"));
        assertFalse(Files.list(dir).anyMatch(x -> x.getFileName().toString().endsWith(".tmp")));
    }
}
