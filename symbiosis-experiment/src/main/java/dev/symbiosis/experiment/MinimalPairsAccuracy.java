package dev.symbiosis.experiment;

import dev.symbiosis.core.eval.Proportion;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.ItemScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Student 0's accuracy pooled over the {@code minimal-pairs-*} tasks, with its 95 % Wilson interval
 * ({@link Proportion}): issue 16 asks for at least 1,000 pairs and a lower bound above 0.55 on the default preset.
 * Read from the per-item records of iteration 0 (Student 0) of the first arm, in report order, that has them; one
 * row per run. Deterministic; thread-safe (no state).
 */
public final class MinimalPairsAccuracy {

    /** File of the rows in the output folder. */
    public static final String FILE = "student0-minimal-pairs.csv";

    private MinimalPairsAccuracy() {}

    /**
     * Student 0 on the minimal pairs of one run.
     *
     * @param seed the run seed
     * @param strategy the arm whose iteration 0 was read
     * @param kinds the {@code minimal-pairs-*} tasks pooled
     * @param accuracy right answers (raw log-likelihood, as {@code mc.acc}) of the pooled items, with the 95 %
     *     Wilson interval
     */
    public record Row(long seed, String strategy, List<String> kinds, Proportion accuracy) {
        public Row {
            kinds = List.copyOf(kinds);
        }
    }

    /**
     * @param runs the runs, in order
     * @param strategies the arms in report order
     * @return one row per run that has minimal-pairs items at iteration 0; empty when none has
     * @throws IOException naming an items file that cannot be read
     */
    public static List<Row> compute(List<SeedStatistics.SeedRun> runs, List<String> strategies) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (SeedStatistics.SeedRun run : runs) {
            for (String s : strategies) {
                Path iter0 = run.dir().resolve(s).resolve("iter-0");
                if (!Files.exists(iter0.resolve(ItemRecordingEvaluator.FILE))) {
                    continue;
                }
                Set<String> kinds = new TreeSet<>();
                int right = 0;
                int n = 0;
                for (ItemScore item : ItemRecordingEvaluator.read(iter0)) {
                    if (item.kind().equals(HeldOutEvaluator.KIND_CHOICE)
                            && Retention.family(item.group()).equals(Retention.MINIMAL_PAIRS)) {
                        kinds.add(item.group());
                        n++;
                        right += item.value(HeldOutEvaluator.VALUE_CORRECT) == 1.0 ? 1 : 0;
                    }
                }
                if (n > 0) {
                    rows.add(new Row(run.seed(), s, List.copyOf(kinds), Proportion.of(right, n)));
                }
                break;
            }
        }
        return rows;
    }

    /** Writes the rows as CSV ({@code seed,strategy,kinds,items,correct,accuracy,wilson_lower95,wilson_upper95}). */
    public static void writeCsv(Path file, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("seed,strategy,kinds,items,correct,accuracy,wilson_lower95,wilson_upper95");
        for (Row r : rows) {
            Proportion p = r.accuracy();
            lines.add(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%.6f,%.6f,%.6f", r.seed(), r.strategy(),
                    String.join(" ", r.kinds()), p.trials(), p.successes(), p.value(), p.lower(), p.upper()));
        }
        AtomicFiles.writeLines(file, lines);
    }

    /** The report's line (the first run's row, the others in the file); empty when there are no rows. */
    public static String html(List<Row> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        Row r = rows.get(0);
        Proportion p = r.accuracy();
        return String.format(Locale.ROOT, "<p>Student 0 on the minimal pairs (%d kinds pooled, %d pairs): accuracy "
                + "%.4f, 95%% Wilson interval [%.4f, %.4f]%s. Issue 16 asks, on the default preset, for at least 1,000"
                + " pairs and a lower bound above 0.55. File: <code>%s</code>.</p>%n", r.kinds().size(), p.trials(),
                p.value(), p.lower(), p.upper(), rows.size() > 1 ? " (run seed " + r.seed() + "; every run's in the"
                        + " file)" : "", FILE);
    }
}
