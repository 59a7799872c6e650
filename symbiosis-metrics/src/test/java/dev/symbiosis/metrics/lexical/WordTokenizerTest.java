package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    private static final Pattern WORD = Pattern.compile(WordTokenizer.WORD_PATTERN);

    @Test
    void splitsOnNonWordCharactersAndLowerCases() {
        assertEquals(List.of("the", "cat", "sat", "on", "the", "mat"),
                WordTokenizer.unicode().tokenize("The cat sat on the mat."));
        assertEquals(List.of("don't", "stop", "3", "14", "l’homme", "dogs"),
                WordTokenizer.unicode().tokenize("Don't stop: 3.14 l’homme 'dogs'"));
        assertEquals(List.of("straße", "élan", "naïve", "東京", "x²"),
                WordTokenizer.unicode().tokenize("Straße, Élan--naïve; 東京 x²"));
    }

    @Test
    void nonAsciiLowerCasingUsesTheRootLocale() {
        // U+0130 (capital I with dot) lower-cases to "i" + U+0307 under Locale.ROOT, not Turkish rules
        assertEquals(List.of("i\u0307stanbul"), WordTokenizer.unicode().tokenize("\u0130STANBUL"));
        assertEquals(List.of("\uD835\uDC00bc"), WordTokenizer.unicode().tokenize("\uD835\uDC00BC!"));
    }

    @Test
    void apostrophesOnlyBetweenWordCharacters() {
        assertEquals(List.of("rock", "n", "roll", "o'clock", "it's"),
                WordTokenizer.unicode().tokenize("rock 'n' roll o'clock it's''"));
        assertEquals(List.of(), WordTokenizer.unicode().tokenize("' ’ -- !?"));
        assertEquals(List.of(), WordTokenizer.unicode().tokenize(""));
    }

    @Test
    void whitespaceModeIsVerbatim() {
        WordTokenizer ws = WordTokenizer.whitespace();
        assertTrue(ws.isPreTokenized());
        assertFalse(WordTokenizer.unicode().isPreTokenized());
        assertEquals(List.of("The", "cat", "sat.", "It's", "--"), ws.tokenize("  The cat\tsat.\nIt's  -- "));
        assertEquals(List.of(), ws.tokenize(" \t\n"));
    }

    @Property(tries = 300)
    void scannerAgreesWithTheDocumentedRegex(@ForAll("mixedText") String text) {
        List<String> expected = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            expected.add(m.group().toLowerCase(Locale.ROOT));
        }
        assertEquals(expected, WordTokenizer.unicode().tokenize(text));
    }

    @Provide
    Arbitrary<String> mixedText() {
        Arbitrary<String> pieces = Arbitraries.of(
                "a", "B", "z", "É", "ß", "\u0301", "\u20DD", "7", "\u0663", "½", "Ⅻ", "東", "\uD835\uDC00", "\uD83D\uDE00",
                "\uD800", "\uDC00", "'", "\u2019", "-", ".", " ", "\t", "\u00A0", "\n", "_", "$", "İ");
        return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
    }
}
