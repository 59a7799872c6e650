package dev.symbiosis.core.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.testkit.CurriculumContract;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateCurriculumTest implements CurriculumContract {

    @Override
    public Curriculum curriculum() {
        return TemplateCurriculum.create();
    }

    private static Feedback feedbackOn(String text, Span span) {
        HardExample h = new HardExample(new Document("d1", text, Provenance.of("pool")), 2.0, -3.0, 2.0,
                span == null ? ImmutableList.of() : ImmutableList.of(span), null);
        return new Feedback(0, 1, ImmutableList.of(h), 2.0, -3.0);
    }

    @Test
    void prefixTeachingPromptEndsWithTheSalientSpanAndStartsAtAWord() {
        String text = "It was a truth universally acknowledged that a single man in possession of a good fortune";
        int s = text.indexOf("single man");
        Span span = new Span(s, s + "single man".length());
        Curriculum c = TemplateCurriculum.builder().optContextChars(20).build();
        Prompt p = c.teachingPrompts(0, feedbackOn(text, span)).get(0);
        assertTrue(p.text().endsWith("single man"), p.text());
        assertTrue(text.contains(p.text()));
        assertTrue(p.text().length() <= 20 + "single man".length());
        assertTrue(Character.isLetter(p.text().charAt(0)) && text.charAt(text.indexOf(p.text()) - 1) == ' ',
                "prompt must start at a word: " + p.text());
        assertEquals(s + ":" + span.end(), p.provenance().attributes().get("salient_span"));
    }

    @Test
    void instructionStyleUsesTheProposalsTemplates() {
        Curriculum c = TemplateCurriculum.builder().optStyle(TemplateCurriculum.Style.INSTRUCTION)
                .optTopics(List.of("photosynthesis")).build();
        assertEquals("Explain the concept of photosynthesis in a way a high school student could understand.",
                c.topicPrompts(0, 1, 7).get(0).text());
        Prompt t = c.teachingPrompts(0, feedbackOn("Light drives the reaction.", null)).get(0);
        assertTrue(t.text().startsWith("The following text was difficult for my student to understand: "
                + "'Light drives the reaction.'"), t.text());
    }

    @Test
    void topicPromptsDependOnSeedAndIteration() {
        Curriculum c = TemplateCurriculum.create();
        assertTrue(!c.topicPrompts(0, 20, 1).equals(c.topicPrompts(0, 20, 2)));
        assertTrue(!c.topicPrompts(0, 20, 1).equals(c.topicPrompts(1, 20, 1)));
        for (Prompt p : c.topicPrompts(0, 20, 1)) {
            String topic = p.provenance().attributes().get("topic");
            assertTrue(p.text().toLowerCase().contains(topic), p.text());
        }
    }

    @Test
    void invalidConfigurationIsRefused() {
        var b = TemplateCurriculum.builder();
        assertThrows(IllegalArgumentException.class, () -> b.optTopics(List.of()));
        assertThrows(IllegalArgumentException.class, () -> b.optTopicTemplates(List.of("no placeholder")));
        assertThrows(IllegalArgumentException.class, () -> b.optTeachingTemplate("no placeholder"));
        assertThrows(IllegalArgumentException.class, () -> TemplateCurriculum.create().topicPrompts(-1, 1, 0));
    }
}
