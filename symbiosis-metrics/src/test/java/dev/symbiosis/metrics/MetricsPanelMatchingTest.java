package dev.symbiosis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.metrics.fidelity.DomainFidelityTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The like-with-like figures of {@link MetricsPanel}: {@code matched.*}, {@code real.matched.*}, domain fidelity. */
class MetricsPanelMatchingTest {

    private static final double LOG2_10 = Math.log(10) / Math.log(2);

    /** {@code n} texts of {@code words} distinct four-letter words each ("w" + three digits), one space apart. */
    private static List<String> wordTexts(int first, int n, int words) {
        List<String> out = new ArrayList<>();
        int w = first;
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < words; j++) {
                b.append(j == 0 ? "" : " ").append('w').append(String.format("%03d", w++ % 1000));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static Provenance synthetic(String key, String value) {
        return Provenance.of("generator", 1).with("origin", "synthetic").with(key, value);
    }

    @Test
    void matchedFiguresSeeEqualCountsAndLengthsWhateverTheSets() {
        MetricsPanel panel = MetricsPanel.builder().syntax(false).matched(6, 24).build();
        List<String> fewLong = wordTexts(0, 8, 30);
        List<String> manyShort = wordTexts(500, 40, 6);
        SortedMap<String, Double> a = panel.measure(fewLong);
        SortedMap<String, Double> b = panel.measure(manyShort);
        // unmatched: 240 tokens against 240 tokens but 8 against 40 texts; 24 code points hold 5 whole words
        assertEquals(240.0, a.get("lexical.tokens"));
        assertEquals(240.0, b.get("lexical.tokens"));
        assertEquals(30.0, a.get("matched.lexical.tokens"));
        assertEquals(30.0, b.get("matched.lexical.tokens"));
        assertEquals(6.0, a.get("matched.texts"));
        assertEquals(24.0, a.get("matched.length"));
        assertEquals(8.0, a.get("matched.eligible_texts"));
        assertEquals(40.0, b.get("matched.eligible_texts"));
        assertEquals(1.0, a.get("matched.lexical.ttr"), "all 30 words distinct");
        assertFalse(a.containsKey("real.matched.lexical.tokens"));
    }

    @Test
    void longerTextsNoLongerLookMoreDiverseOnceCut() {
        MetricsPanel panel = MetricsPanel.builder().syntax(false).matched(5, 40).build();
        List<String> texts = List.of("the cat sat on the mat and the dog sat on the log",
                "a bird in the hand is worth two in the bush they say",
                "all that glitters is not gold and all that wander are not lost",
                "the quick brown fox jumps over the lazy dog once more",
                "to be or not to be that is the question we ask", "one two");
        List<String> longer = texts.stream().map(t -> t + " " + "unique" + t.length() + " words added here").toList();
        SortedMap<String, Double> a = panel.measure(texts);
        SortedMap<String, Double> b = panel.measure(longer);
        assertNotEquals(a.get("lexical.types"), b.get("lexical.types"));
        // the same texts drawn (same eligible count and seed), cut to the same prefixes: identical figures
        for (String k : a.keySet()) {
            if (k.startsWith("matched.")) {
                assertEquals(a.get(k), b.get(k), k);
            }
        }
    }

    @Test
    void tooFewEligibleTextsLeaveTheMatchedFiguresOut() {
        SortedMap<String, Double> f = MetricsPanel.builder().syntax(false).matched(3, 10).build()
                .measure(List.of("long enough text", "short", "another long text"));
        assertEquals(2.0, f.get("matched.eligible_texts"));
        assertEquals(3.0, f.get("matched.texts"));
        assertNull(f.get("matched.lexical.tokens"));
    }

    @Test
    void realDocumentsAreMeasuredByTheSameMatchedRoute() {
        List<String> realTexts = wordTexts(100, 12, 10);
        List<Document> real = new ArrayList<>();
        for (int i = 0; i < realTexts.size(); i++) {
            real.add(new Document("r" + i, realTexts.get(i), Provenance.of(i % 2 == 0 ? "x" : "y")));
        }
        MetricsPanel panel = MetricsPanel.builder().syntax(false).matched(4, 24).seed(5L).realDocuments(real)
                .build();
        SortedMap<String, Double> synth = panel.measure(wordTexts(0, 9, 7));
        SortedMap<String, Double> ofReal = panel.measure(realTexts);
        int realFigures = 0;
        for (Map.Entry<String, Double> e : ofReal.entrySet()) {
            if (e.getKey().startsWith("matched.")) {
                assertEquals(e.getValue(), synth.get("real." + e.getKey()), e.getKey());
                realFigures++;
            }
        }
        assertTrue(realFigures > 5, "real.matched.* holds every matched figure");
    }

    @Test
    void domainMatchedFidelityIgnoresTheDomainMixAndComparesWithTheSameDomainsRealText() {
        // real x: "aaaaa" at log2(10); real y: "bbab" at 5/3 log2(10); real macro 4/3 log2(10)
        List<Document> real = List.of(new Document("r1", "aaaaa", Provenance.of("x")),
                new Document("r2", "bbab", Provenance.of("y")));
        MetricsPanel panel = MetricsPanel.builder().syntax(false).lexical(null).referenceScorer(
                DomainFidelityTest.VOWELS).realDocuments(real).topicDomains(Map.of("sea", "y")).build();
        // x by a teaching prompt's hard example, y by its topic; one text of unknown domain ("war" has none)
        Provenance x = synthetic("source_of_example", "x");
        Provenance y = synthetic("topic", "sea");
        Provenance unknown = synthetic("topic", "war");
        SortedMap<String, Double> mostlyY = panel.measure(List.of("aaaa", "bbbb", "bbbb", "bbbb", "zzzz"),
                List.of(x, y, y, y, unknown));
        SortedMap<String, Double> mostlyX = panel.measure(List.of("aaaa", "aaaa", "aaaa", "bbbb", "zzzz"),
                List.of(x, x, x, y, unknown));
        assertNotEquals(mostlyY.get("fidelity.bits_per_byte"), mostlyX.get("fidelity.bits_per_byte"),
                "the corpus figure follows the mix");
        for (SortedMap<String, Double> f : List.of(mostlyY, mostlyX)) {
            assertEquals(LOG2_10, f.get("fidelity.bpb.x"), 1e-12);
            assertEquals(2 * LOG2_10, f.get("fidelity.bpb.y"), 1e-12);
            assertEquals(LOG2_10, f.get("fidelity.real_bpb.x"), 1e-12);
            assertEquals(5.0 / 3 * LOG2_10, f.get("fidelity.real_bpb.y"), 1e-12);
            assertEquals(1.5 * LOG2_10, f.get("fidelity.bpb.domain_macro"), 1e-12);
            assertEquals(4.0 / 3 * LOG2_10, f.get("fidelity.real_bpb.domain_macro"), 1e-12);
            assertEquals(LOG2_10 / 6, f.get("fidelity.gap.domain_macro"), 1e-12);
            assertEquals(2.0, f.get("fidelity.domains"));
            assertEquals(1.0, f.get("fidelity.domain_unknown_texts"));
        }
        // without provenance: the same figures as before, no domain figure
        SortedMap<String, Double> plain = panel.measure(List.of("aaaa", "bbbb", "bbbb", "bbbb", "zzzz"));
        assertFalse(plain.containsKey("fidelity.bpb.domain_macro"));
        SortedMap<String, Double> withoutDomains = new TreeMap<>(mostlyY);
        withoutDomains.keySet().removeIf(k -> !plain.containsKey(k));
        assertEquals(plain, withoutDomains);
        assertThrows(IllegalArgumentException.class, () -> panel.measure(List.of("aaaa"), List.of()));
    }

    @Test
    void theDomainOfAText() {
        Map<String, String> topics = Map.of("sea", "moby-dick");
        assertEquals("mail", MetricsPanel.domainOf(Provenance.of("mail"), topics), "real text: its source");
        assertEquals("bible", MetricsPanel.domainOf(Provenance.of("corpus").with("domain", "bible"), topics));
        assertEquals("mail", MetricsPanel.domainOf(synthetic("source_of_example", "mail"), topics));
        assertEquals("moby-dick", MetricsPanel.domainOf(synthetic("topic", "sea"), topics));
        assertNull(MetricsPanel.domainOf(synthetic("topic", "war"), topics));
        assertNull(MetricsPanel.domainOf(Provenance.of("generator", 1).with("origin", "synthetic"), topics));
    }

    @Test
    void withoutMatchingOrRealDocumentsTheFiguresAreTheOldOnes() {
        List<String> texts = wordTexts(0, 10, 8);
        SortedMap<String, Double> before = MetricsPanel.builder().syntax(false).referenceScorer(
                DomainFidelityTest.VOWELS).build().measure(texts);
        SortedMap<String, Double> after = MetricsPanel.builder().syntax(false).referenceScorer(
                DomainFidelityTest.VOWELS).matched(4, 10).realDocuments(List.of(new Document("r", "aaaaaaaaaaaa",
                Provenance.of("x")))).build().measure(texts);
        SortedMap<String, Double> old = new TreeMap<>(after);
        old.keySet().removeIf(k -> k.startsWith("matched.") || k.startsWith("real."));
        assertEquals(before, old);
    }
}
