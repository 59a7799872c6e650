package dev.symbiosis.core.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class Utf8LineReaderTest {

    private static final Path F = Path.of("f.txt");

    private static List<String> lines(byte[] bytes, int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(bytes), F, max)) {
            String s;
            while ((s = r.readLine()) != null) {
                out.add(s);
                assertEquals(out.size(), r.lineNumber());
            }
        }
        return out;
    }

    private static List<String> lines(String s) throws IOException {
        return lines(s.getBytes(StandardCharsets.UTF_8), 1000);
    }

    @org.junit.jupiter.api.Test
    void splitsAtEveryTerminatorLikeBufferedReader() throws IOException {
        assertEquals(List.of("a", "b", "", "c", "d"), lines("a\nb\r\n\rc\rd"));
        assertEquals(List.of("a"), lines("a\n"));
        assertEquals(List.of("a", ""), lines("a\n\n"));
        assertEquals(List.of(), lines(""));
        assertEquals(List.of("x", "é€😀"), lines("\uFEFFx\r\né€😀\r\n"));
    }

    @org.junit.jupiter.api.Test
    void lineOfExactlyTheLimitPassesOneMoreFails() throws IOException {
        assertEquals(List.of("abcde", "fg"), lines("abcde\nfg".getBytes(StandardCharsets.UTF_8), 5));
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> lines("abc\nabcdef\n".getBytes(StandardCharsets.UTF_8), 5));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith("f.txt:2: line is longer than the limit of 5 characters"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void invalidUtf8FarIntoTheStreamNamesLineColumnAndOffset() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String line = "x".repeat(99) + "\n";
        for (int i = 0; i < 2000; i++) { // 200,000 bytes: several buffers
            b.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes("abc".getBytes(StandardCharsets.UTF_8));
        b.write(0xC3); // lead byte followed by an ASCII byte: malformed
        b.write('(');
        b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> lines(b.toByteArray(), 1000));
        assertEquals(2001, e.line());
        assertEquals(4, e.column());
        assertTrue(e.getMessage().contains("invalid UTF-8 (byte C3 at byte offset 200003)"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void truncatedSequenceAtTheEndIsReported() {
        byte[] bytes = {'o', 'k', '\n', 'a', (byte) 0xE2, (byte) 0x82};
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> lines(bytes, 100));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("truncated UTF-8"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void overlongEncodingAndLoneSurrogateAreRefused() {
        byte[] overlong = {'a', (byte) 0xC0, (byte) 0xAF};
        assertThrows(CorpusFormatException.class, () -> lines(overlong, 100));
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThrows(CorpusFormatException.class, () -> lines(surrogate, 100));
    }

    @Property(tries = 60)
    void joinedLinesRoundTrip(@ForAll @StringLength(max = 300) String text, @ForAll @IntRange(min = 0, max = 2) int eol)
            throws IOException {
        String clean = text.replace("\r", "").replace("\n", "").replace("\uFEFF", "");
        StringBuilder sb = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < clean.length(); i += 37) {
            String part = clean.substring(i, Math.min(clean.length(), i + 37));
            if (Character.isHighSurrogate(part.charAt(part.length() - 1))
                    || Character.isLowSurrogate(part.charAt(0))) {
                return; // not valid UTF-16 once cut; covered by other cases
            }
            expected.add(part);
            sb.append(part).append(eol == 0 ? "\n" : eol == 1 ? "\r\n" : "\r");
        }
        if (!sb.toString().equals(new String(sb.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
            return; // lone surrogates in the generated string
        }
        assertEquals(expected, lines(sb.toString().getBytes(StandardCharsets.UTF_8), 1000));
    }

    @org.junit.jupiter.api.Test
    void endOfInputGivesNullRepeatedly() throws IOException {
        try (Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream("a".getBytes(StandardCharsets.UTF_8)), F,
                10)) {
            assertEquals("a", r.readLine());
            assertNull(r.readLine());
            assertNull(r.readLine());
        }
    }
}
