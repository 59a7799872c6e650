package dev.symbiosis.core.measure;

import dev.symbiosis.core.Describable;
import java.util.List;
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
}
