package dev.symbiosis.core.eval;

import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Held-out perplexity per domain, from a {@link PerplexityEvaluator}.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises and reads back as is.
 *
 * @param sources one entry per provenance source, sorted by source name
 * @param macroBitsPerByte unweighted mean of the sources' bits per byte, over the sources that have predicted bytes
 *     ({@code NaN} if none has)
 * @param overall all documents pooled (source {@link #ALL}): token- and byte-weighted figures
 */
public record PerplexityResult(List<SourcePerplexity> sources, double macroBitsPerByte, SourcePerplexity overall) {

    /** Source name of the pooled figures. */
    public static final String ALL = "*";

    public PerplexityResult {
        sources = List.copyOf(sources);
        Objects.requireNonNull(overall, "overall");
    }

    /** The figures of {@code source}, if it had documents. */
    public Optional<SourcePerplexity> source(String source) {
        return sources.stream().filter(s -> s.source().equals(source)).findFirst();
    }

    /**
     * Every figure by dotted name, for run records: {@code bpb.macro}, {@code bpb.all}, {@code ppl.all}, and per
     * source {@code bpb.<source>}, {@code ppl.<source>}, {@code nats_per_token.<source>}, {@code tokens.<source>}.
     */
    public ImmutableSortedMap<String, Double> figures() {
        ImmutableSortedMap.Builder<String, Double> b = ImmutableSortedMap.naturalOrder();
        b.put("bpb.macro", macroBitsPerByte);
        b.put("bpb.all", overall.bitsPerByte());
        b.put("ppl.all", overall.perplexity());
        for (SourcePerplexity s : sources) {
            b.put("bpb." + s.source(), s.bitsPerByte());
            b.put("ppl." + s.source(), s.perplexity());
            b.put("nats_per_token." + s.source(), s.natsPerToken());
            b.put("tokens." + s.source(), (double) s.tokens());
        }
        return b.build();
    }
}
