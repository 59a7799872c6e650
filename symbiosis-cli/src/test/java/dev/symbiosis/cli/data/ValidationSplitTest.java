package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationSplitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ObjectNode> records(int perSource, String... sources) {
        List<ObjectNode> out = new ArrayList<>();
        for (String s : sources) {
            for (int i = 0; i < perSource; i++) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", s + "-" + i);
                o.put("text", "text " + i + " of " + s);
                o.put("source", s);
                o.put("split", "seed");
                out.add(o);
            }
        }
        return out;
    }

    private static Set<String> ids(List<ObjectNode> records) {
        return records.stream().map(o -> o.get("id").asText()).collect(Collectors.toSet());
    }

    @Test
    void holdsOutTheSameCountOfEveryDomainAndKeepsEveryDocumentInExactlyOnePart() {
        List<ObjectNode> in = records(30, "austen", "mail", "sotu");
        ValidationSplit.Parts p = ValidationSplit.carve(in, 4, 7);
        assertEquals(12, p.validation().size());
        assertEquals(78, p.train().size());
        for (String s : List.of("austen", "mail", "sotu")) {
            assertEquals(4, p.validation().stream().filter(o -> o.get("source").asText().equals(s)).count(), s);
        }
        Set<String> both = new HashSet<>(ids(p.train()));
        both.retainAll(ids(p.validation()));
        assertTrue(both.isEmpty(), "in both parts: " + both);
        Set<String> union = new HashSet<>(ids(p.train()));
        union.addAll(ids(p.validation()));
        assertEquals(ids(in), union);
        assertTrue(p.validation().stream().allMatch(o -> o.get("split").asText().equals("validation")));
        assertTrue(p.train().stream().allMatch(o -> o.get("split").asText().equals("seed")));
        assertEquals("seed", in.get(0).get("split").asText(), "the input records are not modified");
    }

    @Test
    void theCarveDependsOnTheSeedAndTheIdsButNotOnTheFileOrder() {
        List<ObjectNode> in = records(40, "a", "b");
        Set<String> first = ids(ValidationSplit.carve(in, 5, 11).validation());
        List<ObjectNode> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(first, ids(ValidationSplit.carve(shuffled, 5, 11).validation()));
        assertNotEquals(first, ids(ValidationSplit.carve(in, 5, 12).validation()), "another seed, another carve");
        assertNotEquals(Set.of("a-0", "a-1", "a-2", "a-3", "a-4", "b-0", "b-1", "b-2", "b-3", "b-4"), first,
                "not simply the first documents");
    }

    @Test
    void aDomainThatWouldLoseAllItsTrainingDocumentsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValidationSplit.carve(records(3, "wordnet"), 3, 1));
        assertTrue(e.getMessage().contains("wordnet") && e.getMessage().contains("3 documents"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.carve(records(3, "a"), 0, 1));
    }

    @Test
    void readNamesTheFileAndLineOfAMissingSourceOrARepeatedId(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("seed.jsonl");
        Files.writeString(f, "{\"id\": \"x-1\", \"text\": \"t\", \"source\": \"x\"}\n{\"id\": \"x-2\", \"text\": \"t\"}\n",
                StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> ValidationSplit.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("line 2")
                && e.getMessage().contains("source"), e.getMessage());
        Files.writeString(f, "{\"id\": \"x-1\", \"source\": \"x\"}\n\n{\"id\": \"x-1\", \"source\": \"x\"}\n",
                StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> ValidationSplit.read(f));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void writtenFilesReadBackAsTheTwoParts(@TempDir Path dir) throws IOException {
        ValidationSplit.Parts p = ValidationSplit.carve(records(10, "a", "b"), 2, 5);
        Path v = dir.resolve("validation.jsonl.gz");
        DeterministicFiles.writeAtomically(v, DeterministicFiles.gzip(ValidationSplit.jsonLines(p.validation())));
        List<ObjectNode> back = ValidationSplit.read(v);
        assertEquals(p.validation(), back);
    }

    @Test
    void theEmbeddedValidationSplitIsTheDefaultCarveOfTheSeedDocuments(@TempDir Path dir) throws IOException {
        dev.symbiosis.assets.EmbeddedAssets assets = dev.symbiosis.assets.EmbeddedAssets.open();
        List<ObjectNode> seed = ValidationSplit.read(assets.split("seed"));
        List<ObjectNode> validation = ValidationSplit.read(assets.split("validation"));
        assertEquals(7 * 16, validation.size());
        // the seed split as it was before the carve: every document back, labelled seed, in id order
        List<ObjectNode> whole = new ArrayList<>(seed);
        for (ObjectNode o : validation) {
            ObjectNode back = o.deepCopy();
            back.put("split", "seed");
            whole.add(back);
        }
        whole.sort(java.util.Comparator.comparing((ObjectNode o) -> o.get("source").asText())
                .thenComparing(o -> o.get("id").asText()));
        ValidationSplit.Parts again = ValidationSplit.carve(whole, 16, ValidationSplit.DEFAULT_SEED);
        assertEquals(ids(validation), ids(again.validation()));
        assertEquals(ids(seed), ids(again.train()));
        // and prepare-data writes the same bytes as split-validation: one compact JSON object a line, gzip
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(assets.split("validation")),
                dev.symbiosis.cli.data.DeterministicFiles.gzip(ValidationSplit.jsonLines(validation))));
    }
}
