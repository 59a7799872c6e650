package dev.symbiosis.core.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.LoopConfig;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.loop.SymbiosisLoop;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash can leave in a run folder, and how the next run treats it: checkpoints carry a SHA-256 manifest
 * that is verified before resuming (a damaged checkpoint is refused, naming the file), and the temporaries of
 * interrupted writes are deleted when the folder is opened, whatever they hold.
 */
class RunStoreCrashSafetyTest {

    private static final List<String> TEXTS = List.of("the cat sat on the mat and the dog ran to the park",
            "a bird sang in the old tree by the river", "children played with a red ball in the park",
            "the river ran by the old mill where the miller sang");

    private static List<Document> docs(String prefix, int n) {
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Document(prefix + i, TEXTS.get(i % TEXTS.size()) + " " + i, Provenance.of(prefix)));
        }
        return out;
    }

    private static final StudentEvaluator EVAL = (student, progress) -> {
        double nll = 0;
        for (TokenScores s : student.score(TEXTS)) {
            nll -= s.sumLogProb();
        }
        return new Evaluation("nll", false, ImmutableSortedMap.of("nll", nll));
    };

    private static SymbiosisLoop loop(Path dir) throws IOException {
        return loop(dir, 2);
    }

    private static SymbiosisLoop loop(Path dir, int iterations) throws IOException {
        Supplier<LanguageModel> model = () -> CharBigramModel.trainedOn("s0", TEXTS.subList(0, 2));
        LoopConfig cfg = LoopConfig.builder().optIterations(iterations).optTokenBudget(200).optGenerationBatch(4)
                .optPoolSample(4).optSeed(3).build();
        return SymbiosisLoop.builder(cfg, model, model, EVAL, new RunStore(dir, "{\"crash\": 1}"))
                .optRealStream(docs("stream", 40)).build();
    }

    @Test
    void aCheckpointListsEveryFileWithItsSha256(@TempDir Path dir) throws IOException {
        loop(dir).run(new RealUpperBound());
        Path ck = dir.resolve("real-upper-bound/checkpoint-2");
        List<String> lines = Files.readAllLines(ck.resolve(RunStore.MANIFEST));
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.matches("[0-9a-f]{64}  \\S.*"), line);
            assertTrue(Files.isRegularFile(ck.resolve(line.substring(66))), line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("  student/")), "the student's files are listed: " + lines);
        RunStore.verifyCheckpoint(ck);
    }

    @Test
    void aDamagedCheckpointIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        loop(dir).run(new RealUpperBound());
        Path ck = dir.resolve("real-upper-bound/checkpoint-2");
        String first = Files.readAllLines(ck.resolve(RunStore.MANIFEST)).get(0).substring(66);
        Path victim = ck.resolve(first);
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 1;
        Files.write(victim, bytes);

        RunStore store = new RunStore(dir, "{\"crash\": 1}");
        IOException e = assertThrows(IOException.class, () -> store.hasCheckpoint("real-upper-bound", 2));
        assertTrue(e.getMessage().contains(victim.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        // a finished strategy does not need its checkpoint: its records stand
        String finished = Files.readString(dir.resolve("results.jsonl"));
        loop(dir).run(new RealUpperBound());
        assertEquals(finished, Files.readString(dir.resolve("results.jsonl")));
        // continuing from it (a third iteration; the test's store does not pin the iteration count) is refused
        // rather than silently redoing or using it
        IOException again = assertThrows(IOException.class, () -> loop(dir, 3).run(new RealUpperBound()));
        assertTrue(again.getMessage().contains("damaged checkpoint"), again.getMessage());

        Files.delete(victim);
        IOException missing = assertThrows(IOException.class, () -> RunStore.verifyCheckpoint(ck));
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());

        // deleting the damaged checkpoint, as the message says, redoes the strategy to the same records
        String records = Files.readString(dir.resolve("results.jsonl"));
        dev.symbiosis.core.loop.AtomicFiles.deleteTree(ck);
        loop(dir, 3).run(new RealUpperBound());
        List<String> three = Files.readAllLines(dir.resolve("results.jsonl"));
        assertEquals(4, three.size(), "iterations 0-3: " + three);
        assertEquals(records, String.join("\n", three.subList(0, 3)) + "\n");
    }

    /** A valid results.jsonl (from one run of the loop), fuzzed below. */
    private static byte[] validResults() throws IOException {
        Path dir = Files.createTempDirectory("results-fuzz");
        try {
            loop(dir).run(new RealUpperBound());
            return Files.readAllBytes(dir.resolve("results.jsonl"));
        } finally {
            dev.symbiosis.core.loop.AtomicFiles.deleteTree(dir);
        }
    }

    private static byte[] results;

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<byte[]> mutatedResults() throws IOException {
        if (results == null) {
            results = validResults();
        }
        return net.jqwik.api.Arbitraries.oneOf(Fuzz.mutationsOf(results), Fuzz.bytes(512),
                net.jqwik.api.Arbitraries.longs().map(seed -> {
                    java.util.Random r = new java.util.Random(seed);
                    String first = new String(results, StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
                    return Fuzz.toBytes(Fuzz.mutateJson(Fuzz.parse(first), r));
                }));
    }

    /** A hand-edited or damaged results.jsonl gives records or an IOException naming the file and line. */
    @net.jqwik.api.Property(tries = 300)
    void aDamagedResultsFileIsReadOrRefusedNamingIt(@net.jqwik.api.ForAll("mutatedResults") byte[] bytes)
            throws IOException {
        Path dir = Files.createTempDirectory("results-fuzz");
        try {
            RunStore store = new RunStore(dir, "{\"crash\": 1}");
            Path f = dir.resolve("results.jsonl");
            Files.write(f, bytes);
            Fuzz.returnsOrThrowsOnly(IOException.class, Fuzz.LIMIT, () -> {
                try {
                    store.records();
                } catch (IOException e) {
                    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
                    throw e;
                }
            });
        } finally {
            dev.symbiosis.core.loop.AtomicFiles.deleteTree(dir);
        }
    }

    @Test
    void invalidUtf8InResultsNamesTheFileAndLine(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir, "{\"crash\": 1}");
        Path f = dir.resolve("results.jsonl");
        Files.write(f, new byte[] {'{', '}', '\n', '{', '"', (byte) 0xC3, '"', '}', '\n'});
        IOException e = assertThrows(IOException.class, store::records);
        assertTrue(e.getMessage().startsWith(f + ": invalid UTF-8"), e.getMessage());
    }

    @Test
    void aManifestCannotPointOutsideItsCheckpoint(@TempDir Path dir) throws IOException {
        Path ck = Files.createDirectories(dir.resolve("ck"));
        Files.writeString(dir.resolve("secret"), "x");
        Files.writeString(ck.resolve(RunStore.MANIFEST), "0".repeat(64) + "  ../secret\n");
        IOException e = assertThrows(IOException.class, () -> RunStore.verifyCheckpoint(ck));
        assertTrue(e.getMessage().contains("leaves the checkpoint folder"), e.getMessage());
        Files.writeString(ck.resolve(RunStore.MANIFEST), "not a manifest line\n");
        e = assertThrows(IOException.class, () -> RunStore.verifyCheckpoint(ck));
        assertTrue(e.getMessage().contains(RunStore.MANIFEST + ":1"), e.getMessage());
    }

    @Test
    void temporariesOfInterruptedWritesAreDeletedWhenTheFolderOpens(@TempDir Path dir) throws IOException {
        loop(dir).run(new RealUpperBound());
        String records = Files.readString(dir.resolve("results.jsonl"));
        // what kill -9 can leave mid-write: a torn results file, a half checkpoint, a half-deleted one, staging
        // and old folders of a model save
        Files.writeString(dir.resolve("results.jsonl.tmp"), records.substring(0, records.length() / 2));
        Path halfCheckpoint = Files.createDirectories(dir.resolve("real-upper-bound/checkpoint-3.tmp/student"));
        Files.write(halfCheckpoint.resolve("weights"), new byte[] {1, 2});
        Files.createDirectories(dir.resolve("real-upper-bound/checkpoint-1.deleting/state"));
        Files.createDirectories(dir.resolve("real-upper-bound/.initial-student.tmp.staging-1234"));
        Files.createDirectories(dir.resolve("real-upper-bound/.initial-student.old-5678"));
        Files.writeString(dir.resolve("real-upper-bound/iter-1/synthetic.jsonl.tmp"), "{\"torn\":");

        new RunStore(dir, "{\"crash\": 1}");
        List<String> left = new ArrayList<>();
        try (var paths = Files.walk(dir)) {
            paths.map(p -> dir.relativize(p).toString())
                    .filter(p -> p.contains(".tmp") || p.contains(".deleting") || p.contains(".staging-")
                            || p.contains(".old-"))
                    .forEach(left::add);
        }
        assertEquals(List.of(), left);
        assertEquals(records, Files.readString(dir.resolve("results.jsonl")));
        assertTrue(new RunStore(dir, "{\"crash\": 1}").hasCheckpoint("real-upper-bound", 2));
        assertEquals(records, Files.readString(dir.resolve("results.jsonl"), StandardCharsets.UTF_8));
    }
}
