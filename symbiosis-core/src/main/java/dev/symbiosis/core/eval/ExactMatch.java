package dev.symbiosis.core.eval;

import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link AnswerChecker}: extract the answer from the completion, normalise it and the references, and
 * compare. A completion is right when its answer equals any reference:
 * <ul>
 *   <li>as numbers, when both the answer and the reference are numbers ({@link AnswerNormalization#number}:
 *       {@code "1,000"} equals {@code "1000.0"});</li>
 *   <li>else as SQuAD-normalised text ({@link AnswerNormalization#text}), and never when the normalised answer is
 *       empty.</li>
 * </ul>
 * The extractor is, in this order: the one given to {@link #withExtractor}; else the item's {@code "extract"} metadata
 * ({@link AnswerExtractor#named}); else {@link AnswerExtractor#lastNumber()} when every reference is a number (GSM8K)
 * and {@link AnswerExtractor#firstLine()} otherwise.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExactMatch implements AnswerChecker {

    private final AnswerExtractor extractor;

    private ExactMatch(AnswerExtractor extractor) {
        this.extractor = extractor;
    }

    /** Extractor chosen per item (see the class comment). */
    public static ExactMatch create() {
        return new ExactMatch(null);
    }

    /** A copy that applies {@code extractor} to every item, ignoring item metadata. */
    public ExactMatch withExtractor(AnswerExtractor extractor) {
        return new ExactMatch(Objects.requireNonNull(extractor, "extractor"));
    }

    /** The extractor applied to {@code item}'s completions. */
    public AnswerExtractor extractorFor(GenerativeItem item) {
        if (extractor != null) {
            return extractor;
        }
        String named = item.metadata().get(GenerativeItem.EXTRACT);
        if (named != null) {
            return AnswerExtractor.named(named);
        }
        boolean numeric = item.references().stream().allMatch(r -> AnswerNormalization.number(r).isPresent());
        return numeric ? AnswerExtractor.lastNumber() : AnswerExtractor.firstLine();
    }

    @Override
    public Verdict check(GenerativeItem item, String completion) {
        String answer = extractorFor(item).extract(completion);
        return new Verdict(matches(answer, item.references()), answer);
    }

    /** Whether {@code answer} equals one of {@code references} after normalisation. */
    public static boolean matches(String answer, Iterable<String> references) {
        Optional<String> number = AnswerNormalization.number(answer);
        String text = AnswerNormalization.text(answer);
        for (String r : references) {
            Optional<String> refNumber = AnswerNormalization.number(r);
            if (number.isPresent() && refNumber.isPresent()) {
                if (number.get().equals(refNumber.get())) {
                    return true;
                }
            } else if (!text.isEmpty() && text.equals(AnswerNormalization.text(r))) {
                return true;
            }
        }
        return false;
    }
}
