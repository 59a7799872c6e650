package dev.symbiosis.metrics.lexical;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The one word tokenization of the lexical statistics. Two modes:
 *
 * <dl>
 *   <dt>{@link #unicode()} (the default)</dt>
 *   <dd>A word is a leftmost-longest, non-overlapping match of the regular expression {@link #WORD_PATTERN}
 *   <pre>
 *   [\p{L}\p{M}\p{N}]+(?:['\u2019][\p{L}\p{M}\p{N}]+)*
 *   </pre>
 *   in {@link java.util.regex.Pattern} syntax, that is a run of Unicode letters ({@code L*}), marks ({@code M*}) and
 *   numbers ({@code N*}) as given by {@link Character#getType(int)}, in which an apostrophe (U+0027 or U+2019)
 *   standing between two such characters is kept ({@code "don't"}, {@code "l’homme"} are one word each); every other
 *   character (space, punctuation, symbols, a leading or trailing apostrophe, a lone surrogate) separates words and
 *   is dropped. Each word is then lower-cased with {@link String#toLowerCase(Locale) toLowerCase(Locale.ROOT)}.
 *   No normalisation (NFC/NFKC) is applied: canonically equivalent spellings are different words. The matching is a
 *   hand-written scanner equivalent to the regular expression (a property test checks the two agree), about ten
 *   times faster than {@link java.util.regex.Matcher}.</dd>
 *   <dt>{@link #whitespace()} (pre-tokenized text)</dt>
 *   <dd>Words are the maximal runs of characters that are not {@link Character#isWhitespace(char) white space},
 *   taken verbatim: no case folding, no punctuation removal.</dd>
 * </dl>
 *
 * <p>Immutable and thread-safe.
 */
public final class WordTokenizer {

    /** The regular expression of a word in {@link #unicode()} mode (before lower-casing). */
    public static final String WORD_PATTERN = "[\\p{L}\\p{M}\\p{N}]+(?:['\u2019][\\p{L}\\p{M}\\p{N}]+)*";

    private static final WordTokenizer UNICODE = new WordTokenizer(false);
    private static final WordTokenizer WHITESPACE = new WordTokenizer(true);

    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            ASCII_WORD[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII_WORD[c] = true;
            ASCII_WORD[c - 'a' + 'A'] = true;
        }
    }

    /** Receives words as character ranges; the range is valid only during the call. */
    @FunctionalInterface
    interface TokenSink {
        void token(char[] buf, int off, int len);
    }

    private final boolean preTokenized;

    private WordTokenizer(boolean preTokenized) {
        this.preTokenized = preTokenized;
    }

    /** Unicode words, lower-cased (see the class description). */
    public static WordTokenizer unicode() {
        return UNICODE;
    }

    /** Pre-tokenized text: split on white space only, words verbatim. */
    public static WordTokenizer whitespace() {
        return WHITESPACE;
    }

    /** Whether this is the {@link #whitespace()} mode. */
    public boolean isPreTokenized() {
        return preTokenized;
    }

    /**
     * The words of a text, in order.
     *
     * @param text any text, possibly empty
     * @return a new mutable list, empty if the text has no word
     */
    public List<String> tokenize(CharSequence text) {
        List<String> out = new ArrayList<>();
        forEach(text, (buf, off, len) -> out.add(new String(buf, off, len)));
        return out;
    }

    /** Sends every word of {@code text} to {@code sink}, in order. */
    void forEach(CharSequence text, TokenSink sink) {
        Objects.requireNonNull(text, "text");
        String s = text.toString();
        int n = s.length();
        if (n == 0) {
            return;
        }
        char[] buf = new char[n];
        s.getChars(0, n, buf, 0);
        if (preTokenized) {
            splitWhitespace(buf, n, sink);
        } else {
            scanWords(buf, n, sink);
        }
    }

    private static void splitWhitespace(char[] buf, int n, TokenSink sink) {
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(buf[i])) {
                i++;
            }
            int s = i;
            while (i < n && !Character.isWhitespace(buf[i])) {
                i++;
            }
            if (i > s) {
                sink.token(buf, s, i - s);
            }
        }
    }

    private static void scanWords(char[] buf, int n, TokenSink sink) {
        int i = 0;
        while (i < n) {
            char c = buf[i];
            int w = c < 128 ? (ASCII_WORD[c] ? 1 : 0) : wordWidth(buf, i, n);
            if (w == 0) {
                i++;
                continue;
            }
            int s = i;
            boolean ascii = c < 128;
            i += w;
            while (i < n) {
                c = buf[i];
                if (c < 128) {
                    if (ASCII_WORD[c]) {
                        i++;
                        continue;
                    }
                    if (c != '\'') {
                        break;
                    }
                } else if (c != '\u2019') {
                    w = wordWidth(buf, i, n);
                    if (w == 0) {
                        break;
                    }
                    ascii = false;
                    i += w;
                    continue;
                }
                // an apostrophe: part of the word only if a word character follows
                if (i + 1 >= n) {
                    break;
                }
                char d = buf[i + 1];
                w = d < 128 ? (ASCII_WORD[d] ? 1 : 0) : wordWidth(buf, i + 1, n);
                if (w == 0) {
                    break;
                }
                if (c >= 128 || d >= 128) {
                    ascii = false;
                }
                i += 1 + w;
            }
            if (ascii) {
                for (int k = s; k < i; k++) {
                    char x = buf[k];
                    if (x >= 'A' && x <= 'Z') {
                        buf[k] = (char) (x + ('a' - 'A'));
                    }
                }
                sink.token(buf, s, i - s);
            } else {
                char[] lower = new String(buf, s, i - s).toLowerCase(Locale.ROOT).toCharArray();
                sink.token(lower, 0, lower.length);
            }
        }
    }

    /** The number of chars (1 or 2) of the word character at {@code i}, or 0 if it is not one. */
    private static int wordWidth(char[] buf, int i, int n) {
        char c = buf[i];
        int cp = c;
        int width = 1;
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(buf[i + 1])) {
            cp = Character.toCodePoint(c, buf[i + 1]);
            width = 2;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.COMBINING_SPACING_MARK:
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return width;
            default:
                return 0;
        }
    }

    @Override
    public String toString() {
        return preTokenized ? "WordTokenizer[whitespace]" : "WordTokenizer[unicode]";
    }
}
