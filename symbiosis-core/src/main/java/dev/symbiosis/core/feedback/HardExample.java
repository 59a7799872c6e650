package dev.symbiosis.core.feedback;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Span;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool document the Student found hard, with the signals that made it so.
 *
 * <p>Immutable and thread-safe.
 *
 * @param document the pool document (possibly a window of a longer one)
 * @param meanEntropy mean predictive entropy per position (nats), {@code >= 0}
 * @param meanLogProb mean log-likelihood per token (nats), {@code <= 0}
 * @param hardness the value it was ranked by (larger is harder)
 * @param salientSpans character spans of {@code document.text()} where the loss is most sensitive, most salient
 *     first; empty when saliency was not computed
 * @param saliency the per-token saliency, or {@code null} when not computed
 * @param hints HotFlip-style substitution hints of the most salient tokens (gradient direction, Step C2), most
 *     salient first; empty unless the miner was asked for them and the Student implements
 *     {@link dev.symbiosis.core.model.GradientHints}
 * @param studentBitsPerByte the Student's bits per byte on the window (summed token NLL / ln 2 / UTF-8 bytes of the
 *     predicted text), when the miner compared it with a Generator
 *     ({@link UncertaintyFeedbackMiner.Signal#TEACHABLE_GAP}); {@code NaN} otherwise
 * @param generatorBitsPerByte the Generator's bits per byte on the window, likewise; {@code NaN} otherwise
 */
public record HardExample(
        Document document,
        double meanEntropy,
        double meanLogProb,
        double hardness,
        ImmutableList<Span> salientSpans,
        SaliencyMap saliency,
        ImmutableList<TokenHint> hints,
        double studentBitsPerByte,
        double generatorBitsPerByte) {

    public HardExample {
        Objects.requireNonNull(document, "document");
        if (!Double.isFinite(meanEntropy) || !Double.isFinite(meanLogProb) || !Double.isFinite(hardness)) {
            throw new IllegalArgumentException("signals of hard example '" + document.id() + "' must be finite");
        }
        if (Double.isInfinite(studentBitsPerByte) || Double.isInfinite(generatorBitsPerByte)) {
            throw new IllegalArgumentException("bits per byte of hard example '" + document.id()
                    + "' must be finite or NaN (not compared)");
        }
        salientSpans = salientSpans == null ? ImmutableList.of() : salientSpans;
        for (Span s : salientSpans) {
            if (s.end() > document.text().length()) {
                throw new IllegalArgumentException("salient span " + s + " exceeds document '" + document.id() + "'");
            }
        }
        hints = hints == null ? ImmutableList.of() : hints;
        for (TokenHint h : hints) {
            if (h.span().end() > document.text().length()) {
                throw new IllegalArgumentException("hint span " + h.span() + " exceeds document '" + document.id()
                        + "'");
            }
        }
    }

    /** A hard example without a Generator comparison (bits per byte {@code NaN}). */
    public HardExample(Document document, double meanEntropy, double meanLogProb, double hardness,
            ImmutableList<Span> salientSpans, SaliencyMap saliency, ImmutableList<TokenHint> hints) {
        this(document, meanEntropy, meanLogProb, hardness, salientSpans, saliency, hints, Double.NaN, Double.NaN);
    }

    /** A hard example without hints (the form before gradient hints existed). */
    public HardExample(Document document, double meanEntropy, double meanLogProb, double hardness,
            ImmutableList<Span> salientSpans, SaliencyMap saliency) {
        this(document, meanEntropy, meanLogProb, hardness, salientSpans, saliency, ImmutableList.of());
    }

    /** A hard example without saliency. */
    public static HardExample of(Document document, double meanEntropy, double meanLogProb, double hardness) {
        return new HardExample(document, meanEntropy, meanLogProb, hardness, ImmutableList.of(), null);
    }

    /** A copy with {@code value} as its hints. */
    public HardExample withHints(List<TokenHint> value) {
        return new HardExample(document, meanEntropy, meanLogProb, hardness, salientSpans, saliency,
                ImmutableList.copyOf(value), studentBitsPerByte, generatorBitsPerByte);
    }

    /** Whether the window's bits per byte were compared with a Generator's (teachable-gap mining). */
    public boolean hasGeneratorComparison() {
        return !Double.isNaN(studentBitsPerByte) && !Double.isNaN(generatorBitsPerByte);
    }

    public Optional<SaliencyMap> saliencyMap() {
        return Optional.ofNullable(saliency);
    }

    /** The salient spans' texts, most salient first. */
    public List<String> salientTexts() {
        return salientSpans.stream().map(s -> s.of(document.text())).toList();
    }
}
