package dev.symbiosis.core.eval.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentences of a document for building evaluation items: a sentence ends at {@code .}, {@code !} or {@code ?}
 * (closing quotes and brackets included) followed by white space and an upper-case letter, a digit or an opening
 * quote; line breaks end a sentence too. Good enough for English prose, and deterministic.
 */
final class Sentences {

    private static final Pattern END = Pattern.compile("[.!?][\"'\u201d\u2019)\\]]*(?=\\s+[\"'\u201c\u2018(]?[A-Z0-9])"
            + "|\\n\\s*\\n?");
    private static final Pattern WORD = Pattern.compile("\\S+");

    private Sentences() {}

    /** A sentence of a document: its text and where it starts in the document. */
    record Sentence(String text, int start) {
        int end() {
            return start + text.length();
        }

        int words() {
            Matcher m = WORD.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }
    }

    /** The sentences of {@code text}, stripped, in order; empty text gives none. */
    static List<Sentence> split(String text) {
        List<Sentence> out = new ArrayList<>();
        Matcher m = END.matcher(text);
        int from = 0;
        while (m.find()) {
            add(text, from, m.end(), out);
            from = m.end();
        }
        add(text, from, text.length(), out);
        return out;
    }

    private static void add(String text, int from, int to, List<Sentence> out) {
        int a = from;
        int b = to;
        while (a < b && Character.isWhitespace(text.charAt(a))) {
            a++;
        }
        while (b > a && Character.isWhitespace(text.charAt(b - 1))) {
            b--;
        }
        if (b > a) {
            out.add(new Sentence(text.substring(a, b), a));
        }
    }

    /**
     * Up to {@code maxChars} of the document before {@code position}, starting at a word boundary, without
     * line breaks (collapsed to spaces) and stripped; empty when nothing precedes.
     */
    static String leftContext(String text, int position, int maxChars) {
        int from = Math.max(0, position - maxChars);
        if (from > 0) {
            while (from < position && !Character.isWhitespace(text.charAt(from - 1))) {
                from++;
            }
        }
        return text.substring(from, position).replaceAll("\\s+", " ").strip();
    }
}
