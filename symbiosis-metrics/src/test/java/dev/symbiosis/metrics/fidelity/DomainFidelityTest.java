package dev.symbiosis.metrics.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

public class DomainFidelityTest {

    /** One token per character; a vowel costs log2(10) bits, any other character log2(100). */
    public static final TextScorer VOWELS = unigram("aeiou");

    /**
     * A scorer of one token per character with fixed probabilities: 0.1 for a character of {@code likely}, 0.01
     * for any other (entropy 3 nats everywhere).
     */
    public static TextScorer unigram(String likely) {
        return texts -> scores(texts, likely);
    }

    private static List<TokenScores> scores(List<String> texts, String likely) {
        List<TokenScores> out = new ArrayList<>();
        for (String t : texts) {
            ImmutableIntArray.Builder ids = ImmutableIntArray.builder();
            ImmutableIntArray.Builder st = ImmutableIntArray.builder();
            ImmutableIntArray.Builder en = ImmutableIntArray.builder();
            ImmutableDoubleArray.Builder lp = ImmutableDoubleArray.builder();
            ImmutableDoubleArray.Builder h = ImmutableDoubleArray.builder();
            for (int i = 0; i < t.length(); i++) {
                ids.add(t.charAt(i));
                st.add(i);
                en.add(i + 1);
                if (i > 0) {
                    lp.add(Math.log(likely.indexOf(t.charAt(i)) >= 0 ? 0.1 : 0.01));
                    h.add(3.0);
                }
            }
            out.add(new TokenScores(t, ids.build(), st.build(), en.build(), lp.build(), h.build()));
        }
        return out;
    }

    static final double LOG2_10 = Math.log(10) / Math.log(2);

    @Test
    void perDomainFiguresAndTheMacroByHand() {
        DomainFidelity df = new DomainFidelity(new Fidelity(VOWELS, 2));
        // x: "aaaa" -> 3 vowels predicted over 3 bytes: log2(10) bits per byte;
        // y: "bbab" + "bb" -> b, a, b (5 log2 10 bits, 3 bytes) and b (2 log2 10 bits, 1 byte): 7/4 log2(10)
        SortedMap<String, Fidelity.Result> r = df.measure(List.of("aaaa", "bbab", "zz", "bb"),
                Arrays.asList("x", "y", null, "y"));
        assertEquals(Set.of("x", "y"), r.keySet());
        assertEquals(LOG2_10, r.get("x").bitsPerByte(), 1e-12);
        assertEquals(1.75 * LOG2_10, r.get("y").bitsPerByte(), 1e-12);
        assertEquals(2, r.get("y").texts());
        assertEquals((1 + 1.75) / 2 * LOG2_10, DomainFidelity.macroBitsPerByte(r, List.of("x", "y")), 1e-12);
        assertEquals(LOG2_10, DomainFidelity.macroBitsPerByte(r, List.of("x")), 1e-12);
        assertTrue(Double.isNaN(DomainFidelity.macroBitsPerByte(r, List.of())));
        assertThrows(IllegalArgumentException.class, () -> DomainFidelity.macroBitsPerByte(r, List.of("z")));
        assertThrows(IllegalArgumentException.class, () -> df.measure(List.of("aa"), List.of()));
    }

    @Test
    void aShiftOfTheDomainMixMovesTheCorpusFigureButNotTheMacro() {
        Fidelity f = new Fidelity(VOWELS);
        DomainFidelity df = new DomainFidelity(f);
        List<String> mostlyY = List.of("aaaa", "bbbb", "bbbb", "bbbb");
        List<String> mostlyX = List.of("aaaa", "aaaa", "aaaa", "bbbb");
        List<String> domainsY = List.of("x", "y", "y", "y");
        List<String> domainsX = List.of("x", "x", "x", "y");
        // corpus: (1 * 1 + 3 * 2) / 4 and (3 * 1 + 1 * 2) / 4 of log2(10)
        assertEquals(1.75 * LOG2_10, f.measure(mostlyY).bitsPerByte(), 1e-12);
        assertEquals(1.25 * LOG2_10, f.measure(mostlyX).bitsPerByte(), 1e-12);
        double a = DomainFidelity.macroBitsPerByte(df.measure(mostlyY, domainsY), List.of("x", "y"));
        double b = DomainFidelity.macroBitsPerByte(df.measure(mostlyX, domainsX), List.of("x", "y"));
        assertEquals(1.5 * LOG2_10, a, 1e-12);
        assertEquals(a, b, 1e-12);
    }
}
