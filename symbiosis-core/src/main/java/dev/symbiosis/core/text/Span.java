package dev.symbiosis.core.text;

/**
 * A half-open range {@code [start, end)} of character (UTF-16 code unit) offsets in a text.
 *
 * @param start first offset, {@code >= 0}
 * @param end offset one past the last character, {@code >= start}
 */
public record Span(int start, int end) {

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
        }
    }

    /** Number of characters covered. */
    public int length() {
        return end - start;
    }

    /** The covered part of {@code text}. */
    public String of(String text) {
        if (end > text.length()) {
            throw new IllegalArgumentException(
                    "span [" + start + ", " + end + ") exceeds text of length " + text.length());
        }
        return text.substring(start, end);
    }

    /** Whether the two spans share at least one character. */
    public boolean overlaps(Span other) {
        return start < other.end && other.start < end;
    }
}
