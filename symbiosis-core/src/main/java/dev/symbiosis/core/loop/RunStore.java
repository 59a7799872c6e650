package dev.symbiosis.core.loop;

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
 *     checkpoint-&lt;t&gt;/         student/, generator/, state/ and a COMPLETE marker, written to a temp folder
 *                              and renamed, so a crash never leaves a half checkpoint
 * </pre>
 * Every file is written atomically. Not thread-safe: one loop owns a run folder.
 */
public final class RunStore {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
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
    }

    public Path dir() {
        return dir;
    }

    public Path strategyDir(String strategy) {
        if (!NAME.matcher(strategy).matches()) {
            throw new IllegalArgumentException("strategy name must be lowercase letters, digits and dashes: "
                    + strategy);
        }
        return dir.resolve(strategy);
    }

    public Path iterationDir(String strategy, int iteration) {
        return strategyDir(strategy).resolve("iter-" + iteration);
    }

    public Path checkpointDir(String strategy, int iteration) {
        return strategyDir(strategy).resolve("checkpoint-" + iteration);
    }

    public boolean hasCheckpoint(String strategy, int iteration) {
        return Files.exists(checkpointDir(strategy, iteration).resolve("COMPLETE"));
    }

    /** Writes a checkpoint through {@code writer} into a temp folder, marks it complete and renames it. */
    public void writeCheckpoint(String strategy, int iteration, CheckpointWriter writer) throws IOException {
        Path target = checkpointDir(strategy, iteration);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        writer.write(tmp);
        AtomicFiles.write(tmp.resolve("COMPLETE"), "complete\n".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
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
                if (n.startsWith("checkpoint-") && !n.equals("checkpoint-" + keep)) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    /** Writes a checkpoint's content. */
    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path dir) throws IOException;
    }

    /** Every record of results.jsonl, in file order. */
    public List<IterationRecord> records() throws IOException {
        Path f = dir.resolve("results.jsonl");
        List<IterationRecord> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        TextsFile.readObjects(f, (o, line) -> {
            try {
                out.add(Json.MAPPER.treeToValue(o, IterationRecord.class));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(f + ":" + line + ": not an iteration record: " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** Replaces results.jsonl with {@code records}. */
    public void writeRecords(List<IterationRecord> records) throws IOException {
        List<String> lines = new ArrayList<>();
        for (IterationRecord r : records) {
            lines.add(Json.MAPPER.writeValueAsString(r));
        }
        AtomicFiles.writeLines(dir.resolve("results.jsonl"), lines);
    }

    /** Appends one record (atomically: the whole file is rewritten). */
    public void append(IterationRecord record) throws IOException {
        List<IterationRecord> all = records();
        all.add(record);
        writeRecords(all);
    }

    /** Appends a line of wall-clock timings. */
    public void appendTiming(String strategy, int iteration, SortedMap<String, Double> seconds) throws IOException {
        Path f = dir.resolve("timings.jsonl");
        List<String> lines = Files.exists(f) ? new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8))
                : new ArrayList<>();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("strategy", strategy);
        o.put("iteration", iteration);
        ObjectNode s = o.putObject("seconds");
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            s.put(e.getKey(), e.getValue());
        }
        lines.add(Json.MAPPER.writeValueAsString(o));
        AtomicFiles.writeLines(f, lines);
    }
}
