package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** An accumulator written and read back behaves as the one written: the form partitions travel in. */
class AccumulatorStateTest {

    private static List<String> texts(int n, long seed) {
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far", "away", "Zoë's",
            "l’homme", "42", "over", "hill"};
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + r.nextInt(40);
            for (int k = 0; k < len; k++) {
                b.append(words[r.nextInt(words.length)]).append(r.nextInt(5) == 0 ? ". " : " ");
            }
            out.add(b.toString());
        }
        return out;
    }

    private static LexicalPanel.Accumulator roundTrip(LexicalPanel panel, LexicalPanel.Accumulator a)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        a.writeTo(new DataOutputStream(buf));
        return panel.readAccumulator(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));
    }

    @Test
    void partsWrittenReadAndCombinedInOrderGiveTheWholeFigures() throws IOException {
        LexicalPanel panel = LexicalPanel.create();
        List<String> all = texts(3000, 5); // > one n-gram buffer chunk per part
        SortedMap<String, Double> expected = panel.measure(all);
        LexicalPanel.Accumulator combined = null;
        for (List<String> part : List.of(all.subList(0, 1000), all.subList(1000, 1001), all.subList(1001, 3000))) {
            LexicalPanel.Accumulator a = panel.accumulator();
            part.forEach(a::acceptText);
            LexicalPanel.Accumulator read = roundTrip(panel, a);
            assertEquals(a.figures(), read.figures());
            combined = combined == null ? read : combined.combine(read);
        }
        assertEquals(expected, combined.figures());
        assertEquals(3000, combined.texts());
    }

    @Test
    void aReadAccumulatorKeepsAccepting() throws IOException {
        LexicalPanel panel = LexicalPanel.create();
        List<String> all = texts(500, 9);
        LexicalPanel.Accumulator a = panel.accumulator();
        all.subList(0, 200).forEach(a::acceptText);
        LexicalPanel.Accumulator b = roundTrip(panel, a);
        all.subList(200, 500).forEach(b::acceptText);
        assertEquals(panel.measure(all), b.figures());
        LexicalPanel.Accumulator empty = roundTrip(panel, panel.accumulator());
        assertEquals(panel.accumulator().figures().toString(), empty.figures().toString());
    }

    @Test
    void otherSettingsOrGarbageAreRefused() throws IOException {
        LexicalPanel.Accumulator a = LexicalPanel.create().accumulator().acceptText("a b c");
        IOException e = assertThrows(IOException.class,
                () -> roundTrip(LexicalPanel.of(WordTokenizer.whitespace(), 50, 0.72), a));
        assertTrue(e.getMessage().contains("whitespace"), e.getMessage());
        assertThrows(IOException.class, () -> LexicalPanel.create().readAccumulator(
                new DataInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))));
    }
}
