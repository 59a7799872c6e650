package dev.symbiosis.core.corpus;

import dev.symbiosis.core.text.Document;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A corpus read lazily, one {@link Document} at a time: never more than the current line (bounded by the reader's
 * line limit) and the current document are in memory.
 *
 * <p><b>Passes.</b> Every call of {@link #iterator()} or {@link #stream()} starts a new pass from the beginning,
 * opening the file(s) afresh; a pass closes its file when it is exhausted or fails. Passes abandoned half way are
 * closed by {@link #close()} (or, for a stream, by closing the stream). After {@code close()} new passes are
 * refused with {@link IllegalStateException}.
 *
 * <p><b>Errors.</b> Problems found while iterating are thrown from {@code hasNext()}/{@code next()} as an
 * {@link UncheckedIOException} whose cause is a {@link CorpusFormatException} (naming file, line and, for JSON
 * syntax, column) or another {@link IOException}. The checked variants {@link #readAll()} and
 * {@link #forEachDocument(DocumentConsumer)} rethrow the cause itself. Documents before the faulty line have been
 * delivered; the pass ends with the error.
 *
 * <p><b>Empty input.</b> A file with no bytes, or only blank lines, is an error naming the file; see each
 * implementation for empty texts.
 *
 * <p><b>Thread safety.</b> Not thread-safe: iterate from one thread at a time. Different readers are independent.
 */
public interface CorpusReader extends Iterable<Document>, Closeable {

    /**
     * A new pass over the corpus, in file order.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws UncheckedIOException if the first file cannot be opened
     */
    @Override
    Iterator<Document> iterator();

    /**
     * A new pass as a sequential stream; close the stream (try-with-resources) to release the file early.
     * Errors surface as {@link UncheckedIOException}, as for {@link #iterator()}.
     */
    Stream<Document> stream();

    /** Closes every pass still open. Idempotent. */
    @Override
    void close() throws IOException;

    /**
     * Reads the whole corpus into a list: for small corpora (evaluation sets, tests) only.
     *
     * @throws CorpusFormatException on malformed input, naming file and line
     */
    default List<Document> readAll() throws IOException {
        try (Stream<Document> s = stream()) {
            return s.toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Streams every document to {@code consumer} (the callback form of a pass), rethrowing read errors as checked
     * exceptions.
     *
     * @throws CorpusFormatException on malformed input, naming file and line
     */
    default void forEachDocument(DocumentConsumer consumer) throws IOException {
        try (Stream<Document> s = stream()) {
            Iterator<Document> it = s.iterator();
            while (it.hasNext()) {
                consumer.accept(it.next());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Receives documents one at a time; may throw an {@link IOException} to stop the pass. */
    @FunctionalInterface
    interface DocumentConsumer {
        void accept(Document document) throws IOException;
    }
}
