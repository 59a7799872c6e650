package dev.symbiosis.metrics.fidelity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link Fidelity} per domain, and its macro average over domains.
 *
 * <p>The corpus figure of a mixed set ({@link Fidelity}) is token-weighted, so it moves when the mix of domains moves
 * even if the text of every domain stays the same: a set drifting towards a domain the reference model finds easy
 * looks more faithful. Grouping the texts by domain and averaging the domains' bits per byte with equal weight
 * ({@link #macroBitsPerByte}) removes that effect; comparing a domain's synthetic text with the same domain's real
 * text under the same reference model compares like with like.
 *
 * <p>Within a domain the figures are {@link Fidelity}'s (token-weighted over the domain's texts). Texts whose domain
 * is {@code null} (unknown) are left out. Thread-safe when the scorer is.
 */
public final class DomainFidelity {

    private final Fidelity fidelity;

    /** Per-domain fidelity under {@code fidelity}'s reference model. */
    public DomainFidelity(Fidelity fidelity) {
        this.fidelity = Objects.requireNonNull(fidelity, "fidelity");
    }

    /**
     * The {@link Fidelity} figures of each domain's texts.
     *
     * @param texts the texts
     * @param domains each text's domain, {@code null} when unknown (the text is left out)
     * @return results by domain, sorted by name; empty when no text has a domain
     * @throws IllegalArgumentException if the lists differ in length
     */
    public SortedMap<String, Fidelity.Result> measure(List<String> texts, List<String> domains) {
        SortedMap<String, Fidelity.Result> out = new TreeMap<>();
        group(texts, domains).forEach((d, ts) -> out.put(d, fidelity.measure(ts)));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * The texts grouped by domain, in their order within each domain; texts of unknown ({@code null}) domain left
     * out.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static SortedMap<String, List<String>> group(List<String> texts, List<String> domains) {
        if (texts.size() != domains.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + domains.size() + " domains");
        }
        SortedMap<String, List<String>> out = new TreeMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String d = domains.get(i);
            if (d != null) {
                out.computeIfAbsent(d, k -> new ArrayList<>()).add(texts.get(i));
            }
        }
        return out;
    }

    /**
     * The unweighted mean of the domains' bits per byte over {@code domains}: every domain counts once, however
     * many texts or tokens it has. {@code NaN} when {@code domains} is empty or a domain's figure is {@code NaN}.
     *
     * @throws IllegalArgumentException if a domain has no result
     */
    public static double macroBitsPerByte(Map<String, Fidelity.Result> byDomain, Collection<String> domains) {
        if (domains.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (String d : domains) {
            Fidelity.Result r = byDomain.get(d);
            if (r == null) {
                throw new IllegalArgumentException("no fidelity result for domain '" + d + "'");
            }
            sum += r.bitsPerByte();
        }
        return sum / domains.size();
    }
}
