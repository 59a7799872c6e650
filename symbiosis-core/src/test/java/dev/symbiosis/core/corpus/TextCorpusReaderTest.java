package dev.symbiosis.core.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static List<Document> read(Path p, TextCorpusReader.Options o) throws IOException {
        try (TextCorpusReader r = TextCorpusReader.open(p, o)) {
            return r.readAll();
        }
    }

    private static List<String> texts(List<Document> docs) {
        return docs.stream().map(Document::text).toList();
    }

    @Test
    void groupsParagraphsUpToTheLimitWithoutSplittingThem() throws IOException {
        // paragraphs of 5, 11 (two lines), 3 and 6 chars; limit 20
        Path p = file("t.txt", "\n\nAlpha\n\nBravo\r\nbravo\n\n \t\nXyz\n\n\n\nCharly\n");
        List<Document> docs = read(p, TextCorpusReader.Options.defaults().withMaxChars(20));
        // "Alpha\n\nBravo\nbravo" = 18; + "\n\nXyz" would be 23 > 20
        assertEquals(List.of("Alpha\n\nBravo\nbravo", "Xyz\n\nCharly"), texts(docs));
        assertEquals(List.of("t.txt:3", "t.txt:9"), docs.stream().map(Document::id).toList());
        assertEquals(new Provenance("t.txt", -1, ImmutableSortedMap.of("file", "t.txt", "line", "9")),
                docs.get(1).provenance());
        // default limit: everything in one document
        assertEquals(List.of("Alpha\n\nBravo\nbravo\n\nXyz\n\nCharly"),
                texts(read(p, TextCorpusReader.Options.defaults())));
    }

    @Test
    void cutsLongParagraphsAtLineEndsAndLongLinesAtWhitespace() throws IOException {
        Path p = file("long.txt", "aaaa bbbb\ncccc dddd\neeee\n\nff\nthe quick brown fox jumps\n");
        List<Document> docs = read(p, TextCorpusReader.Options.defaults().withMaxChars(10).withSource("web"));
        assertEquals(List.of("aaaa bbbb", "cccc dddd", "eeee\n\nff", "the quick ", "brown fox ", "jumps"),
                texts(docs));
        assertEquals(List.of("long.txt:1", "long.txt:2", "long.txt:3", "long.txt:6", "long.txt:6#2",
                "long.txt:6#3"), docs.stream().map(Document::id).toList());
        assertEquals("web", docs.get(0).provenance().source());
        // no whitespace: hard cut, never inside a surrogate pair
        Path q = file("hard.txt", "abcdefghi😀jk");
        assertEquals(List.of("abcdefghi", "😀jk"), texts(read(q, TextCorpusReader.Options.defaults().withMaxChars(10))));
    }

    @Test
    void wholeFileModeAndItsLimit() throws IOException {
        Path p = file("w.txt", "one\r\n\r\ntwo\n");
        List<Document> docs = read(p, TextCorpusReader.Options.wholeFiles(100));
        assertEquals(List.of(new Document("w.txt", "one\n\ntwo",
                new Provenance("w.txt", -1, ImmutableSortedMap.of("file", "w.txt", "line", "1")))), docs);
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> read(p, TextCorpusReader.Options.wholeFiles(6)));
        assertTrue(e.getMessage().startsWith(p + ":3: file is longer than 6 characters"), e.getMessage());
    }

    @Test
    void foldersAreReadRecursivelyInSortedOrder() throws IOException {
        file("b.txt", "bee\n");
        file("a/z.txt", "zed\n");
        file("a/c.TXT", "sea\n");
        file("notes.md", "ignored\n");
        Path gz = dir.resolve("d.txt.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write("dee\n".getBytes(StandardCharsets.UTF_8));
        }
        try (TextCorpusReader r = TextCorpusReader.open(dir)) {
            List<Document> docs = r.readAll();
            assertEquals(List.of("sea", "zed", "bee", "dee"), texts(docs));
            assertEquals(List.of("a/c.TXT:1", "a/z.txt:1", "b.txt:1", "d.txt.gz:1"),
                    docs.stream().map(Document::id).toList());
            assertEquals("a/z.txt", docs.get(1).provenance().source());
            assertEquals(4, r.files().size());
        }
    }

    @Test
    void emptyFilesAreErrorsOrSkippedAndEmptyFoldersFail() throws IOException {
        file("a.txt", "text\n");
        Path empty = file("b.txt", "");
        file("c.txt", "more\n");
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> read(dir, TextCorpusReader.Options.defaults()));
        assertEquals(empty + ": file is empty (use EmptyTextPolicy.SKIP to leave such files out)", e.getMessage());
        Path blank = file("d.txt", " \n\t\n");
        List<Document> docs = read(dir, TextCorpusReader.Options.defaults().withEmptyText(EmptyTextPolicy.SKIP));
        assertEquals(List.of("text", "more"), texts(docs));
        e = assertThrows(CorpusFormatException.class, () -> read(blank, TextCorpusReader.Options.wholeFiles(100)));
        assertTrue(e.getMessage().startsWith(blank + ": file has only blank lines"), e.getMessage());

        Path none = dir.resolve("none");
        Files.createDirectories(none.resolve("deeper"));
        e = assertThrows(CorpusFormatException.class, () -> TextCorpusReader.open(none));
        assertTrue(e.getMessage().contains("holds no .txt"), e.getMessage());
    }

    @Test
    void invalidUtf8AndLongLinesNameTheLine() throws IOException {
        Path p = dir.resolve("bad.txt");
        Files.write(p, new byte[] {'o', 'k', '\n', '\n', 'a', 'b', (byte) 0x80, '\n'});
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> read(p, TextCorpusReader.Options.defaults()));
        assertTrue(e.getMessage().startsWith(p + ":3:3: invalid UTF-8"), e.getMessage());
        Path q = file("longline.txt", "short\n" + "x".repeat(500) + "\n");
        e = assertThrows(CorpusFormatException.class,
                () -> read(q, TextCorpusReader.Options.defaults().withMaxLineChars(100)));
        assertTrue(e.getMessage().startsWith(q + ":2: line is longer than the limit of 100"), e.getMessage());
    }

    /** Nothing but whitespace is lost or added, and no document exceeds the limit. */
    @Property(tries = 80)
    void paragraphSplitKeepsEveryNonBlankChar(@ForAll @StringLength(max = 400) String raw,
            @ForAll @IntRange(min = 2, max = 50) int max) throws IOException {
        String text = raw.chars().mapToObj(c -> switch (c % 7) {
            case 0 -> "\n";
            case 1 -> " ";
            default -> String.valueOf((char) ('a' + c % 26));
        }).reduce("", String::concat);
        Path p = Files.createTempFile("symbiosis-prop", ".txt"); // jqwik does not inject @TempDir
        Files.writeString(p, text);
        String expected = text.replaceAll("\\s", "");
        List<Document> docs;
        try (TextCorpusReader r = TextCorpusReader.open(p, TextCorpusReader.Options.defaults().withMaxChars(max)
                .withEmptyText(EmptyTextPolicy.SKIP))) {
            docs = r.readAll();
        } finally {
            Files.delete(p);
        }
        StringBuilder got = new StringBuilder();
        for (Document d : docs) {
            assertTrue(d.text().length() <= max, d.text().length() + " > " + max);
            got.append(d.text().replaceAll("\\s", ""));
        }
        assertEquals(expected, got.toString());
        assertEquals(docs.size(), docs.stream().map(Document::id).distinct().count(), "ids are unique");
    }
}
