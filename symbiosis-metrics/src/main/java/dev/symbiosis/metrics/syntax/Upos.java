package dev.symbiosis.metrics.syntax;

import java.util.Locale;

/**
 * The 17 Universal Dependencies part-of-speech tags (UPOS, UD v2: https://universaldependencies.org/u/pos/), in
 * alphabetical order; {@link #ordinal()} is the dense code used by the n-gram tables of this package.
 */
public enum Upos {
    ADJ, ADP, ADV, AUX, CCONJ, DET, INTJ, NOUN, NUM, PART, PRON, PROPN, PUNCT, SCONJ, SYM, VERB, X;

    /** The number of tags, 17. */
    public static final int COUNT = values().length;

    private static final Upos[] VALUES = values();

    /** The tag with this code. */
    public static Upos ofCode(int code) {
        return VALUES[code];
    }

    /**
     * The tag of a UPOS name (case-insensitive); any other string (a language-specific XPOS tag, say) is {@link #X},
     * UD's "other".
     */
    public static Upos parse(String tag) {
        switch (tag.toUpperCase(Locale.ROOT)) {
            case "ADJ": return ADJ;
            case "ADP": return ADP;
            case "ADV": return ADV;
            case "AUX": return AUX;
            case "CCONJ": return CCONJ;
            case "DET": return DET;
            case "INTJ": return INTJ;
            case "NOUN": return NOUN;
            case "NUM": return NUM;
            case "PART": return PART;
            case "PRON": return PRON;
            case "PROPN": return PROPN;
            case "PUNCT": return PUNCT;
            case "SCONJ": return SCONJ;
            case "SYM": return SYM;
            case "VERB": return VERB;
            default: return X;
        }
    }
}
