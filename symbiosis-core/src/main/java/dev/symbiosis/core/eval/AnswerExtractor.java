package dev.symbiosis.core.eval;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the answer out of a generated completion, before normalisation and comparison. The built-in extractors follow
 * lm-evaluation-harness's GSM8K filters and its "until newline" generation:
 * <ul>
 *   <li>{@link #lastNumber()} ({@code "last_number"}): the number after the last {@code "####"} if there is one
 *       (GSM8K's strict match), else the last number in the text (its flexible extract);</li>
 *   <li>{@link #firstNumber()} ({@code "first_number"}): the first number, for prompts such as "... The answer is"
 *       that a base model answers at once and then rambles on;</li>
 *   <li>{@link #firstLine()} ({@code "first_line"}): the text up to the first newline, after skipping leading
 *       whitespace (so that a completion starting with a line break still has an answer).</li>
 * </ul>
 * A number is an optional minus sign, an optional {@code $}, digits with optional thousands commas, and an optional
 * decimal part ({@code -$1,234.5}); a trailing full stop is not part of it. An extractor that finds nothing returns
 * the empty string, which matches no reference.
 *
 * <p>Implementations must be stateless and thread-safe.
 */
@FunctionalInterface
public interface AnswerExtractor {

    /** Pattern of one number in a completion (see the class comment). */
    Pattern NUMBER = Pattern.compile("-?\\$?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?");

    /** The answer in {@code completion}, or {@code ""} when there is none. */
    String extract(String completion);

    /** GSM8K: the number after the last {@code "####"}, else the last number; {@code ""} when there is none. */
    static AnswerExtractor lastNumber() {
        return Builtin.LAST_NUMBER;
    }

    /** The first number; {@code ""} when there is none. */
    static AnswerExtractor firstNumber() {
        return Builtin.FIRST_NUMBER;
    }

    /** Text up to the first newline after leading whitespace, stripped. */
    static AnswerExtractor firstLine() {
        return Builtin.FIRST_LINE;
    }

    /** Names accepted by {@link #named(String)}. */
    List<String> NAMES = List.of("last_number", "first_number", "first_line");

    /**
     * The built-in extractor called {@code name} ({@code last_number}, {@code first_number}, {@code first_line};
     * case-insensitive, {@code -} and {@code _} alike).
     *
     * @throws IllegalArgumentException for another name, listing the valid ones
     */
    static AnswerExtractor named(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "last_number" -> Builtin.LAST_NUMBER;
            case "first_number" -> Builtin.FIRST_NUMBER;
            case "first_line" -> Builtin.FIRST_LINE;
            default -> throw new IllegalArgumentException("unknown answer extractor '" + name + "'; expected one of "
                    + NAMES);
        };
    }

    /** The built-in extractors. */
    enum Builtin implements AnswerExtractor {
        LAST_NUMBER {
            @Override
            public String extract(String completion) {
                int hashes = completion.lastIndexOf("####");
                if (hashes >= 0) {
                    Matcher m = NUMBER.matcher(completion);
                    if (m.find(hashes + 4)) {
                        return m.group();
                    }
                }
                Matcher m = NUMBER.matcher(completion);
                String last = "";
                while (m.find()) {
                    last = m.group();
                }
                return last;
            }
        },
        FIRST_NUMBER {
            @Override
            public String extract(String completion) {
                Matcher m = NUMBER.matcher(completion);
                return m.find() ? m.group() : "";
            }
        },
        FIRST_LINE {
            @Override
            public String extract(String completion) {
                String s = completion.stripLeading();
                int nl = s.indexOf('\n');
                return (nl < 0 ? s : s.substring(0, nl)).strip();
            }
        }
    }
}
