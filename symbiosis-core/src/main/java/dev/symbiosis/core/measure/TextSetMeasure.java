package dev.symbiosis.core.measure;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.text.Provenance;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A measurement of a set of texts: diversity, fidelity, anything that maps texts to named figures. Implemented by
 * symbiosis-metrics; the loop records its output for every iteration's synthetic data.
 */
@FunctionalInterface
public interface TextSetMeasure extends Describable {

    /**
     * Measures the texts.
     *
     * @param texts the texts (at least one)
     * @return figures by dotted name (e.g. {@code "lexical.ttr"}), sorted by name; a figure that is undefined for
     *     this input (too few points for a hull, say) is {@code NaN}
     */
    SortedMap<String, Double> measure(List<String> texts);

    /**
     * Measures the texts knowing where each came from (its {@link Provenance}: domain, prompt kind, topic, origin),
     * for figures that group texts, such as fidelity per domain. A measure that does not use provenance returns
     * {@link #measure(List)}'s figures (the default); one that does returns at least those figures, unchanged, and
     * may add its own.
     *
     * @param texts the texts (at least one)
     * @param provenances the provenance of each text, in the same order
     * @throws IllegalArgumentException if the two lists differ in length
     */
    default SortedMap<String, Double> measure(List<String> texts, List<Provenance> provenances) {
        Objects.requireNonNull(provenances, "provenances");
        if (provenances.size() != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + provenances.size() + " provenances");
        }
        return measure(texts);
    }
}
