package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.model.TrainingReport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The report states how the like-with-like figures were matched, read from the records. */
class ReportMatchingNoteTest {

    private static IterationRecord record(String strategy, int t, Map<String, Double> data) {
        return new IterationRecord(strategy, t, "bpb.macro", new TreeMap<>(Map.of("bpb.macro", 2.0)),
                new TreeMap<>(data), null, TrainingReport.empty(), null, null, 0, 0, 0, false, null);
    }

    @Test
    void theNoteNamesCountLengthTheUnmatchedSetsAndTheDomains() {
        List<IterationRecord> records = List.of(
                record("symbiosis", 1, Map.of("matched.texts", 8.0, "matched.length", 96.0,
                        "matched.eligible_texts", 19.0, "matched.lexical.mtld", 40.0, "real.matched.lexical.mtld",
                        50.0, "fidelity.bpb.mail", 2.5, "fidelity.bpb.sotu", 2.4, "fidelity.bpb.domain_macro", 2.45)),
                record("real-upper-bound", 1, Map.of("matched.texts", 8.0, "matched.length", 96.0,
                        "matched.eligible_texts", 2.0, "real.matched.lexical.mtld", 50.0)));
        String note = Report.matchingNote(records);
        assertTrue(note.contains("on 8 texts"), note);
        assertTrue(note.contains("at least 96 code points, each cut to its first 96 code points"), note);
        assertTrue(note.contains("<code>real.matched.*</code>"), note);
        assertTrue(note.contains("no matched figures: real-upper-bound 1 (2)."), note);
        assertTrue(note.contains("Domains: mail, sotu."), note);
        assertEquals("", Report.matchingNote(List.of(record("a", 1, Map.of("lexical.mtld", 3.0)))));
    }
}
