package dev.symbiosis.core.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient hints in teaching prompts, in both styles. */
class HintRenderingTest {

    private static final String TEXT = "They walked along the bank of the river until the evening light was gone, "
            + "and then they sat down by the water and talked of old times.";

    private static Span span(String word) {
        int s = TEXT.indexOf(word);
        return new Span(s, s + word.length());
    }

    private static TokenHint hint(String word, String... candidates) {
        double[] scores = new double[candidates.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 1.0 - i * 0.1;
        }
        return TokenHint.of(0, span(word), 1.0, List.of(candidates), scores);
    }

    private static Feedback feedback(List<TokenHint> hints) {
        HardExample h = new HardExample(new Document("d", TEXT, Provenance.of("real:novel")), 2, -3, 2,
                ImmutableList.of(span("bank of the river")), null, ImmutableList.copyOf(hints));
        return new Feedback(1, 4, ImmutableList.of(h), 1, -2);
    }

    private static TemplateCurriculum prefix() {
        return TemplateCurriculum.builder().optContextChars(40).build();
    }

    private static TemplateCurriculum instruction() {
        return TemplateCurriculum.builder().optStyle(TemplateCurriculum.Style.INSTRUCTION).optContextChars(40)
                .build();
    }

    @Test
    void prefixStyleNamesTheWordsOnALineBeforeTheWindow() {
        Prompt p = prefix().teachingPrompts(1, feedback(List.of(hint("bank", " shore", "Bank", " ", "edge"),
                hint("river", " stream")))).get(0);
        String window = prefix().teachingPrompts(1, feedback(List.of())).get(0).text();
        assertEquals("Related words: bank, shore, edge, river, stream.\n" + window, p.text());
        assertTrue(p.text().endsWith("bank of the river"), "the continuation still starts at the salient span");
        assertEquals("bank>shore|edge;river>stream", p.provenance().attributes().get("hints"));
    }

    @Test
    void instructionStyleAddsAnExplicitSentence() {
        Prompt p = instruction().teachingPrompts(1, feedback(List.of(hint("bank", "shore", "edge", "side"))))
                .get(0);
        assertTrue(p.text().startsWith("The following text was difficult for my student to understand: '"),
                p.text());
        assertTrue(p.text().endsWith(" The student was most sensitive to this word: 'bank' (rather than 'shore', "
                + "'edge' or 'side'). Show why each fits where its alternatives would not."), p.text());
        Prompt two = instruction().teachingPrompts(1, feedback(List.of(hint("bank", "shore"),
                hint("river", "stream", "road")))).get(0);
        assertTrue(two.text().contains("these words: 'bank' (rather than 'shore'); 'river' (rather than 'stream' or "
                + "'road')."), two.text());
    }

    @Test
    void hintsOutsideTheWindowOrWithoutCandidatesAreLeftOut() {
        // "times" lies after the salient span: the prefix window ends before it
        Prompt p = prefix().teachingPrompts(1, feedback(List.of(hint("times", "days"), hint("bank", "BANK", " "))))
                .get(0);
        assertFalse(p.text().contains("Related words"), p.text());
        assertNull(p.provenance().attributes().get("hints"));
        // the instruction window reaches 40 characters past the span, not to the end
        Prompt q = instruction().teachingPrompts(1, feedback(List.of(hint("times", "days")))).get(0);
        assertFalse(q.text().contains("sensitive"), q.text());
    }

    @Test
    void withoutHintsThePromptsAreUnchanged() {
        for (TemplateCurriculum c : List.of(prefix(), instruction())) {
            Prompt p = c.teachingPrompts(1, feedback(List.of())).get(0);
            assertFalse(p.text().contains("Related words") || p.text().contains("sensitive"), p.text());
        }
        assertEquals("bank of the river", prefix().teachingPrompts(1, feedback(List.of())).get(0).text()
                .substring(prefix().teachingPrompts(1, feedback(List.of())).get(0).text().length() - 17));
    }
}
