package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.ProvenanceKeys;
import dev.symbiosis.core.text.Span;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training texts with a context (issue 17's masked-context teaching): the budget counts the context, the files keep
 * it, the teaching prompt is the real text cut before the salient span, the Student trains on the completion only,
 * and records carry the real context tokens only when there are any.
 */
class ContextTextsTest {

    private static final Provenance P = Provenance.of("test");

    @Test
    void theBudgetCountsTheContextAndCutsOnlyTheText() {
        TokenBudget b = new TokenBudget(30, String::length); // one token per char
        assertTrue(b.offer(new TrainingText("abcdefghij", 1.0, P, "0123456789")));
        assertEquals(20, b.tokens());
        assertEquals(10, b.contextTokens());
        // 10 tokens left: the context takes 6, the text is cut to at most 4
        assertTrue(b.offer(new TrainingText(" aa bb cc dd ee", 1.0, P, "ctx---")));
        assertTrue(b.isFull());
        TrainingText cut = b.texts().get(1);
        assertEquals("ctx---", cut.context(), "the context is never cut");
        assertEquals(" aa", cut.text(), "the cut keeps the space that continues the context");
        assertEquals("true", cut.provenance().attributes().get("truncated"));
        assertEquals(16, b.contextTokens());
        assertEquals(29, b.tokens());

        TokenBudget small = new TokenBudget(8, String::length);
        assertFalse(small.offer(new TrainingText("text", 1.0, P, "a context too long")));
        assertTrue(small.isFull(), "a context that does not fit leaves no room");
        assertTrue(small.texts().isEmpty());

        // one token of text is enough after a context (it is predicted from it), not without one
        TokenBudget one = new TokenBudget(10, String::length);
        assertTrue(one.offer(new TrainingText("x", 1.0, P, "ab")));
        assertFalse(one.offer(TrainingText.of("y", P)));
        assertEquals(3, one.tokens());
    }

    @Test
    void aContextIsCutFromTheLeftToWhatTheStudentReads() {
        TrainingText t = new TrainingText(" end", 1.0, P, "one two three four");
        // a window of 12 tokens (one per char): 12 - 1 (end of text) - 4 (text) = 7 for the context
        TrainingText fit = IterationContext.fitContext(t, 12, String::length);
        assertEquals("four", fit.context());
        assertEquals(" end", fit.text());
        assertEquals("true", fit.provenance().attributes().get("context_truncated"));
        assertTrue(t == IterationContext.fitContext(t, 23, String::length), "18 + 4 + 1 fit in 23: unchanged");
        assertEquals("two three four", IterationContext.fitContext(t, 22, String::length).context());
        assertTrue(t == IterationContext.fitContext(t, Integer.MAX_VALUE, String::length));
        assertFalse(IterationContext.fitContext(t, 5, String::length).hasContext(), "the text alone fills it");
    }

    @Test
    void textsWithoutContextAreTheTextsOfBefore() {
        TrainingText t = new TrainingText("abc", 2.0, P);
        assertEquals(new TrainingText("abc", 2.0, P, ""), t);
        assertFalse(t.hasContext());
        assertThrows(NullPointerException.class, () -> new TrainingText("abc", 1.0, P, null));
        TokenBudget b = new TokenBudget(7, String::length);
        b.offer(TrainingText.of("hello world", P));
        assertEquals(List.of(new TrainingText("hello", 1.0, P.with("truncated", "true"))), b.texts());
        assertEquals(0, b.contextTokens());
    }

    @Test
    void filesKeepTheContextAndLeaveItOutWhenThereIsNone(@TempDir Path dir) throws IOException {
        List<TrainingText> texts = List.of(new TrainingText(" continues", 1.0, P, "Real text"),
                TrainingText.of("plain", P));
        Path f = dir.resolve("texts.jsonl");
        TextsFile.writeTexts(f, texts);
        assertEquals(texts, TextsFile.readTexts(f));
        List<String> lines = java.nio.file.Files.readAllLines(f);
        assertTrue(lines.get(0).contains("\"context\":\"Real text\""), lines.get(0));
        assertFalse(lines.get(1).contains("context"), lines.get(1));
    }

    @Test
    void theMaskedPromptIsTheRealTextBeforeTheSpanAndTheStudentReadsItAsContext() {
        String text = "The old sailor mended his nets by the harbour wall every morning before dawn.";
        int spanStart = text.indexOf(" by the");
        Span span = new Span(spanStart, spanStart + " by the harbour".length());
        HardExample h = new HardExample(new Document("doc-1", text, Provenance.of("pool")), 1.0, -1.0, 1.0,
                ImmutableList.of(span), null);
        Feedback f = new Feedback(3, 1, ImmutableList.of(h), 1.0, -1.0);
        TemplateCurriculum c = TemplateCurriculum.builder().optContextChars(18).build();

        List<Prompt> masked = c.maskedContextPrompts(3, f);
        assertEquals(1, masked.size());
        // 18 chars before the span start is the middle of "sailor": moved forward to the next word
        assertEquals("mended his nets", masked.get(0).text());
        assertEquals(text.substring(text.indexOf("mended"), spanStart), masked.get(0).text());
        assertEquals("true", masked.get(0).provenance().attributes().get(ProvenanceKeys.REAL_CONTEXT));
        assertEquals(ProvenanceKeys.TEACHING, masked.get(0).provenance().attributes().get(ProvenanceKeys.KIND));
        assertEquals("doc-1", masked.get(0).provenance().attributes().get(ProvenanceKeys.HARD_EXAMPLE));
        // the usual teaching prompt ends with the span instead, and is not marked
        Prompt usual = c.teachingPrompts(3, f).get(0);
        assertTrue(usual.text().endsWith("by the harbour"), usual.text());
        assertNull(usual.provenance().attributes().get(ProvenanceKeys.REAL_CONTEXT));

        Sample s = new Sample(masked.get(0), " with great care.  ", 4, Provenance.of("g0"));
        TrainingText t = IterationContext.toTrainingText(s, 1.0);
        assertEquals(" with great care.", t.text(), "the completion, its leading space kept");
        assertEquals("mended his nets", t.context());
        assertEquals(IterationContext.REAL, t.provenance().attributes().get(IterationContext.CONTEXT_ORIGIN));
        assertEquals(IterationContext.SYNTHETIC, t.provenance().attributes().get(IterationContext.ORIGIN));
        assertNull(IterationContext.toTrainingText(new Sample(masked.get(0), "  ", 1, Provenance.of("g0")), 1.0));
        TrainingText plain = IterationContext.toTrainingText(new Sample(usual, " nets.", 2, Provenance.of("g0")), 1.0);
        assertFalse(plain.hasContext());
        assertEquals("nets.", plain.text());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TemplateCurriculum.builder()
                .optStyle(TemplateCurriculum.Style.INSTRUCTION).build().maskedContextPrompts(3, f));
        assertTrue(e.getMessage().contains("prefix"), e.getMessage());
    }

    @Test
    void theSpanAtTheStartOfTheTextFallsBackToTheUsualPrompt() {
        String text = "Nets were mended at dawn.";
        HardExample h = new HardExample(new Document("d", text, Provenance.of("pool")), 1.0, -1.0, 1.0,
                ImmutableList.of(new Span(0, 4)), null);
        Feedback f = new Feedback(1, 1, ImmutableList.of(h), 1.0, -1.0);
        TemplateCurriculum c = TemplateCurriculum.create();
        assertEquals("Nets", c.maskedContextPrompts(1, f).get(0).text());
    }

    @Test
    void theContextCarriesNoLossInTheTestDouble() {
        // the bigram double learns the pairs of the text and the one joining it to the context, none inside it:
        // after "qqqq" as context, "xy" teaches q->x and x->y, exactly what the plain text "qxy" teaches
        CharBigramModel masked = new CharBigramModel("a");
        TrainingReport r = masked.train(List.of(new TrainingText("xy", 1.0, P, "qqqq")));
        assertEquals(2, r.tokens(), "x from the context's last q, then y");
        CharBigramModel joinOnly = new CharBigramModel("b");
        joinOnly.train(List.of(TrainingText.of("qxy", P)));
        CharBigramModel whole = new CharBigramModel("c");
        whole.train(List.of(TrainingText.of("qqqqxy", P)));
        String probe = "qqqqxy";
        assertEquals(joinOnly.score(List.of(probe)), masked.score(List.of(probe)));
        assertTrue(whole.score(List.of(probe)).get(0).sumLogProb()
                > masked.score(List.of(probe)).get(0).sumLogProb(), "training on the context too learns q->q");
    }

    @Test
    void recordsCarryRealContextTokensOnlyWhenThereAreAny() throws IOException {
        IterationRecord without = new IterationRecord("s", 1, "h", new TreeMap<>(), new TreeMap<>(), null,
                TrainingReport.empty(), null, null, 1, 10, 0, false, null, null, 0, 0);
        assertNull(without.realContextTokens());
        String json = Json.writer().writeValueAsString(without);
        assertFalse(json.contains("realContextTokens"), json);
        IterationRecord with = new IterationRecord("s", 1, "h", new TreeMap<>(), new TreeMap<>(), null,
                TrainingReport.empty(), null, null, 1, 10, 0, false, null, null, 0, 0, 5L);
        String json2 = Json.writer().writeValueAsString(with);
        JsonNode o = Json.parse(json2);
        assertEquals(5, o.get("realContextTokens").asLong());
        assertEquals(with, Json.reader().forType(IterationRecord.class).readValue(json2));
        assertEquals(without, Json.reader().forType(IterationRecord.class).readValue(json));
        // the field comes last, so a record without it is the record of before, byte for byte
        assertEquals(json, json2.replace(",\"realContextTokens\":5", ""));
    }
}
