package dev.symbiosis.core.corpus;

/**
 * What a reader does with a record or file whose text is empty or only whitespace ({@link String#isBlank()}).
 */
public enum EmptyTextPolicy {
    /** Fail with a {@link CorpusFormatException} naming file and line (the default). */
    ERROR,
    /** Leave the record or file out silently. */
    SKIP
}
