package dev.symbiosis.djl.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Consumer;

/**
 * GPT-2's byte-level alphabet and pre-tokenizer.
 *
 * <p>Every byte is shown as one printable character ({@code bytes_to_unicode} of the GPT-2 reference encoder):
 * the 188 printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards in byte order (so a space is
 * {@code 'Ġ'}, a newline {@code 'Ċ'}). Symbol ids 0..255 follow the reference ordering: printable bytes first, so
 * that they coincide with GPT-2's ids for single bytes.
 */
public final class ByteLevel {

    /**
     * GPT-2's pre-tokenization regex; {@link Pattern#UNICODE_CHARACTER_CLASS} makes {@code \s} Unicode-aware as in
     * the Rust implementation of Hugging Face tokenizers.
     */
    public static final Pattern PRE_TOKENIZER = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** Number of byte symbols. */
    public static final int ALPHABET_SIZE = 256;

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] BYTE_TO_SYMBOL = new int[256];
    private static final int[] SYMBOL_TO_BYTE = new int[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        int symbol = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                BYTE_TO_CHAR[b] = (char) b;
                BYTE_TO_SYMBOL[b] = symbol;
                SYMBOL_TO_BYTE[symbol++] = b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTE_TO_CHAR[b] = (char) (256 + extra++);
                BYTE_TO_SYMBOL[b] = symbol;
                SYMBOL_TO_BYTE[symbol++] = b;
            }
        }
        Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteLevel() {}

    /** The printable character that stands for byte {@code b} (0..255). */
    public static char byteToChar(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte (0..255) a byte-level character stands for, or -1 if {@code c} is not in the alphabet. */
    public static int charToByte(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The symbol id (0..255, GPT-2 order) of byte {@code b}. */
    public static int byteToSymbol(int b) {
        return BYTE_TO_SYMBOL[b & 0xFF];
    }

    /** The byte (0..255) of symbol id {@code symbol} (0..255). */
    public static int symbolToByte(int symbol) {
        return SYMBOL_TO_BYTE[symbol];
    }

    /** The byte-level string of the UTF-8 encoding of {@code text}. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * The bytes a byte-level string stands for, or {@code null} if it holds a character outside the alphabet.
     */
    public static byte[] decodeToBytes(String byteLevel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(byteLevel.length());
        for (int i = 0; i < byteLevel.length(); i++) {
            int b = charToByte(byteLevel.charAt(i));
            if (b < 0) {
                return null;
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Calls {@code sink} with each GPT-2 pre-token of {@code text}, in order; together they are the text. */
    public static void preTokenize(CharSequence text, Consumer<String> sink) {
        Matcher m = PRE_TOKENIZER.matcher(text);
        while (m.find()) {
            sink.accept(m.group());
        }
    }
}
