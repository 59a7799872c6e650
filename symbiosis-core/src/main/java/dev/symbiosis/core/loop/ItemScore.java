package dev.symbiosis.core.loop;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.NullMarked;

/**
 * One evaluation item's result, the unit of paired tests: the same item evaluated for two strategies gives a
 * paired difference.
 *
 * @param kind what sort of item (e.g. {@code "bpb"} for a held-out document, {@code "mc"} for a multiple-choice
 *     item); readers dispatch on it
 * @param group the item's domain or task
 * @param id the item's id, unique within its kind and group
 * @param values named numbers in the order the evaluator wrote them (integers stay integers, so a file of items
 *     is reproducible byte for byte); copied, unmodifiable
 */
@NullMarked
public record ItemScore(String kind, String group, String id, Map<String, Number> values) {

    public ItemScore {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(values, "values");
        LinkedHashMap<String, Number> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "value name"),
                Objects.requireNonNull(v, () -> "value " + k)));
        values = Collections.unmodifiableMap(copy);
    }

    /** A value as a double. */
    public double value(String name) {
        Number v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("item " + kind + "/" + group + "/" + id + " has no value '" + name
                    + "'; it has " + values.keySet());
        }
        return v.doubleValue();
    }
}
