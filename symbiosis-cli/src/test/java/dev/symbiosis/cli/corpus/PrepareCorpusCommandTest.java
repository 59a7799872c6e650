package dev.symbiosis.cli.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.cli.SymbiosisCli;
import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.text.Document;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareCorpusCommandTest {

    private static final String[] NAMES = {"Anna", "Boris", "Clara", "Dmitri", "Elena", "Fyodor"};

    /** A corpus of two domains in JSONL (with a "source" field) and one in plain text (its file name). */
    static void writeCorpus(Path dir) throws Exception {
        StringBuilder jsonl = new StringBuilder();
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < 120; i++) {
            String domain = i % 2 == 0 ? "letters" : "diaries";
            String text = "Day " + i + " began early. " + NAMES[i % 6] + " was at the window and " + NAMES[(i + 1) % 6]
                    + " was in the garden. The roses are red this year and the pond is full. "
                    + "An old man walked a dog past these houses, as " + NAMES[(i + 2) % 6] + " watched. Later "
                    + String.join(", ", NAMES) + " had tea.";
            jsonl.append(m.writeValueAsString(Map.of("id", "r" + i, "text", text, "source", domain))).append('\n');
        }
        String first = jsonl.substring(0, jsonl.indexOf("\n"));
        String firstText = m.readTree(first).path("text").asText();
        jsonl.append(m.writeValueAsString(Map.of("id", "dup", "text", firstText, "source", "letters"))).append('\n');
        Files.writeString(dir.resolve("records.jsonl"), jsonl.toString());
        StringBuilder txt = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            txt.append("The harbour was quiet on morning ").append(i).append(". Then ").append(NAMES[i % 6])
                    .append(" saw the boats that were coming in. This ship is new and those ships are old.\n\n");
        }
        Files.writeString(dir.resolve("harbour.txt"), txt.toString());
    }

    private static int run(String... args) {
        return SymbiosisCli.commandLine().execute(args);
    }

    private static List<Document> read(Path f) throws Exception {
        try (CorpusReader r = Corpora.open(f)) {
            return r.readAll();
        }
    }

    @Test
    void splitsByDocumentIntoDisjointSplitsWithEveryDomainAndBuildsTasks(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        writeCorpus(in);
        Path out = dir.resolve("out");
        assertEquals(0, run("prepare-corpus", "--input", in.toString(), "--out", out.toString(), "--min-pairs", "5",
                "--max-chars", "200"));
        Set<String> texts = new HashSet<>();
        int total = 0;
        Map<String, Set<String>> domainsBySplit = new TreeMap<>();
        for (String split : PrepareCorpusCommand.SPLITS) {
            for (Document d : read(out.resolve(split + ".jsonl.gz"))) {
                assertTrue(texts.add(d.text()), "a document in two splits: " + d.id());
                domainsBySplit.computeIfAbsent(split, k -> new HashSet<>()).add(d.provenance().source());
                total++;
            }
        }
        assertEquals(120 + 60, total, "every document once, the exact duplicate dropped");
        for (String split : PrepareCorpusCommand.SPLITS) {
            assertEquals(Set.of("letters", "diaries", "harbour"), domainsBySplit.get(split), split);
        }
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("MANIFEST.json").toFile());
        assertEquals(1, manifest.path("duplicatesDropped").asInt());
        assertEquals(read(out.resolve("seed.jsonl.gz")).size(), manifest.path("splits").path("seed")
                .path("documents").asInt());
        assertEquals(PrepareCorpusCommand.sha256(out.resolve("eval.jsonl.gz")),
                manifest.path("splits").path("eval").path("sha256").asText());
        // tasks are read back by the experiment's reader, and come from held-out splits only
        List<Path> taskFiles = new ArrayList<>();
        try (var s = Files.list(out.resolve("tasks"))) {
            s.sorted().forEach(taskFiles::add);
        }
        EvalSuite suite = EvalSuiteReader.read(taskFiles.toArray(Path[]::new));
        assertTrue(suite.taskNames().contains("minimal-pairs-is-are"), suite.taskNames().toString());
        assertTrue(suite.taskNames().contains("entity-cloze"), suite.taskNames().toString());
        Set<String> heldOut = new HashSet<>();
        read(out.resolve("eval.jsonl.gz")).forEach(d -> heldOut.add(d.id()));
        read(out.resolve("fidelity.jsonl.gz")).forEach(d -> heldOut.add(d.id()));
        suite.taskNames().forEach(t -> suite.task(t).orElseThrow().items().forEach(
                i -> assertTrue(heldOut.contains(i.id().split(":")[1]), i.id())));

        // the same inputs give the same files
        Path again = dir.resolve("again");
        assertEquals(0, run("prepare-corpus", "--input", in.toString(), "--out", again.toString(), "--min-pairs", "5",
                "--max-chars", "200"));
        for (String split : PrepareCorpusCommand.SPLITS) {
            assertEquals(-1, Files.mismatch(out.resolve(split + ".jsonl.gz"), again.resolve(split + ".jsonl.gz")));
        }
    }

    @Test
    void badInputAndOptionsGetOneLineNamingTheProblem(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"text\": \"fine\"}\n{\"text\": 3}\n");
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, run("prepare-corpus", "--input", in.toString(), "--out", dir.resolve("o1").toString()));
            assertEquals(2, run("prepare-corpus", "--input", in.toString(), "--out", dir.resolve("o2").toString(),
                    "--ratios", "seed=1,holdout=1"));
            Path busy = dir.resolve("busy");
            Files.createDirectories(busy);
            Files.writeString(busy.resolve("notes.txt"), "mine");
            assertEquals(2, run("prepare-corpus", "--input", in.toString(), "--out", busy.toString()));
            assertEquals("mine", Files.readString(busy.resolve("notes.txt")));
        } finally {
            System.setErr(stderr);
        }
        String messages = err.toString(StandardCharsets.UTF_8);
        assertTrue(messages.contains("bad.jsonl:2"), messages);
        assertTrue(messages.contains("'seed=1,holdout=1'") || messages.contains("'holdout=1'"), messages);
        assertTrue(messages.contains("holds notes.txt"), messages);
    }

    @Test
    void sharesAreDealtByLargestRemainder() {
        Map<String, Double> shares = PrepareCorpusCommand.parseRatios(PrepareCorpusCommand.DEFAULT_RATIOS);
        int[] c = PrepareCorpusCommand.deal(20, shares);
        assertEquals(20, java.util.Arrays.stream(c).sum());
        assertEquals(11, c[0]); // seed 0.55 of 20
        assertEquals(3, c[2]); // pool 0.15 of 20 = 3
    }
}
