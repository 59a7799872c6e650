package dev.symbiosis.core.eval;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How extracted answers and references are made comparable.
 * <ul>
 *   <li>{@link #text(String)}: SQuAD's {@code normalize_answer}: lower case, remove ASCII punctuation, remove the
 *       articles {@code a}, {@code an}, {@code the} as whole words, collapse whitespace;</li>
 *   <li>{@link #number(String)}: a number without {@code $} and thousands commas, as a plain decimal without trailing
 *       zeros ({@code "$1,000.50"} and {@code "1000.5"} are equal; {@code "42.0"} is {@code "42"}).</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class AnswerNormalization {

    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\s*" + AnswerExtractor.NUMBER.pattern() + "\\s*");

    private AnswerNormalization() {}

    /** SQuAD normalisation; {@code ""} stays {@code ""}. */
    public static String text(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        StringBuilder noPunct = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (!isAsciiPunctuation(c)) {
                noPunct.append(c);
            }
        }
        String noArticles = ARTICLES.matcher(noPunct).replaceAll(" ");
        return String.join(" ", noArticles.strip().split("\\s+"));
    }

    /** Python's {@code string.punctuation}: {@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~}. */
    static boolean isAsciiPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }

    /**
     * The canonical form of {@code s} if the whole of it (surrounding whitespace aside) is one number in the
     * {@link AnswerExtractor#NUMBER} syntax, else empty.
     */
    public static Optional<String> number(String s) {
        if (!WHOLE_NUMBER.matcher(s).matches()) {
            return Optional.empty();
        }
        String digits = s.strip().replace("$", "").replace(",", "");
        BigDecimal d = new BigDecimal(digits).stripTrailingZeros();
        if (d.signum() == 0) {
            return Optional.of("0");
        }
        return Optional.of(d.toPlainString());
    }
}
