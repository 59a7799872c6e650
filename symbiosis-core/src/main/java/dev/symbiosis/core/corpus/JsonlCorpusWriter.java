package dev.symbiosis.core.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Writes documents as JSON Lines that {@link JsonlCorpusReader} (default options) reads back equal, atomically: the
 * lines go to a temporary file next to the target, which replaces the target only on {@link #commit()} (after an
 * fsync), so a crash leaves the old file or the complete new one, never half of one. Gzip-compressed when the
 * target's name ends with {@code .gz}.
 *
 * <p><b>Record layout</b>, keys in this order: {@code id}, {@code text}, {@code source}, {@code iteration} (only when
 * not {@link Provenance#BEFORE_LOOP}), then every provenance attribute as a string field, in key order. Attributes
 * named {@code id}, {@code text}, {@code source} or {@code iteration} cannot be written (they would be read back as
 * those fields) and are refused with {@link IllegalArgumentException}.
 *
 * <p>Streaming: memory holds one record. Closing without committing deletes the temporary file and leaves the target
 * untouched. Not thread-safe.
 */
public final class JsonlCorpusWriter implements Closeable {

    private final Path target;
    private final Path tmp;
    private final Writer out;
    private long count;
    private boolean done;

    private JsonlCorpusWriter(Path target, Path tmp, Writer out) {
        this.target = target;
        this.tmp = tmp;
        this.out = out;
    }

    /** Starts writing {@code target} (created with its folders on commit; replaced if it exists). */
    public static JsonlCorpusWriter open(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            OutputStream os = Utf8LineReader.isGzip(target) ? new GZIPOutputStream(raw, 64 * 1024) : raw;
            return new JsonlCorpusWriter(target, tmp,
                    new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 64 * 1024));
        } catch (IOException e) {
            raw.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Writes all {@code documents} to {@code target} atomically and returns how many were written. */
    public static long writeAll(Path target, Iterable<Document> documents) throws IOException {
        try (JsonlCorpusWriter w = open(target)) {
            for (Document d : documents) {
                w.write(d);
            }
            w.commit();
            return w.count();
        }
    }

    /** The JSON object written for {@code d} (one line, without the newline). */
    public static String toJson(Document d) {
        ObjectNode o = JsonLines.MAPPER.createObjectNode();
        o.put(JsonlCorpusReader.ID, d.id());
        o.put("text", d.text());
        Provenance p = d.provenance();
        o.put(JsonlCorpusReader.SOURCE, p.source());
        if (p.iteration() != Provenance.BEFORE_LOOP) {
            o.put(JsonlCorpusReader.ITERATION, p.iteration());
        }
        p.attributes().forEach((k, v) -> {
            if (o.has(k) || k.equals(JsonlCorpusReader.ITERATION)) {
                throw new IllegalArgumentException("document '" + d.id() + "' has a provenance attribute named '" + k
                        + "', which is reserved for a field of the JSONL record");
            }
            o.put(k, v);
        });
        try {
            return JsonLines.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise document '" + d.id() + "'", e);
        }
    }

    /**
     * Appends one document.
     *
     * @throws IllegalArgumentException if a provenance attribute uses a reserved name
     * @throws IllegalStateException after commit or close
     */
    public void write(Document d) throws IOException {
        Objects.requireNonNull(d, "document");
        if (done) {
            throw new IllegalStateException("writer for " + target + " is already committed or closed");
        }
        out.write(toJson(d));
        out.write('\n');
        count++;
    }

    /** Documents written so far. */
    public long count() {
        return count;
    }

    /** The file that {@link #commit()} creates or replaces. */
    public Path target() {
        return target;
    }

    /** Flushes, fsyncs and renames the temporary file onto the target. The writer is then closed. */
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException("writer for " + target + " is already committed or closed");
        }
        done = true;
        try {
            out.close();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Abandons an uncommitted file (the target is left as it was); no effect after {@link #commit()}. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            out.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
