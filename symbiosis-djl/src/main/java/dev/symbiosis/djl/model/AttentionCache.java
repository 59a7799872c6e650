package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of past positions for incremental decoding, per layer, of shape {@code (B, heads, T, headDim)}
 * (key/value heads, before any grouped-query repetition). Each layer's keys and values live in a buffer whose time
 * axis doubles when full, so that a decoding step writes its new position in place instead of copying the whole
 * cache (amortised constant work per position; at most twice the memory of the cached positions). The arrays live
 * in the cache's own manager; closing the cache frees them.
 *
 * <p>Not thread-safe.
 */
public class AttentionCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long[] used;

    /** An empty cache of {@code layers} layers in a sub-manager of {@code parent}. */
    public AttentionCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.used = new long[layers];
    }

    /** Number of cached positions. */
    public long length() {
        return used[0];
    }

    /**
     * Writes {@code kv} (B, heads, t, headDim) after the cached positions of layer {@code layer} and returns a view
     * of every cached position (valid until the next append; closing the view leaves the cache intact). Keys and
     * values of a layer are appended in that order, and the values' call advances the layer's length.
     */
    NDArray append(int layer, NDArray kv, boolean isKey) {
        NDArray[] store = isKey ? keys : values;
        long from = used[layer];
        long t = kv.getShape().get(2);
        NDArray buffer = store[layer];
        if (buffer == null || from + t > buffer.getShape().get(2)) {
            Shape s = kv.getShape();
            long capacity = Math.max(16, 2 * (from + t));
            NDArray grown = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)), kv.getDataType());
            NDScope.unregister(grown);
            if (buffer != null) {
                try (NDArray old = buffer.get(new NDIndex(":, :, 0:{}", from))) {
                    grown.set(new NDIndex(":, :, 0:{}", from), old);
                }
                buffer.close();
            }
            buffer = grown;
            store[layer] = buffer;
        }
        buffer.set(new NDIndex(":, :, {}:{}", from, from + t), kv);
        if (!isKey) {
            used[layer] = from + t;
        }
        return buffer.get(new NDIndex(":, :, 0:{}", from + t));
    }

    @Override
    public void close() {
        manager.close();
    }
}
