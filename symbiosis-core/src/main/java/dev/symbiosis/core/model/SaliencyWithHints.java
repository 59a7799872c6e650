package dev.symbiosis.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The saliency maps of some texts together with their gradient hints, as one call of
 * {@link GradientHints#saliencyWithHints} returns them: what {@link Student#saliency} and
 * {@link GradientHints#gradientHints} give for the same texts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param saliency one map per text, in input order
 * @param hints one list of hints per text, in input order
 */
public record SaliencyWithHints(List<SaliencyMap> saliency, List<List<TokenHint>> hints) {

    public SaliencyWithHints {
        Objects.requireNonNull(saliency, "saliency");
        Objects.requireNonNull(hints, "hints");
        if (saliency.size() != hints.size()) {
            throw new IllegalArgumentException(saliency.size() + " saliency maps but " + hints.size()
                    + " hint lists");
        }
        saliency = List.copyOf(saliency);
        hints = hints.stream().map(List::copyOf).toList();
    }
}
