package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The standard measurement's like-with-like figures, next to its figures of before, which they leave alone. */
class DefaultComponentsTest {

    private static final String[] WORDS = {"river", "stone", "light", "house", "field", "storm", "bread", "green",
        "quiet", "table", "horse", "night", "water", "glass", "cloud", "paper"};

    /** {@code n} texts of 30 words each, varied by {@code shift}. */
    private static List<String> texts(int n, int shift) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder("The");
            for (int j = 0; j < 30; j++) {
                b.append(' ').append(WORDS[(i * 7 + j * (shift + 3)) % WORDS.length]);
            }
            out.add(b.append('.').toString());
        }
        return out;
    }

    private static List<Document> fidelity() {
        List<Document> docs = new ArrayList<>();
        List<String> t = texts(40, 1);
        for (int i = 0; i < t.size(); i++) {
            docs.add(new Document("f" + i, t.get(i), Provenance.of(i < 30 ? "sotu" : "mail")));
        }
        return docs;
    }

    @Test
    void realDocumentsAreTheFirstOfEachDomain() {
        List<Document> real = DefaultComponents.realDocuments(fidelity());
        assertEquals(DefaultComponents.REAL_DOCUMENTS_PER_DOMAIN + 10, real.size());
        assertEquals(fidelity().subList(0, DefaultComponents.REAL_DOCUMENTS_PER_DOMAIN),
                real.subList(0, DefaultComponents.REAL_DOCUMENTS_PER_DOMAIN));
        assertEquals(fidelity().subList(30, 40), real.subList(DefaultComponents.REAL_DOCUMENTS_PER_DOMAIN,
                real.size()));
    }

    @Test
    void theRunnersMeasureAddsMatchedAndDomainFiguresAndKeepsEveryOldOne() {
        ExperimentConfig c = ExperimentConfig.preset("smoke");
        LanguageModel reference = CharBigramModel.trainedOn("reference", texts(10, 2));
        List<String> synthetic = texts(20, 4);
        TextSetMeasure old = DefaultComponents.measure(c, fidelity().stream().map(Document::text).toList(),
                reference);
        TextSetMeasure now = DefaultComponents.measure(c, fidelity(), Map.of("field", "mail"), reference);
        SortedMap<String, Double> before = old.measure(synthetic);
        SortedMap<String, Double> after = now.measure(synthetic);
        SortedMap<String, Double> kept = new TreeMap<>(after);
        kept.keySet().removeIf(k -> !before.containsKey(k));
        assertEquals(before, kept, "every figure of before, bit for bit");
        assertEquals(c.measureSample() / 4.0, after.get("matched.texts"));
        assertEquals(2.0 * c.sampling().maxNewTokens(), after.get("matched.length"));
        assertTrue(after.containsKey("matched.lexical.mtld") && after.containsKey("matched.syntax.pos_entropy_3"));
        assertTrue(after.containsKey("real.matched.lexical.mtld"));
        assertFalse(after.containsKey("fidelity.bpb.domain_macro"), "no provenance, no domain");

        List<Provenance> provenances = new ArrayList<>();
        for (int i = 0; i < synthetic.size(); i++) {
            Provenance p = Provenance.of("generator", 1).with("origin", "synthetic");
            provenances.add(i % 2 == 0 ? p.with("source_of_example", "sotu") : p.with("topic", "field"));
        }
        SortedMap<String, Double> byDomain = now.measure(synthetic, provenances);
        assertEquals(2.0, byDomain.get("fidelity.domains"));
        assertTrue(byDomain.get("fidelity.bpb.sotu") > 0 && byDomain.get("fidelity.real_bpb.mail") > 0);
        assertEquals((byDomain.get("fidelity.bpb.sotu") + byDomain.get("fidelity.bpb.mail")) / 2,
                byDomain.get("fidelity.bpb.domain_macro"), 1e-12);
        SortedMap<String, Double> common = new TreeMap<>(byDomain);
        common.keySet().removeIf(k -> !after.containsKey(k));
        assertEquals(after, common);
    }
}
