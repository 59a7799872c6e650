package dev.symbiosis.core.corpus;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads lines of strict UTF-8 text with a bound on the length of a line, so that neither invalid bytes nor a
 * gigantic line can slip through or exhaust the heap.
 *
 * <ul>
 *   <li>Decoding uses a {@link CharsetDecoder} with {@link CodingErrorAction#REPORT}: a malformed or truncated byte
 *       sequence is a {@link CorpusFormatException} naming the file, the line and the column where the bad bytes
 *       start, and their byte offset in the (decompressed) stream. Nothing is ever silently replaced.</li>
 *   <li>Lines end at {@code \n}, {@code \r\n} or a lone {@code \r} (as {@link java.io.BufferedReader}); the
 *       terminator is not part of the line. A final line without terminator is returned; a terminator at the very
 *       end of the input does not make an extra empty line. A UTF-8 byte order mark at the start is dropped.</li>
 *   <li>A line longer than {@code maxLineChars} UTF-16 chars fails with a {@link CorpusFormatException} as soon as
 *       the limit is passed, before more of it is buffered; memory use is bounded by a small multiple of
 *       {@code maxLineChars} (the growing line buffer plus the returned string: at most about
 *       {@code 6 * maxLineChars} bytes) plus 192 KiB of buffers, whatever the file holds.</li>
 *   <li>Files whose name ends with {@code .gz} (any case) are decompressed; corrupt or truncated gzip data is a
 *       {@link CorpusFormatException} naming the line being read.</li>
 * </ul>
 *
 * <p>Not thread-safe: one reader belongs to one thread at a time. After an exception the reader is unusable and
 * should be closed.
 */
public final class Utf8LineReader implements Closeable {

    /**
     * Default line limit: 16 Mi chars (16,777,216), i.e. 32 MiB of UTF-16 text and at most about 100 MiB of heap
     * while such a line is read and parsed; more than any sane JSONL record or text line, well below what would
     * threaten a default heap. Raise it per reader for corpora with bigger records.
     */
    public static final int DEFAULT_MAX_LINE_CHARS = 16 * 1024 * 1024;

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final Path file;
    private final int maxLineChars;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER);
    private final StringBuilder line = new StringBuilder();
    /** Offset in the stream of {@code bytes.array()[0]}. */
    private long bufferOffset;
    private long lineNumber;
    private boolean eof;
    private boolean flushed;
    private boolean pendingCr;
    private boolean started;

    /**
     * Wraps a stream; the reader owns it and closes it in {@link #close()}.
     *
     * @param in raw UTF-8 bytes (not decompressed by this constructor)
     * @param file the file name used in error messages
     * @param maxLineChars the longest line accepted, in UTF-16 chars, {@code >= 1}
     */
    public Utf8LineReader(InputStream in, Path file, int maxLineChars) {
        this.in = Objects.requireNonNull(in, "in");
        this.file = Objects.requireNonNull(file, "file");
        if (maxLineChars < 1) {
            throw new IllegalArgumentException("maxLineChars must be >= 1, got " + maxLineChars);
        }
        this.maxLineChars = maxLineChars;
        bytes.flip();
        chars.flip();
    }

    /**
     * Opens a file, decompressing it when its name ends with {@code .gz}.
     *
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws CorpusFormatException if a {@code .gz} file has no valid gzip header
     */
    public static Utf8LineReader open(Path file, int maxLineChars) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = isGzip(file) ? new GZIPInputStream(new BufferedInputStream(raw, BUFFER), BUFFER) : raw;
            return new Utf8LineReader(in, file, maxLineChars);
        } catch (IOException e) {
            raw.close();
            throw new CorpusFormatException(file, 0, 0, "not valid gzip data: " + e.getMessage(), e);
        }
    }

    /** Whether {@code file}'s name ends with {@code .gz}, in any case. */
    public static boolean isGzip(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** The file named in error messages. */
    public Path file() {
        return file;
    }

    /** The line limit in UTF-16 chars. */
    public int maxLineChars() {
        return maxLineChars;
    }

    /** 1-based number of the line last returned by {@link #readLine()}; 0 before the first. */
    public long lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its terminator, or {@code null} at the end of the input.
     *
     * @throws CorpusFormatException on invalid UTF-8, a line over the limit or corrupt compressed data
     */
    public String readLine() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (!chars.hasRemaining() && !fill()) {
                if (any) {
                    lineNumber++;
                    return line.toString();
                }
                return null;
            }
            char[] a = chars.array();
            int pos = chars.position();
            int lim = chars.limit();
            if (pendingCr) {
                pendingCr = false;
                if (a[pos] == '\n') {
                    chars.position(++pos);
                    continue;
                }
            }
            int i = pos;
            while (i < lim && a[i] != '\n' && a[i] != '\r') {
                i++;
            }
            append(a, pos, i - pos);
            any = true;
            if (i < lim) {
                pendingCr = a[i] == '\r';
                chars.position(i + 1);
                lineNumber++;
                return line.toString();
            }
            chars.position(lim);
        }
    }

    private void append(char[] a, int from, int count) throws CorpusFormatException {
        if ((long) line.length() + count > maxLineChars) {
            throw new CorpusFormatException(file, lineNumber + 1, 0, "line is longer than the limit of "
                    + maxLineChars + " characters (raise maxLineChars to read it)");
        }
        line.append(a, from, count);
    }

    /** Decodes more chars into {@code chars}; false at the end of the input. */
    private boolean fill() throws IOException {
        chars.clear();
        try {
            while (true) {
                if (flushed) {
                    chars.flip();
                    return false;
                }
                CoderResult r = decoder.decode(bytes, chars, eof);
                if (r.isError()) {
                    if (chars.position() > 0) {
                        break; // hand out the good chars first; the error recurs at the next fill, at its line
                    }
                    throw malformed(r);
                }
                if (r.isOverflow()) {
                    break;
                }
                // underflow: the decoder needs more bytes
                if (eof) {
                    decoder.flush(chars);
                    flushed = true;
                    if (chars.position() > 0) {
                        break;
                    }
                    continue;
                }
                if (chars.position() > 0) {
                    break;
                }
                readMore();
            }
        } catch (CorpusFormatException e) {
            chars.limit(0);
            throw e;
        }
        chars.flip();
        if (!started && chars.hasRemaining()) {
            started = true;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.position(chars.position() + 1);
            }
        }
        return true;
    }

    private void readMore() throws IOException {
        bufferOffset += bytes.position();
        bytes.compact();
        int n;
        try {
            n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new CorpusFormatException(file, lineNumber + 1, 0, "corrupt or truncated compressed data: "
                    + e.getMessage(), e);
        }
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private CorpusFormatException malformed(CoderResult r) {
        long offset = bufferOffset + bytes.position();
        int column = line.length() + 1;
        StringBuilder hex = new StringBuilder();
        for (int k = 0; k < r.length() && bytes.position() + k < bytes.limit(); k++) {
            hex.append(k == 0 ? "" : " ").append(String.format("%02X", bytes.get(bytes.position() + k) & 0xFF));
        }
        String what = eof && bytes.position() + r.length() >= bytes.limit()
                ? "truncated UTF-8 sequence at the end of the input" : "invalid UTF-8";
        return new CorpusFormatException(file, lineNumber + 1, column, what + " (byte" + (r.length() == 1 ? " " : "s ")
                + hex + " at byte offset " + offset + ")");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
