package dev.symbiosis.core.text;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a piece of text (or a model) came from: a source name, the loop iteration that produced it and free-form
 * attributes (licence, prompt id, sampler settings, parent checkpoint ...).
 *
 * <p>Immutable and thread-safe. Attributes are kept sorted by key so that serialised provenance is deterministic.
 *
 * @param source non-blank name of the producer, e.g. {@code "real:austen"} or {@code "generator-0"}
 * @param iteration loop iteration that produced the text, or {@code -1} for data that predates the loop
 * @param attributes further key/value facts; never null, keys and values non-null
 */
public record Provenance(String source, int iteration, ImmutableSortedMap<String, String> attributes) {

    /** Iteration value of data that does not come from the loop (real corpora, the initial models). */
    public static final int BEFORE_LOOP = -1;

    public Provenance {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("provenance source must not be blank");
        }
        if (iteration < BEFORE_LOOP) {
            throw new IllegalArgumentException("provenance iteration must be >= -1, got " + iteration);
        }
        attributes = attributes == null ? ImmutableSortedMap.of() : attributes;
    }

    /** Provenance of data that predates the loop, with no attributes. */
    public static Provenance of(String source) {
        return new Provenance(source, BEFORE_LOOP, ImmutableSortedMap.of());
    }

    /** Provenance of data produced at {@code iteration}, with no attributes. */
    public static Provenance of(String source, int iteration) {
        return new Provenance(source, iteration, ImmutableSortedMap.of());
    }

    /** A copy with one attribute added or replaced. */
    public Provenance with(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        ImmutableSortedMap.Builder<String, String> b = ImmutableSortedMap.naturalOrder();
        attributes.forEach((k, v) -> {
            if (!k.equals(key)) {
                b.put(k, v);
            }
        });
        b.put(key, value);
        return new Provenance(source, iteration, b.build());
    }

    /** A copy with all of {@code more} added (replacing equal keys). */
    public Provenance withAll(Map<String, String> more) {
        Provenance p = this;
        for (Map.Entry<String, String> e : more.entrySet()) {
            p = p.with(e.getKey(), e.getValue());
        }
        return p;
    }
}
