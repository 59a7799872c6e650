package dev.symbiosis.metrics.semantic;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map from a text's SHA-256 to its embedding.
 *
 * <p>Keys are the 256-bit digest of the text's UTF-8 bytes (32 bytes per entry however long the text, and no text is
 * retained); a collision would need a SHA-256 collision. At most {@link #capacity()} entries are kept; inserting
 * beyond that evicts the entry used least recently. Memory is about {@code capacity * (4 d + 120)} bytes: 16 MB for
 * the default 10,000 entries at {@code d = 384}.
 *
 * <p>Thread-safe (every method synchronises on the cache). Stored vectors are never modified: callers must not
 * modify what {@link #get} returns.
 */
public final class EmbeddingCache {

    /** Default number of cached vectors. */
    public static final int DEFAULT_CAPACITY = 10_000;

    /** A text's digest as four longs: cheap {@code equals}/{@code hashCode}. */
    record Key(long a, long b, long c, long d) {
        static Key of(String text) {
            MessageDigest sha = MiniLmFiles.sha256();
            ByteBuffer h = ByteBuffer.wrap(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
            return new Key(h.getLong(), h.getLong(), h.getLong(), h.getLong());
        }
    }

    private final int capacity;
    private final LinkedHashMap<Key, float[]> map;
    private long hits;
    private long misses;

    /**
     * @param capacity maximum number of entries, {@code >= 0} (0 disables caching)
     */
    public EmbeddingCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, float[]> eldest) {
                return size() > EmbeddingCache.this.capacity;
            }
        };
    }

    /** Maximum number of entries. */
    public int capacity() {
        return capacity;
    }

    /** Current number of entries. */
    public synchronized int size() {
        return map.size();
    }

    /** Lookups that found a vector, since creation. */
    public synchronized long hits() {
        return hits;
    }

    /** Lookups that found nothing, since creation. */
    public synchronized long misses() {
        return misses;
    }

    synchronized float[] get(Key key) {
        float[] v = map.get(key);
        if (v == null) {
            misses++;
        } else {
            hits++;
        }
        return v;
    }

    synchronized void put(Key key, float[] vector) {
        if (capacity > 0) {
            map.put(key, vector);
        }
    }

    /** Removes every entry. */
    public synchronized void clear() {
        map.clear();
    }
}
