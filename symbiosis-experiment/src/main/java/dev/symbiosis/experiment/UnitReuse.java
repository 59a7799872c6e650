package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.loop.RunStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finished (strategy, run seed) units taken from another run folder instead of being run again
 * ({@link ExperimentRunner.Builder#optReuseUnitsFrom}): a run that adds arms to a finished one, or an ablation that
 * shares arms with a main run, computes only what is new. A unit's records depend on the run seed, the settings and
 * its own strategy's settings, not on the other arms of its run (every random choice derives from the run seed, the
 * iteration and the step; {@code UnitReuseTest} runs the same unit in two runs of other arms and compares the bytes),
 * so its records are valid in any run that differs from the other only in its arms. Stateless.
 */
final class UnitReuse {

    private UnitReuse() {}

    /**
     * The run folder of {@code runSeed} inside {@code from}: {@code from/seed-<s>/} of a multi-seed output folder, or
     * {@code from} itself when it is the one-seed run of that seed; null when it has none.
     *
     * @throws IOException if {@code from} does not exist, or a run-config.json cannot be read
     */
    static @Nullable Path sourceFolder(Path from, long runSeed) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("no run folder " + from + " to reuse units from");
        }
        Path seedDir = from.resolve(ExperimentRunner.seedFolder(runSeed));
        if (Files.exists(seedDir.resolve(RunFingerprint.FILE))) {
            return seedDir;
        }
        Path own = from.resolve(RunFingerprint.FILE);
        if (Files.exists(own) && read(own).path("runSeed").asLong(Long.MIN_VALUE) == runSeed) {
            return from;
        }
        return null;
    }

    /**
     * Copies into {@code store} every strategy of {@code candidates} that this folder has no record of and that
     * the other run folder of the run seed has finished, with its contamination findings.
     *
     * @param fingerprint this run folder's run-config.json
     * @param order the strategies of this run, in the order of its records
     * @return the copied strategies, in {@code order}
     * @throws IOException when the other folder's settings differ from this run's other than in its arms (naming
     *     the fields), or on a read or write failure
     */
    static List<String> copyFinished(Path from, long runSeed, RunStore store, String fingerprint, List<String> order,
            Collection<String> candidates, int iterations, PrintStream log) throws IOException {
        Path source = sourceFolder(from, runSeed);
        if (source == null) {
            log.printf("reuse: %s has no run folder of run seed %d; running every unit%n", from, runSeed);
            return List.of();
        }
        JsonNode ours = Json.parse(fingerprint);
        JsonNode theirs = read(source.resolve(RunFingerprint.FILE));
        List<IterationRecord> theirRecords = RunStore.readRecords(source);
        List<IterationRecord> ourRecords = store.records();
        List<String> copied = new ArrayList<>();
        for (String strategy : order) {
            boolean finished = theirRecords.stream().anyMatch(r -> r.strategy().equals(strategy)
                    && (r.stopped() != null || r.iteration() == iterations));
            boolean startedHere = ourRecords.stream().anyMatch(r -> r.strategy().equals(strategy));
            if (!candidates.contains(strategy) || !finished || startedHere) {
                continue;
            }
            List<String> diffs = new ArrayList<>();
            RunFingerprint.diff("", unitSettings(theirs, strategy), unitSettings(ours, strategy), diffs);
            if (!diffs.isEmpty()) {
                throw new IOException("cannot reuse strategy '" + strategy + "' of run seed " + runSeed + " from "
                        + source + ": its settings differ from this run's other than in the arms ("
                        + String.join("; ", diffs.subList(0, Math.min(12, diffs.size())))
                        + (diffs.size() > 12 ? "; and " + (diffs.size() - 12) + " more" : "") + ")");
            }
            if (copied.isEmpty()) {
                adoptHeadlineTasks(source, store.dir());
            }
            store.copyUnit(source, strategy, order);
            ContaminationCheck.adopt(source, store.dir(), order, strategy);
            copied.add(strategy);
            log.printf("reuse: %s (run seed %d) taken from %s%n", strategy, runSeed, source);
        }
        return copied;
    }

    /**
     * The headline tasks, chosen from Generator 0's accuracy on the suite, enter every record's headline figure: a
     * folder that takes units takes their choice (on another machine the choice could differ in a tie), and one that
     * already made its own must have made the same.
     */
    private static void adoptHeadlineTasks(Path source, Path dir) throws IOException {
        Path theirs = source.resolve(ExperimentRunner.HEADLINE_TASKS_FILE);
        Path ours = dir.resolve(ExperimentRunner.HEADLINE_TASKS_FILE);
        if (!Files.exists(theirs)) {
            return;
        }
        if (!Files.exists(ours)) {
            AtomicFiles.write(ours, Files.readAllBytes(theirs));
        } else if (Files.mismatch(theirs, ours) != -1L) {
            throw new IOException("cannot reuse units from " + source + ": its headline tasks (" + theirs
                    + ") differ from this run's (" + ours + ")");
        }
    }

    /**
     * A run-config.json without what names the run's other arms: the preset's name, the number of run seeds, the
     * strategy list and the other strategies' components.
     */
    static JsonNode unitSettings(JsonNode runConfig, String strategy) {
        ObjectNode o = runConfig.deepCopy();
        if (o.get("experiment") instanceof ObjectNode e) {
            e.remove(List.of("preset", "seeds", "strategies"));
        }
        if (o.path("components").get("strategies") instanceof ObjectNode s) {
            s.retain(strategy);
        }
        return o;
    }

    private static JsonNode read(Path file) throws IOException {
        try {
            JsonNode n = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new IOException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
