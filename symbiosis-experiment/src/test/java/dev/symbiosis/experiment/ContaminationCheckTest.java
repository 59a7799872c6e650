package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.dedup.ContaminationIndex;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContaminationCheckTest {

    private static final String EVAL = "Call me Ishmael. Some years ago, never mind how long precisely, having little"
            + " or no money in my purse, and nothing particular to interest me on shore, I thought I would sail"
            + " about a little and see the watery part of the world.";

    private static void release(Path dir, String strategy, int t, String... completions) throws IOException {
        Path f = Files.createDirectories(dir.resolve(strategy).resolve("iter-" + t)).resolve("synthetic.jsonl");
        StringBuilder sb = new StringBuilder();
        for (String c : completions) {
            sb.append("{\"prompt\": \"Once\", \"completion\": \"").append(c).append("\"}\n");
        }
        Files.writeString(f, sb);
    }

    @Test
    void everyArmAndIterationIsCheckedAndCopiesAreReportedWithTheirWords(@TempDir Path dir) throws IOException {
        release(dir, "a", 1, "the ship sailed north into the grey water", "nothing here at all");
        release(dir, "a", 2, "he said: some years ago never mind how long precisely having little or no money in my"
                + " purse, so he left");
        release(dir, "b", 1, "a clean sample");
        ContaminationIndex index = ContaminationIndex.of(List.of(new Document("moby-1", EVAL, Provenance.of("m"))));
        List<ObjectNode> lines = ContaminationCheck.write(dir, List.of("a", "b", "missing"), index);
        assertEquals(3, lines.size(), "a has two iterations, b one, a strategy without releases none");
        assertEquals(0, lines.get(0).get("textsWithNgramOverlap").asInt());
        assertEquals(2, lines.get(0).get("texts").asInt());
        ObjectNode copied = lines.get(1);
        assertEquals(2, copied.get("iteration").asInt());
        assertEquals(1, copied.get("textsWithNgramOverlap").asInt());
        assertEquals("some years ago never mind how long precisely having little or no money in my purse",
                copied.get("examples").get(0).get("text").asText());
        assertEquals("moby-1", copied.get("examples").get(0).get("evalDocument").asText());
        assertEquals(3, Files.readAllLines(dir.resolve(ContaminationCheck.FILE)).size());
    }

    @Test
    void aMalformedReleaseIsNamedByFileAndLine(@TempDir Path dir) throws IOException {
        release(dir, "a", 1, "fine");
        Files.writeString(dir.resolve("a/iter-1/synthetic.jsonl"), "{\"prompt\": \"x\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> ContaminationCheck.write(dir, List.of("a"),
                ContaminationIndex.of(List.of())));
        assertTrue(e.getMessage().contains("synthetic.jsonl:2") && e.getMessage().contains("completion"),
                e.getMessage());
    }

    @Test
    void aLineWhoseReleaseIsGoneIsKeptAndUpdateRechecksOneStrategy(@TempDir Path dir) throws IOException {
        ContaminationIndex index = ContaminationIndex.of(List.of(new Document("moby-1", EVAL, Provenance.of("m"))));
        release(dir, "a", 1, "some years ago never mind how long precisely having little or no money");
        release(dir, "a", 2, "a clean sample");
        release(dir, "b", 1, "another clean sample");
        List<String> first = strings(ContaminationCheck.write(dir, List.of("a", "b"), index));
        assertEquals(3, first.size());

        Files.delete(dir.resolve("a/iter-1/synthetic.jsonl"));
        Files.delete(dir.resolve("a/iter-2/synthetic.jsonl"));
        release(dir, "b", 1, "some years ago never mind how long precisely having little or no money", "more");
        List<String> second = strings(ContaminationCheck.write(dir, List.of("a", "b"), index));
        assertEquals(first.subList(0, 2), second.subList(0, 2), "a's findings outlive its releases");
        assertEquals(3, second.size());
        assertEquals(2, Json.reader().readTree(second.get(2)).get("texts").asInt(),
                "b is checked again from its release");

        release(dir, "a", 1, "nothing");
        release(dir, "b", 2, "b's second iteration");
        List<String> third = strings(ContaminationCheck.update(dir, List.of("a", "b"), "b", index));
        assertEquals(second.subList(0, 2), third.subList(0, 2), "update checks b only: a keeps its lines");
        assertEquals(4, third.size(), "b's new iteration is added after its first: " + third);
        assertEquals(2, Json.reader().readTree(third.get(3)).get("iteration").asInt());
        assertEquals(third, Files.readAllLines(dir.resolve(ContaminationCheck.FILE)));
    }

    @Test
    void aMalformedFindingsFileIsNamedByFileAndLine(@TempDir Path dir) throws IOException {
        release(dir, "a", 1, "fine");
        Files.writeString(dir.resolve(ContaminationCheck.FILE),
                "{\"strategy\": \"a\", \"iteration\": 1}\n{\"iteration\": 2}\n");
        IOException e = assertThrows(IOException.class, () -> ContaminationCheck.write(dir, List.of("a"),
                ContaminationIndex.of(List.of())));
        assertTrue(e.getMessage().contains(ContaminationCheck.FILE + ":2") && e.getMessage().contains("strategy"),
                e.getMessage());
    }

    private static List<String> strings(List<ObjectNode> lines) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (ObjectNode o : lines) {
            out.add(Json.writer().writeValueAsString(o));
        }
        return out;
    }
}
