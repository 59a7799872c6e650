package dev.symbiosis.core.corpus;

import dev.symbiosis.core.text.Document;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Pass bookkeeping shared by the readers: iterators over {@link Pass}es, closing, error wrapping. */
abstract class AbstractCorpusReader implements CorpusReader {

    /** One pass: yields documents until {@code null}, then is closed by the caller. */
    interface Pass extends Closeable {
        Document next() throws IOException;
    }

    private final Set<Pass> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    /** Opens a new pass at the start of the corpus. */
    protected abstract Pass openPass() throws IOException;

    @Override
    public Iterator<Document> iterator() {
        return new PassIterator(startPass());
    }

    @Override
    public Stream<Document> stream() {
        PassIterator it = new PassIterator(startPass());
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(it::release);
    }

    private synchronized Pass startPass() {
        if (closed) {
            throw new IllegalStateException("corpus reader is closed");
        }
        try {
            Pass p = openPass();
            open.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void forget(Pass p) {
        open.remove(p);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException first = null;
        for (Pass p : open) {
            try {
                p.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    private final class PassIterator implements Iterator<Document> {
        private Pass pass;
        private Document next;

        PassIterator(Pass pass) {
            this.pass = pass;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (pass == null) {
                return false;
            }
            try {
                next = pass.next();
            } catch (IOException e) {
                release();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                release();
                throw e;
            }
            if (next == null) {
                release();
                return false;
            }
            return true;
        }

        @Override
        public Document next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Document d = next;
            next = null;
            return d;
        }

        void release() {
            Pass p = pass;
            pass = null;
            if (p != null) {
                forget(p);
                try {
                    p.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
