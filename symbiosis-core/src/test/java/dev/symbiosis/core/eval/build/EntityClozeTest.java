package dev.symbiosis.core.eval.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityClozeTest {

    private static Document doc(String id, String domain, String text) {
        return new Document(id, text, Provenance.of(domain));
    }

    @Test
    void theContextStopsBeforeANameAndTheOtherChoicesAreNamesOfTheSameDomain() {
        List<Document> docs = new ArrayList<>();
        String[] names = {"Emma", "Harriet", "Knightley", "Elton", "Weston", "Woodhouse"};
        for (int i = 0; i < 12; i++) {
            docs.add(doc("a" + i, "austen", "It was a fine morning. Then " + names[i % 6] + " walked to the house of "
                    + names[(i + 1) % 6] + " and spoke with " + names[(i + 2) % 6] + " about the ball."));
        }
        docs.add(doc("m0", "mail", "The server went down. Then Linux crashed and Debian and Apache followed."));
        List<MultipleChoiceItem> items = EntityCloze.builder().optSeed(7).build().build(docs);
        assertEquals(12, items.size(), "one item per sentence with a name; the mail domain has too few names");
        Set<String> austen = Set.of(names);
        for (MultipleChoiceItem i : items) {
            assertEquals(EntityCloze.TASK, i.task());
            assertEquals("austen", i.source());
            assertEquals(4, i.choices().size());
            assertTrue(austen.containsAll(i.choices()), i.choices().toString());
            assertEquals(4, Set.copyOf(i.choices()).size(), "distinct choices");
            String text = docs.stream().filter(d -> i.id().contains(":" + d.id() + ":")).findFirst().orElseThrow()
                    .text();
            assertTrue(text.contains(i.context() + " " + i.answerText()), i.context() + " | " + i.answerText());
            assertFalse(i.context().endsWith(i.answerText()));
        }
        assertEquals(items, EntityCloze.builder().optSeed(7).build().build(docs), "deterministic");
        assertTrue(EntityCloze.builder().build().build(List.of()).isEmpty());
    }
}
