package dev.symbiosis.djl.tokenizer;

import java.util.regex.Pattern;

/** GPT-2's byte-level alphabet and pre-tokenization, shared by the trainer and tests. */
final class ByteLevel {

    /** GPT-2's pre-tokenization pattern (as in Hugging Face's ByteLevel pre-tokenizer with use_regex). */
    static final Pattern PRE_TOKENIZE = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    /** byte value (0..255) to its printable stand-in character, GPT-2's bytes_to_unicode. */
    static final char[] BYTE_TO_CHAR = new char[256];

    static {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                BYTE_TO_CHAR[b] = (char) b;
            } else {
                BYTE_TO_CHAR[b] = (char) (256 + n++);
            }
        }
    }

    private ByteLevel() {}

    /** The byte-level string of a piece of text: one stand-in character per UTF-8 byte. */
    static String encode(String piece) {
        byte[] bytes = piece.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_TO_CHAR[b & 0xFF]);
        }
        return sb.toString();
    }
}
