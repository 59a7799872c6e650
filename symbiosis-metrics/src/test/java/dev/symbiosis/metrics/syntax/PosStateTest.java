package dev.symbiosis.metrics.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** POS counts written, read back and combined give the figures of all sentences. */
class PosStateTest {

    private static final List<TaggedSentence> A = List.of(
            TaggedSentence.of(new String[] {"I", "think", "that", "it", "works", "."},
                    new String[] {"PRON", "VERB", "SCONJ", "PRON", "VERB", "PUNCT"}),
            TaggedSentence.of(new String[] {"didn't", "go"}, new String[] {"AUX+PART", "VERB"}));
    private static final List<TaggedSentence> B = List.of(
            TaggedSentence.of(new String[] {"The", "cat", "sat", "."}, new String[] {"DET", "NOUN", "VERB", "PUNCT"}));

    @Test
    void countsRoundTripAndCombine() throws IOException {
        SyntacticPanel panel = SyntacticPanel.create(new SyntaxAnalyzer() {
            @Override
            public List<TaggedSentence> analyze(String text) {
                throw new UnsupportedOperationException();
            }

            @Override
            public TaggedSentence tag(List<String> tokens) {
                throw new UnsupportedOperationException();
            }
        });
        PosNGrams g = read(PosNGrams.of(A)).combine(read(PosNGrams.of(B)));
        PosComplexity c = readC(PosComplexity.of(A)).combine(readC(PosComplexity.of(B)));
        List<TaggedSentence> all = new java.util.ArrayList<>(A);
        all.addAll(B);
        assertEquals(panel.figures(all), panel.figures(g, c));
        assertThrows(IOException.class, () -> PosNGrams.readFrom(new DataInputStream(
                new ByteArrayInputStream(new byte[] {0, 0, 0, 3, 0, 0, 0, 17}))));
    }

    private static PosNGrams read(PosNGrams g) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        g.writeTo(new DataOutputStream(buf));
        return PosNGrams.readFrom(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));
    }

    private static PosComplexity readC(PosComplexity c) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        c.writeTo(new DataOutputStream(buf));
        return PosComplexity.readFrom(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));
    }
}
