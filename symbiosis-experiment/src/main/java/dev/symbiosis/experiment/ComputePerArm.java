package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.corpus.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compute per arm, from the run folders' {@code timings.jsonl}: the model work ({@code compute}: forward and backward
 * token positions by role, counted by {@link dev.symbiosis.core.loop.ComputeMeter}) and the wall-clock seconds
 * ({@code seconds}, every step but iteration 0's evaluation) of iterations 1..T, summed over iterations and averaged
 * over runs. Token counts are deterministic (a generation served from the run's cache counts as sampled); seconds
 * depend on the machine and on what ran beside.
 *
 * <p>An arm without timing lines in a run is left out of that run's mean; a missing file gives no rows. Where an
 * iteration has several lines (redone after an interruption, in a folder written before {@code RunStore} dropped the
 * first attempt's line with its records), the last one counts: the work behind the record the folder keeps.
 * Stateless and thread-safe.
 */
public final class ComputePerArm {

    /** The file, in every run folder. */
    public static final String TIMINGS = "timings.jsonl";

    private ComputePerArm() {}

    /**
     * One arm's mean compute per run.
     *
     * @param strategy the arm
     * @param runs runs with timing lines for the arm
     * @param tokens mean over runs of each {@code tokens.<direction>.<role>} count summed over iterations, sorted by key
     * @param seconds mean over runs of the seconds of every step summed over iterations
     */
    public record Row(String strategy, int runs, SortedMap<String, Double> tokens, double seconds) {
        public Row {
            tokens = Collections.unmodifiableSortedMap(new TreeMap<>(tokens));
        }

        /** Every forward and backward token position, all roles. */
        public double totalTokens() {
            return tokens.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * The rows, in the order the arms first appear.
     *
     * @param runDirs run folders (one per run seed or pretrained pair)
     * @throws IOException naming the file and line of a malformed timing line
     */
    public static List<Row> of(List<Path> runDirs) throws IOException {
        Map<String, List<SortedMap<String, Double>>> tokensByArm = new LinkedHashMap<>();
        Map<String, List<Double>> secondsByArm = new LinkedHashMap<>();
        for (Path dir : runDirs) {
            Path f = dir.resolve(TIMINGS);
            if (!Files.exists(f)) {
                continue;
            }
            // per arm and iteration the last line: an iteration redone after an interruption may have left the
            // line of its first attempt (folders written before RunStore dropped it), and its record is the redo's
            Map<String, SortedMap<Integer, JsonNode>> byIteration = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode o = JsonLines.parseObject(lines.get(i), f, i + 1);
                String arm = o.path("strategy").asText();
                int iteration = o.path("iteration").asInt(0);
                if (arm.isEmpty() || iteration < 1) {
                    continue;
                }
                byIteration.computeIfAbsent(arm, k -> new TreeMap<>()).put(iteration, o);
            }
            Map<String, SortedMap<String, Double>> tokens = new LinkedHashMap<>();
            Map<String, Double> seconds = new LinkedHashMap<>();
            byIteration.forEach((arm, its) -> {
                SortedMap<String, Double> t = tokens.computeIfAbsent(arm, k -> new TreeMap<>());
                double s = 0;
                for (JsonNode o : its.values()) {
                    o.path("compute").fields().forEachRemaining(e -> t.merge(e.getKey(), e.getValue().asDouble(),
                            Double::sum));
                    for (JsonNode v : o.path("seconds")) {
                        s += v.asDouble();
                    }
                }
                seconds.put(arm, s);
            });
            tokens.forEach((arm, t) -> tokensByArm.computeIfAbsent(arm, k -> new ArrayList<>()).add(t));
            seconds.forEach((arm, s) -> secondsByArm.computeIfAbsent(arm, k -> new ArrayList<>()).add(s));
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<SortedMap<String, Double>>> e : tokensByArm.entrySet()) {
            int n = e.getValue().size();
            SortedMap<String, Double> mean = new TreeMap<>();
            for (SortedMap<String, Double> run : e.getValue()) {
                run.forEach((k, v) -> mean.merge(k, v / n, Double::sum));
            }
            double sec = secondsByArm.get(e.getKey()).stream().mapToDouble(Double::doubleValue).sum() / n;
            rows.add(new Row(e.getKey(), n, mean, sec));
        }
        return rows;
    }
}
