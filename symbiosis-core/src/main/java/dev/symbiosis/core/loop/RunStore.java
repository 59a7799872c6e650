package dev.symbiosis.core.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * The output folder of a run, laid out as
 * <pre>
 * run/
 *   run-config.json            what the run was started with (a resumed run must match it)
 *   results.jsonl              one {@link IterationRecord} per strategy and iteration (deterministic)
 *   timings.jsonl              wall-clock seconds per step (not deterministic, kept apart)
 *   &lt;strategy&gt;/
 *     initial-student/         Student 0, for strategies that reset to it
 *     iter-&lt;t&gt;/synthetic.jsonl     the iteration's synthetic samples with provenance (the data release)
 *     iter-&lt;t&gt;/hard-examples.jsonl the Student's hard examples and their signals
 *     iter-&lt;t&gt;/measured.jsonl     the texts the iteration's measurement measured (when there is one)
 *     checkpoint-&lt;t&gt;/         student/, generator/, state/, MANIFEST.sha256 and a COMPLETE marker, written
 *                              to a temp folder and renamed, so a crash never leaves a half checkpoint
 * </pre>
 * Every file is written atomically (write-then-rename). A checkpoint carries a SHA-256 manifest of its files,
 * written after them and verified before it is resumed from ({@link #hasCheckpoint}); a checkpoint whose bytes do
 * not match is refused with the file named. Names ending in {@code .tmp} or {@code .deleting}, and
 * {@code .<name>.staging-*} / {@code .<name>.old-*} folders, are this library's temporaries: a process killed
 * mid-write leaves them behind, and opening the run folder deletes them.
 *
 * <p>Thread-safe for the strategies of one loop that run concurrently: the methods that read or write
 * results.jsonl and timings.jsonl are synchronized, and {@link #insert} / {@link #insertTiming} keep the files in
 * strategy order, so that a concurrent run leaves the files of a serial one. Each strategy writes only in its own
 * folder. One loop (one process) owns a run folder.
 */
public final class RunStore {

    /** Lowercase letters, digits and dashes; parts may be joined by '+' (combinations of components). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(\\+[a-z0-9][a-z0-9-]*)*");
    /** The checksum manifest of a checkpoint: one {@code <sha256 hex>  <relative path>} line per file. */
    public static final String MANIFEST = "MANIFEST.sha256";
    /** The marker written last into a checkpoint. */
    public static final String COMPLETE = "COMPLETE";
    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-f]{64})  (\\S.*)");
    private final Path dir;

    /**
     * Opens (creating) a run folder for a run whose configuration serialises to {@code configJson}.
     *
     * @throws IOException if the folder holds a run of another configuration (it is never resumed or overwritten)
     */
    public RunStore(Path dir, String configJson) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Path cfg = dir.resolve("run-config.json");
        if (Files.exists(cfg)) {
            String old = Files.readString(cfg, StandardCharsets.UTF_8);
            if (!old.equals(configJson)) {
                throw new IOException(dir + " holds a run of another configuration (see " + cfg
                        + "); refusing to resume it: choose another output folder");
            }
        } else {
            AtomicFiles.write(cfg, configJson.getBytes(StandardCharsets.UTF_8));
        }
        deleteTemporaries(dir);
    }

    /** Whether a file or folder name is one of the temporaries a killed writer leaves behind. */
    static boolean isTemporary(String name) {
        return name.endsWith(".tmp") || name.endsWith(".deleting")
                || name.startsWith(".") && (name.contains(".staging-") || name.contains(".old-"));
    }

    /** Deletes the temporaries of writes that a crash interrupted (see the class comment). */
    private static void deleteTemporaries(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var paths = Files.walk(dir)) {
            paths.filter(p -> !p.equals(dir) && isTemporary(p.getFileName().toString())).forEach(found::add);
        }
        for (Path p : found) {
            AtomicFiles.deleteTree(p); // a temporary inside another one may already be gone
        }
    }

    public Path dir() {
        return dir;
    }

    public Path strategyDir(String strategy) {
        if (!NAME.matcher(strategy).matches()) {
            throw new IllegalArgumentException("strategy name must be lowercase letters, digits and dashes (parts "
                    + "joined by '+'): " + strategy);
        }
        return dir.resolve(strategy);
    }

    public Path iterationDir(String strategy, int iteration) {
        return strategyDir(strategy).resolve("iter-" + iteration);
    }

    public Path checkpointDir(String strategy, int iteration) {
        return strategyDir(strategy).resolve("checkpoint-" + iteration);
    }

    /**
     * Whether the strategy has a complete checkpoint of {@code iteration}; a complete one is verified against its
     * manifest first.
     *
     * @throws IOException naming the checkpoint and the file if a complete checkpoint's bytes do not match its
     *     manifest (it is never resumed from)
     */
    public boolean hasCheckpoint(String strategy, int iteration) throws IOException {
        Path ck = checkpointDir(strategy, iteration);
        if (!Files.exists(ck.resolve(COMPLETE))) {
            return false;
        }
        verifyCheckpoint(ck);
        return true;
    }

    /**
     * Checks every file listed in a checkpoint's {@value #MANIFEST} against its SHA-256. A checkpoint without a
     * manifest (written before checksums were introduced) passes unverified.
     *
     * @throws IOException naming the checkpoint and the file that is missing, altered or listed with an invalid
     *     line or path
     */
    public static void verifyCheckpoint(Path checkpoint) throws IOException {
        Path manifest = checkpoint.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return;
        }
        String hint = "; refusing to resume from it: delete " + checkpoint
                + " to redo the strategy from its last intact checkpoint (or from the start)";
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        Path root = checkpoint.toAbsolutePath().normalize();
        for (int i = 0; i < lines.size(); i++) {
            var m = MANIFEST_LINE.matcher(lines.get(i));
            if (!m.matches()) {
                throw new IOException(manifest + ":" + (i + 1) + ": not a '<sha256>  <path>' line" + hint);
            }
            Path file = root.resolve(m.group(2)).normalize();
            if (!file.startsWith(root) || file.equals(root) || Path.of(m.group(2)).isAbsolute()) {
                throw new IOException(manifest + ":" + (i + 1) + ": path '" + m.group(2)
                        + "' leaves the checkpoint folder" + hint);
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException("damaged checkpoint " + checkpoint + ": " + m.group(2) + " (listed in "
                        + MANIFEST + ") is missing" + hint);
            }
            String actual = sha256(file);
            if (!actual.equals(m.group(1))) {
                throw new IOException("damaged checkpoint " + checkpoint + ": " + file + " has SHA-256 " + actual
                        + " but " + MANIFEST + " says " + m.group(1) + hint);
            }
        }
    }

    /** The manifest of every regular file under {@code folder}: sorted relative paths with '/' separators. */
    static String manifest(Path folder) throws IOException {
        return manifest(folder, rel -> true);
    }

    /** The manifest of the regular files under {@code folder} whose relative path {@code include} accepts. */
    static String manifest(Path folder, java.util.function.Predicate<String> include) throws IOException {
        List<String> names = new ArrayList<>();
        try (var paths = Files.walk(folder)) {
            paths.filter(Files::isRegularFile).forEach(p -> {
                StringBuilder rel = new StringBuilder();
                for (Path part : folder.relativize(p)) {
                    rel.append(rel.length() == 0 ? "" : "/").append(part);
                }
                names.add(rel.toString());
            });
        }
        java.util.Collections.sort(names);
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            if (!n.equals(MANIFEST) && !n.equals(COMPLETE) && include.test(n)) {
                sb.append(sha256(folder.resolve(n))).append("  ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    private static String sha256(Path file) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /**
     * Writes a checkpoint through {@code writer} into a temp folder, adds its manifest, marks it complete and
     * renames it into place (replacing an older version of the same iteration).
     */
    public void writeCheckpoint(String strategy, int iteration, CheckpointWriter writer) throws IOException {
        Path target = checkpointDir(strategy, iteration);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        writer.write(tmp);
        AtomicFiles.write(tmp.resolve(MANIFEST), manifest(tmp).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(tmp.resolve(COMPLETE), "complete\n".getBytes(StandardCharsets.UTF_8));
        discard(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Deletes a folder by renaming it to a temporary name first, so that a crash mid-deletion never leaves a
     * folder that still looks complete but misses files.
     */
    private static void discard(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        Path trash = folder.resolveSibling(folder.getFileName() + ".deleting");
        AtomicFiles.deleteTree(trash);
        Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteTree(trash);
    }

    /** Deletes the checkpoints of {@code strategy} other than {@code keep}. */
    public void pruneCheckpoints(String strategy, int keep) throws IOException {
        Path sd = strategyDir(strategy);
        if (!Files.isDirectory(sd)) {
            return;
        }
        try (var s = Files.list(sd)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("checkpoint-") && !n.equals("checkpoint-" + keep) && !isTemporary(n)) {
                    discard(p);
                }
            }
        }
    }

    /** Writes a checkpoint's content. */
    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path dir) throws IOException;
    }

    /**
     * The content identity of one part of a checkpoint (e.g. {@code "generator"}): the SHA-256 of the manifest lines
     * of its files, paths relative to the part, i.e. {@link #contentId(Path)} of the part's folder, read from the
     * checkpoint's {@value #MANIFEST} (computed from the files for a checkpoint without one).
     *
     * @return the identity, or null when the checkpoint has no such part
     */
    public String contentId(String strategy, int iteration, String part) throws IOException {
        Path ck = checkpointDir(strategy, iteration);
        Path manifest = ck.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return Files.isDirectory(ck.resolve(part)) ? contentId(ck.resolve(part)) : null;
        }
        StringBuilder sb = new StringBuilder();
        String prefix = part + "/";
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            var m = MANIFEST_LINE.matcher(line);
            if (m.matches() && m.group(2).startsWith(prefix)) {
                sb.append(m.group(1)).append("  ").append(m.group(2).substring(prefix.length())).append('\n');
            }
        }
        return sb.length() == 0 ? null : GenerationCache.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The content identity of the files of a folder: the SHA-256 of its manifest (sorted relative paths and their
     * SHA-256, as in a checkpoint's {@value #MANIFEST}). Equal files give an equal identity wherever they are.
     */
    public static String contentId(Path folder) throws IOException {
        return contentId(folder, rel -> true);
    }

    /**
     * The content identity of the files of a folder whose relative path ({@code '/'}-separated) {@code include}
     * accepts, built as {@link #contentId(Path)} is.
     */
    public static String contentId(Path folder, java.util.function.Predicate<String> include) throws IOException {
        return GenerationCache.sha256(manifest(folder, include).getBytes(StandardCharsets.UTF_8));
    }

    /** Every record of results.jsonl, in file order. */
    public synchronized List<IterationRecord> records() throws IOException {
        return readRecords(dir);
    }

    /**
     * Every record of a run folder's results.jsonl, in file order, without opening the folder as a store (nothing
     * in it is written or deleted); empty when it has none.
     *
     * @throws IOException naming the file and line of a line that is not a record
     */
    public static List<IterationRecord> readRecords(Path dir) throws IOException {
        Path f = dir.resolve("results.jsonl");
        List<IterationRecord> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        TextsFile.readObjects(f, (o, line) -> {
            try {
                out.add(Json.value(o, IterationRecord.class));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(f + ":" + line + ": not an iteration record: " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** Replaces results.jsonl with {@code records}. */
    public synchronized void writeRecords(List<IterationRecord> records) throws IOException {
        List<String> lines = new ArrayList<>();
        for (IterationRecord r : records) {
            lines.add(Json.writer().writeValueAsString(r));
        }
        AtomicFiles.writeLines(dir.resolve("results.jsonl"), lines);
    }

    /** Appends one record (atomically: the whole file is rewritten). */
    public synchronized void append(IterationRecord record) throws IOException {
        List<IterationRecord> all = records();
        all.add(record);
        writeRecords(all);
    }

    /**
     * Inserts one record after the last record of its own strategy or of a strategy listed before it in
     * {@code strategyOrder} (strategies not listed count as before every listed one), atomically. Inserting each
     * strategy's records in iteration order gives the file a serial run of the strategies in that order writes,
     * whatever the order in which concurrent strategies finish their iterations.
     */
    public synchronized void insert(IterationRecord record, List<String> strategyOrder) throws IOException {
        List<IterationRecord> all = records();
        all.add(insertionPoint(all.stream().map(IterationRecord::strategy).toList(), record.strategy(),
                strategyOrder), record);
        writeRecords(all);
    }

    /**
     * Copies one strategy's records from another run folder into this one, as if this folder had run it: the
     * strategy's folder (per-iteration files and releases; not its checkpoints or initial Student), its timing lines
     * and its records, each placed in {@code strategyOrder} as {@link #insert} places them. Whatever this folder
     * held of the strategy is replaced. The records are written last, so a copy that a crash interrupts leaves the
     * strategy without records here, and copying again starts over. Whether the two folders' settings make the
     * strategy's records valid here is the caller's to check.
     *
     * @return the copied records, in iteration order
     * @throws IOException if {@code from} has no record of the strategy, or on a read or write failure
     */
    public synchronized List<IterationRecord> copyUnit(Path from, String strategy, List<String> strategyOrder)
            throws IOException {
        List<IterationRecord> theirs = readRecords(from).stream().filter(r -> r.strategy().equals(strategy))
                .toList();
        if (theirs.isEmpty()) {
            throw new IOException(from.resolve("results.jsonl") + " has no record of strategy '" + strategy + "'");
        }
        Path target = strategyDir(strategy);
        Path source = from.resolve(strategy);
        if (Files.isDirectory(source)) {
            Path staged = AtomicFiles.stagingDir(target);
            try (var paths = Files.walk(source)) {
                for (Path p : paths.toList()) {
                    Path rel = source.relativize(p);
                    String top = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
                    boolean temporary = false;
                    for (Path part : rel) {
                        temporary |= isTemporary(part.toString());
                    }
                    if (top.startsWith("checkpoint-") || top.equals("initial-student") || temporary) {
                        continue;
                    }
                    Path to = staged.resolve(rel.toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
            AtomicFiles.deleteTree(target);
            Files.move(staged, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        List<String> timings = timingLines();
        List<String> timingStrategies = strategiesOf(timings);
        for (int i = timings.size() - 1; i >= 0; i--) {
            if (timingStrategies.get(i).equals(strategy)) {
                timings.remove(i);
                timingStrategies.remove(i);
            }
        }
        Path theirTimings = from.resolve("timings.jsonl");
        if (Files.exists(theirTimings)) {
            for (String l : Files.readAllLines(theirTimings, StandardCharsets.UTF_8)) {
                if (strategyOf(l).equals(strategy)) {
                    int at = insertionPoint(timingStrategies, strategy, strategyOrder);
                    timings.add(at, l);
                    timingStrategies.add(at, strategy);
                }
            }
        }
        AtomicFiles.writeLines(dir.resolve("timings.jsonl"), timings);
        List<IterationRecord> all = records();
        all.removeIf(r -> r.strategy().equals(strategy));
        for (IterationRecord r : theirs) {
            all.add(insertionPoint(all.stream().map(IterationRecord::strategy).toList(), strategy, strategyOrder), r);
        }
        writeRecords(all);
        return theirs;
    }

    /**
     * Removes the timing lines of {@code strategy} past {@code iteration}, then its records past it, each file
     * atomically: the iterations are redone and their new lines replace these, so that the timings describe the
     * records. In this order a crash between the two writes leaves records past {@code iteration}, which a resume
     * drops again (a timing line is written after its record, never without it).
     */
    public synchronized void dropRecordsAfter(String strategy, int iteration) throws IOException {
        List<String> timings = timingLines();
        List<String> kept = new ArrayList<>();
        for (String l : timings) {
            JsonNode line = l.isBlank() ? null : Json.parse(l);
            if (line == null || !line.path("strategy").asText().equals(strategy)
                    || line.path("iteration").asInt(0) <= iteration) {
                kept.add(l);
            }
        }
        if (kept.size() != timings.size()) {
            AtomicFiles.writeLines(dir.resolve("timings.jsonl"), kept);
        }
        List<IterationRecord> all = records();
        if (all.removeIf(r -> r.strategy().equals(strategy) && r.iteration() > iteration)) {
            writeRecords(all);
        }
    }

    /** Where {@link #insert} puts a line of {@code strategy} among lines of the strategies {@code existing}. */
    private static int insertionPoint(List<String> existing, String strategy, List<String> strategyOrder) {
        int rank = strategyOrder.indexOf(strategy);
        int at = 0;
        for (int i = 0; i < existing.size(); i++) {
            if (strategyOrder.indexOf(existing.get(i)) <= rank) {
                at = i + 1;
            }
        }
        return at;
    }

    /** Appends a line of wall-clock timings. */
    public synchronized void appendTiming(String strategy, int iteration, SortedMap<String, Double> seconds)
            throws IOException {
        List<String> lines = timingLines();
        lines.add(timingLine(strategy, iteration, seconds, new java.util.TreeMap<>()));
        AtomicFiles.writeLines(dir.resolve("timings.jsonl"), lines);
    }

    /** Inserts a line of wall-clock timings in strategy order, as {@link #insert} does with records. */
    public synchronized void insertTiming(String strategy, int iteration, SortedMap<String, Double> seconds,
            List<String> strategyOrder) throws IOException {
        insertTiming(strategy, iteration, seconds, new java.util.TreeMap<>(), strategyOrder);
    }

    /**
     * As {@link #insertTiming(String, int, SortedMap, List)}, with the iteration's model work ({@link ComputeMeter}
     * figures) in the line's {@code compute} object (left out when empty).
     */
    public synchronized void insertTiming(String strategy, int iteration, SortedMap<String, Double> seconds,
            SortedMap<String, Double> compute, List<String> strategyOrder) throws IOException {
        List<String> lines = timingLines();
        List<String> strategies = strategiesOf(lines);
        lines.add(insertionPoint(strategies, strategy, strategyOrder), timingLine(strategy, iteration, seconds,
                compute));
        AtomicFiles.writeLines(dir.resolve("timings.jsonl"), lines);
    }

    /**
     * Sorts the timing lines by their strategy's place in {@code strategyOrder} (stable within a strategy, blank
     * lines dropped); rewrites the file, atomically, only when the order changes.
     */
    public synchronized void sortTimings(List<String> strategyOrder) throws IOException {
        List<String> lines = timingLines();
        List<String> strategies = strategiesOf(lines);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                at.add(i);
            }
        }
        at.sort(java.util.Comparator.comparingInt(i -> strategyOrder.indexOf(strategies.get(i))));
        List<String> sorted = at.stream().map(lines::get).toList();
        if (!sorted.equals(lines)) {
            AtomicFiles.writeLines(dir.resolve("timings.jsonl"), sorted);
        }
    }

    /** The strategy a timing line belongs to ("" for a blank line). */
    private static String strategyOf(String timingLine) throws IOException {
        return timingLine.isBlank() ? "" : Json.parse(timingLine).path("strategy").asText();
    }

    /** The strategy of each timing line, in a list that may be changed. */
    private static List<String> strategiesOf(List<String> timingLines) throws IOException {
        List<String> strategies = new ArrayList<>();
        for (String l : timingLines) {
            strategies.add(strategyOf(l));
        }
        return strategies;
    }

    private List<String> timingLines() throws IOException {
        Path f = dir.resolve("timings.jsonl");
        return Files.exists(f) ? new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8)) : new ArrayList<>();
    }

    private static String timingLine(String strategy, int iteration, SortedMap<String, Double> seconds,
            SortedMap<String, Double> compute) throws IOException {
        ObjectNode o = Json.object();
        o.put("strategy", strategy);
        o.put("iteration", iteration);
        ObjectNode s = o.putObject("seconds");
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            s.put(e.getKey(), e.getValue());
        }
        if (!compute.isEmpty()) {
            ObjectNode c = o.putObject("compute");
            compute.forEach((k, v) -> c.put(k, v.longValue()));
        }
        return Json.writer().writeValueAsString(o);
    }
}
