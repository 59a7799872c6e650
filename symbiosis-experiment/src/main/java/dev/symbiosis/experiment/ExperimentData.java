package dev.symbiosis.experiment;

import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * How the experiment reads and samples its data: corpora, task folders and the seeded samples every run seed
 * shares. Stateless and thread-safe.
 */
public final class ExperimentData {

    private ExperimentData() {}

    /**
     * Every document of a corpus file (JSONL with a "text" field, or .txt; gzip allowed).
     *
     * @throws IOException naming the file and line of malformed input
     */
    public static List<Document> read(Path file) throws IOException {
        try (CorpusReader r = Corpora.open(file)) {
            return r.readAll();
        }
    }

    /**
     * The multiple-choice tasks of a folder: every {@code .jsonl} file in name order.
     *
     * @throws IOException if the folder has no task file, or naming the file and line of a malformed item
     */
    public static EvalSuite readTasks(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException(folder + ": no task .jsonl files");
        }
        return EvalSuiteReader.read(files.toArray(Path[]::new));
    }

    /** A seeded sample of {@code perTask} items of every task (all when 0 or when the task is smaller). */
    public static EvalSuite sampleTasks(EvalSuite suite, int perTask, long seed) {
        return sampleTasks(suite, task -> perTask, seed);
    }

    /**
     * A seeded sample of {@code perTask.applyAsInt(task)} items of every task (0: all of that task), each task
     * shuffled with its own seed, so a task's sample does not depend on the other tasks.
     */
    public static EvalSuite sampleTasks(EvalSuite suite, java.util.function.ToIntFunction<String> perTask,
            long seed) {
        List<MultipleChoiceItem> items = new ArrayList<>();
        for (String task : suite.taskNames()) {
            int n = perTask.applyAsInt(task);
            List<MultipleChoiceItem> all = new ArrayList<>(suite.task(task).orElseThrow().items());
            if (n == 0) {
                items.addAll(all);
                continue;
            }
            Collections.shuffle(all, new Random(seed ^ task.hashCode()));
            items.addAll(all.subList(0, Math.min(n, all.size())));
        }
        return EvalSuite.of(items);
    }

    /** A seeded sample of {@code perDomain} documents of every domain (provenance source), domains in name order. */
    public static List<Document> heldOutByDomain(List<Document> docs, int perDomain, long seed) {
        Map<String, List<Document>> by = new TreeMap<>();
        for (Document d : docs) {
            by.computeIfAbsent(d.provenance().source(), k -> new ArrayList<>()).add(d);
        }
        List<Document> out = new ArrayList<>();
        for (List<Document> domain : by.values()) {
            out.addAll(subsample(domain, perDomain, seed));
        }
        return out;
    }

    /** A seeded sample of {@code n} documents (all, shuffled, when there are fewer); unmodifiable. */
    public static List<Document> subsample(List<Document> docs, int n, long seed) {
        List<Document> copy = new ArrayList<>(docs);
        Collections.shuffle(copy, new Random(seed));
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }

    /** SHA-256 (hex) of the documents' ids, sources and texts in order: what a run folder records of its data. */
    public static String fingerprint(List<Document> docs) {
        MessageDigest md = sha256();
        for (Document d : docs) {
            update(md, d.id());
            update(md, d.provenance().source());
            update(md, d.text());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 (hex) of a task suite's items in order. */
    public static String fingerprint(EvalSuite suite) {
        MessageDigest md = sha256();
        for (String task : suite.taskNames()) {
            for (MultipleChoiceItem item : suite.task(task).orElseThrow().items()) {
                update(md, item.toString());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
