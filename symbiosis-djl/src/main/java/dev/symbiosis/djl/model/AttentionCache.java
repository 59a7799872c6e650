package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of past positions for incremental decoding, per layer, of shape {@code (B, heads, T, headDim)}
 * (key/value heads, before any grouped-query repetition). The arrays live in the cache's own manager; closing the
 * cache frees them.
 *
 * <p>Not thread-safe.
 */
public class AttentionCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    /** An empty cache of {@code layers} layers in a sub-manager of {@code parent}. */
    public AttentionCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Number of cached positions. */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** Appends {@code kv} along the time axis of layer {@code layer} and returns the whole cached array. */
    NDArray append(int layer, NDArray kv, boolean isKey) {
        NDArray[] store = isKey ? keys : values;
        NDArray old = store[layer];
        NDArray next = old == null ? kv.duplicate() : old.concat(kv, 2);
        NDScope.unregister(next);
        next.attach(manager);
        if (old != null) {
            old.close();
        }
        store[layer] = next;
        return next;
    }

    @Override
    public void close() {
        manager.close();
    }
}
