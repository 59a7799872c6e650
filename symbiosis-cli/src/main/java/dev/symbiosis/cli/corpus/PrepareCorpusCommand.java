package dev.symbiosis.cli.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.corpus.EmptyTextPolicy;
import dev.symbiosis.core.corpus.JsonlCorpusReader;
import dev.symbiosis.core.corpus.JsonlCorpusWriter;
import dev.symbiosis.core.corpus.TextCorpusReader;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.eval.build.EntityCloze;
import dev.symbiosis.core.eval.build.MinimalPairs;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code symbiosis prepare-corpus}: any corpus (JSONL or plain text, optionally gzipped; one file, several, or
 * folders) to the splits the experiment reads, and evaluation tasks built from its held-out splits.
 *
 * <p><b>Domains</b> are the JSONL records' {@code --domain-field} (default {@code source}); a record without it, and
 * every plain-text file, takes its file name without extensions ({@code austen.txt.gz} is {@code austen}). Plain text
 * is cut into documents of blank-line separated paragraphs of at most {@code --max-chars} characters.
 *
 * <p><b>Splits</b>: every domain's documents are shuffled with {@code --seed} and dealt to the splits by
 * {@code --ratios} (largest remainder, so every split holds every domain in the same proportion); a document lands in
 * exactly one split, and exact duplicate texts are kept once. Written: {@code <split>.jsonl.gz} (fields {@code id},
 * {@code text}, {@code source}), {@code tasks/*.jsonl} and {@code MANIFEST.json} (options, inputs with SHA-256, counts
 * per split and domain, tasks built and kinds dropped). The validation split is for choosing learning rates; the
 * eval and fidelity splits are held out: the tasks are built from them only.
 *
 * <p><b>Tasks</b>: {@link MinimalPairs} ({@code minimal-pairs-<kind>}: up to {@code --max-pairs} per kind, kinds
 * with fewer than {@code --min-pairs} dropped and reported) and {@link EntityCloze} ({@code entity-cloze}).
 *
 * <p>Refuses an output folder that holds files this command does not write (nothing is overwritten but its own
 * outputs); every file is written atomically. Exit codes: 0 done, 1 bad input (naming file and line), 2 bad
 * options.
 */
@Command(name = "prepare-corpus", mixinStandardHelpOptions = true,
        description = "Split your own corpus for the experiment (seed, validation, pool, stream, fidelity, eval) and"
                + " build evaluation tasks (minimal pairs, entity cloze) from its held-out splits.")
public final class PrepareCorpusCommand implements Callable<Integer> {

    /** The splits, in the order they are dealt and written. */
    public static final List<String> SPLITS = List.of("seed", "validation", "pool", "stream", "fidelity", "eval");

    /** Default share of every split: most text for pretraining (seed), the rest held out or streamed. */
    public static final String DEFAULT_RATIOS = "seed=0.55,validation=0.05,pool=0.15,stream=0.15,fidelity=0.05,eval=0.05";

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE_OR_DIR",
            description = "Corpus files or folders: .jsonl / .ndjson / .txt, optionally .gz.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--ratios", defaultValue = DEFAULT_RATIOS,
            description = "Share of each split (normalised to sum 1; a split may be 0). Default: ${DEFAULT-VALUE}.")
    String ratios;

    @Option(names = "--text-field", defaultValue = "text",
            description = "JSONL field holding the text. Default: ${DEFAULT-VALUE}.")
    String textField;

    @Option(names = "--domain-field", defaultValue = "source",
            description = "JSONL field naming a record's domain; else the file name. Default: ${DEFAULT-VALUE}.")
    String domainField;

    @Option(names = "--max-chars", defaultValue = "4000",
            description = "Longest plain-text document (paragraphs grouped up to it). Default: ${DEFAULT-VALUE}.")
    int maxChars;

    @Option(names = "--seed", defaultValue = "20260101", description = "Seed of the deal and the tasks. Default:"
            + " ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    TaskOptions tasks = new TaskOptions();

    @Option(names = "--no-tasks", description = "Write the splits only.")
    boolean noTasks;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        Map<String, Double> shares;
        try {
            shares = parseRatios(ratios);
            if (maxChars < 100) {
                throw new IllegalArgumentException("--max-chars must be >= 100, got " + maxChars);
            }
            checkOutput(out);
        } catch (IllegalArgumentException e) {
            err.println("prepare-corpus: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("prepare-corpus: " + e.getMessage());
            return 2;
        }
        try {
            run(shares, err);
            return 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("prepare-corpus: " + (e instanceof java.io.UncheckedIOException u ? u.getCause().getMessage()
                    : e.getMessage()));
            return 1;
        }
    }

    private void run(Map<String, Double> shares, PrintStream log) throws IOException {
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode manifest = json.createObjectNode();
        manifest.put("name", "prepare-corpus output");
        manifest.put("seed", seed);
        ObjectNode r = manifest.putObject("ratios");
        shares.forEach(r::put);
        ArrayNode inputsNode = manifest.putArray("inputs");

        // read every input, domain by domain, in input order; exact duplicates kept once
        Map<String, List<Document>> byDomain = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (Path file : files(inputs)) {
            int n = 0;
            try (CorpusReader reader = open(file)) {
                for (Document d : reader.readAll()) {
                    if (!seen.add(d.text())) {
                        duplicates++;
                        continue;
                    }
                    String domain = domainOf(d, file);
                    byDomain.computeIfAbsent(domain, k -> new ArrayList<>()).add(d);
                    n++;
                }
            }
            ObjectNode in = inputsNode.addObject();
            in.put("file", String.valueOf(file.getFileName()));
            in.put("sha256", sha256(file));
            in.put("documents", n);
            log.printf(Locale.ROOT, "prepare-corpus: read %s: %,d documents%n", file.getFileName(), n);
        }
        if (byDomain.isEmpty()) {
            throw new IOException("no documents in " + inputs);
        }
        manifest.put("duplicatesDropped", duplicates);

        // deal every domain's documents to the splits
        Map<String, List<Document>> splits = new LinkedHashMap<>();
        SPLITS.forEach(s -> splits.put(s, new ArrayList<>()));
        for (Map.Entry<String, List<Document>> e : byDomain.entrySet()) {
            List<Document> docs = new ArrayList<>(e.getValue());
            Collections.shuffle(docs, new Random(seed ^ e.getKey().hashCode()));
            int[] counts = deal(docs.size(), shares);
            int at = 0;
            for (int i = 0; i < SPLITS.size(); i++) {
                for (int k = 0; k < counts[i]; k++) {
                    Document d = docs.get(at++);
                    String id = e.getKey() + "-" + String.format(Locale.ROOT, "%06d", at);
                    splits.get(SPLITS.get(i)).add(new Document(id, d.text(),
                            Provenance.of(e.getKey()).with("split", SPLITS.get(i))));
                }
            }
        }
        ObjectNode splitsNode = manifest.putObject("splits");
        for (Map.Entry<String, List<Document>> e : splits.entrySet()) {
            Path f = out.resolve(e.getKey() + ".jsonl.gz");
            JsonlCorpusWriter.writeAll(f, e.getValue());
            ObjectNode s = splitsNode.putObject(e.getKey());
            s.put("file", f.getFileName().toString());
            s.put("sha256", sha256(f));
            s.put("documents", e.getValue().size());
            s.put("characters", e.getValue().stream().mapToLong(d -> d.text().length()).sum());
            ObjectNode per = s.putObject("domains");
            Map<String, long[]> counts = new TreeMap<>();
            for (Document d : e.getValue()) {
                long[] c = counts.computeIfAbsent(d.provenance().source(), k -> new long[2]);
                c[0]++;
                c[1] += d.text().length();
            }
            counts.forEach((k, v) -> per.putObject(k).put("documents", v[0]).put("characters", v[1]));
            log.printf(Locale.ROOT, "prepare-corpus: %-10s %,7d documents %,12d characters%n", e.getKey(),
                    e.getValue().size(), s.get("characters").asLong());
        }

        if (!noTasks) {
            List<Document> heldOut = new ArrayList<>(splits.get("eval"));
            heldOut.addAll(splits.get("fidelity"));
            ObjectNode tasksNode = manifest.putObject("tasks");
            tasksNode.put("builtFrom", "eval and fidelity splits");
            writeTasks(heldOut, out.resolve("tasks"), tasksNode, seed, tasks.maxPairs, tasks.minPairs,
                    tasks.clozePerDomain,
                    log::println, "prepare-corpus");
        }
        AtomicFiles.write(out.resolve("MANIFEST.json"), (json.writeValueAsString(manifest) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        log.println("prepare-corpus: wrote " + out.resolve("MANIFEST.json"));
        log.println("prepare-corpus: in an experiment configuration: \"data\": {\"seed\": \"seed.jsonl.gz\","
                + " \"pool\": \"pool.jsonl.gz\", \"stream\": \"stream.jsonl.gz\", \"fidelity\": \"fidelity.jsonl.gz\","
                + " \"evalText\": \"eval.jsonl.gz\", \"tasks\": \"tasks\"} (paths relative to the configuration's"
                + " folder when it sits in " + out + ")");
    }

    private CorpusReader open(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz") || n.endsWith(".ndjson") || n.endsWith(".ndjson.gz")) {
            return JsonlCorpusReader.open(file, JsonlCorpusReader.Options.defaults().withTextField(textField)
                    .withEmptyText(EmptyTextPolicy.SKIP));
        }
        return TextCorpusReader.open(file, TextCorpusReader.Options.defaults().withMaxChars(maxChars)
                .withEmptyText(EmptyTextPolicy.SKIP));
    }

    private String domainOf(Document d, Path file) {
        String fromField = "source".equals(domainField) ? d.provenance().source()
                : d.provenance().attributes().get(domainField);
        String stem = stem(file);
        if (fromField == null || fromField.equals(file.getFileName().toString())
                || (!"source".equals(domainField) && fromField.isBlank())) {
            return stem;
        }
        if (fromField.contains("/") || fromField.endsWith(".txt") || fromField.endsWith(".gz")) {
            return stem; // a plain-text reader's label, not a domain of the data
        }
        return fromField;
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        for (String ext : List.of(".gz", ".jsonl", ".ndjson", ".txt")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
            }
        }
        return n.isEmpty() ? "corpus" : n;
    }

    /** The input files: files as given, folders walked for corpus files in path order. */
    static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(p + ": no such file or folder");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(f -> isCorpusFile(f)).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean isCorpusFile(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        return n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".txt");
    }

    /** Split shares from {@code name=share,...}: every split named once, shares >= 0, normalised to sum 1. */
    static Map<String, Double> parseRatios(String spec) {
        Map<String, Double> m = new LinkedHashMap<>();
        SPLITS.forEach(s -> m.put(s, 0.0));
        Set<String> given = new HashSet<>();
        for (String part : spec.split(",")) {
            String[] kv = part.strip().split("=");
            if (kv.length != 2 || !m.containsKey(kv[0].strip())) {
                throw new IllegalArgumentException("--ratios: '" + part.strip() + "' is not <split>=<share> with a"
                        + " split among " + SPLITS);
            }
            double v;
            try {
                v = Double.parseDouble(kv[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ratios: '" + kv[1].strip() + "' is not a number");
            }
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("--ratios: the share of " + kv[0].strip() + " must be >= 0");
            }
            given.add(kv[0].strip());
            m.put(kv[0].strip(), v);
        }
        double sum = m.values().stream().mapToDouble(Double::doubleValue).sum();
        for (String required : List.of("seed", "eval")) {
            if (m.get(required) <= 0) {
                throw new IllegalArgumentException("--ratios: the " + required + " split needs a share above 0");
            }
        }
        m.replaceAll((k, v) -> v / sum);
        return m;
    }

    /** Documents per split for {@code n} documents: largest remainder of {@code n * share}. */
    static int[] deal(int n, Map<String, Double> shares) {
        int[] counts = new int[SPLITS.size()];
        double[] rest = new double[SPLITS.size()];
        int total = 0;
        for (int i = 0; i < SPLITS.size(); i++) {
            double exact = n * shares.get(SPLITS.get(i));
            counts[i] = (int) Math.floor(exact);
            rest[i] = exact - counts[i];
            total += counts[i];
        }
        while (total < n) {
            int best = 0;
            for (int i = 1; i < rest.length; i++) {
                if (rest[i] > rest[best]) {
                    best = i;
                }
            }
            counts[best]++;
            rest[best] = -1;
            total++;
        }
        return counts;
    }

    /** Refuses a folder that holds files other than this command's outputs. */
    static void checkOutput(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            if (Files.exists(out)) {
                throw new IOException(out + " exists and is not a folder");
            }
            return;
        }
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                boolean ours = n.equals("MANIFEST.json") || n.equals("tasks")
                        || SPLITS.stream().anyMatch(x -> n.equals(x + ".jsonl.gz"));
                if (!ours) {
                    throw new IOException(out + " holds " + n + ", which prepare-corpus does not write: choose an"
                            + " empty or new folder");
                }
            }
        }
    }

    /**
     * Builds the minimal-pair and entity-cloze tasks from held-out documents into {@code tasks} (one
     * {@code <task>.jsonl} per task) and records in {@code node} what was found, dropped and written. Deterministic
     * for the same documents in the same order and the same options.
     */
    public static void writeTasks(List<Document> heldOut, Path tasks, ObjectNode node, long seed, int maxPairs,
            int minPairs, int clozePerDomain, java.util.function.Consumer<String> log, String command)
            throws IOException {
        Files.createDirectories(tasks);
        MinimalPairs.Result pairs = MinimalPairs.builder().optMaxPerKind(maxPairs).optMinPerKind(minPairs)
                .optSeed(seed).build().build(heldOut);
        ObjectNode found = node.putObject("minimalPairsFound");
        pairs.found().forEach((k, v) -> found.put(k.task(), v));
        ArrayNode dropped = node.putArray("minimalPairsDropped");
        pairs.dropped().forEach(k -> dropped.add(k.task()));
        ObjectNode written = node.putObject("items");
        for (Map.Entry<MinimalPairs.Kind, List<MultipleChoiceItem>> e : pairs.items().entrySet()) {
            writeTask(tasks.resolve(e.getKey().task() + ".jsonl"), e.getValue());
            written.put(e.getKey().task(), e.getValue().size());
        }
        List<MultipleChoiceItem> cloze = EntityCloze.builder().optMaxPerDomain(clozePerDomain).optSeed(seed)
                .build().build(heldOut);
        if (!cloze.isEmpty()) {
            writeTask(tasks.resolve(EntityCloze.TASK + ".jsonl"), cloze);
        }
        written.put(EntityCloze.TASK, cloze.size());
        log.accept(command + ": tasks " + written + (pairs.dropped().isEmpty() ? ""
                : "; minimal-pair kinds dropped (fewer than " + minPairs + "): " + dropped));
    }

    private static void writeTask(Path file, List<MultipleChoiceItem> items) throws IOException {
        List<String> lines = new ArrayList<>();
        ObjectMapper compact = new ObjectMapper();
        for (MultipleChoiceItem i : items) {
            ObjectNode o = compact.createObjectNode();
            o.put("id", i.id());
            o.put("task", i.task());
            o.put("context", i.context());
            ArrayNode c = o.putArray("choices");
            i.choices().forEach(c::add);
            o.put("answer", i.answer());
            o.put("source", i.source());
            lines.add(compact.writeValueAsString(o));
        }
        AtomicFiles.writeLines(file, lines);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
