package dev.symbiosis.core;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.NullMarked;

/**
 * A component that can name the settings that change what it produces, so that a run can record them (the
 * experiment's {@code run-config.json}) and refuse to resume when one of them changed.
 *
 * <p>Values must be JSON-like: {@code String}, {@code Number}, {@code Boolean}, {@code null}, lists and maps of
 * them. Settings that only change speed (thread counts, caches) are left out.
 */
@NullMarked
public interface Describable {

    /**
     * The settings that can change this component's results, by name.
     *
     * @return a sorted, unmodifiable map; empty by default (then a run records only the component's class)
     */
    default SortedMap<String, Object> settings() {
        return Collections.emptySortedMap();
    }

    /** A sorted, unmodifiable copy of alternating names and values, for implementations of {@link #settings()}. */
    static SortedMap<String, Object> settingsOf(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("settingsOf needs name, value pairs; got an odd number of arguments");
        }
        TreeMap<String, Object> out = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("argument " + i + " must be a setting name, got "
                        + namesAndValues[i]);
            }
            out.put(name, namesAndValues[i + 1]);
        }
        return Collections.unmodifiableSortedMap(out);
    }
}
