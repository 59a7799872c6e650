package dev.symbiosis.experiment;

import com.google.common.html.HtmlEscapers;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.ItemScore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Retention of what Student 0 already gets right: for every arm and iteration {@code t}, of the multiple-choice items
 * Student 0 answered right (raw log-likelihood, as {@code mc.acc}), the fraction the Student at iteration {@code t}
 * still answers right. Read from the per-item records the runs already write
 * ({@code <strategy>/iter-<t>/items.jsonl}, kind {@code mc}); Student 0 is each arm's own iteration 0 (every arm
 * starts from the same Student 0, so they agree). Counts are pooled over the runs, per task family
 * ({@link #family}) and over all families ({@link #ALL}).
 *
 * <p>An item counts at {@code t} only if both iteration 0 and {@code t} hold it; an (arm, iteration, family) with no
 * item right at iteration 0 has no row. Deterministic; thread-safe (no state).
 */
public final class Retention {

    /** File of the rows in the output folder, beside {@code gain-recovered.csv}. */
    public static final String FILE = "retention.csv";
    /** Family of every item pooled. */
    public static final String ALL = "all";
    /** Family of the {@code minimal-pairs-*} tasks. */
    public static final String MINIMAL_PAIRS = "minimal-pairs";
    /** Family of the {@code entity-cloze} task. */
    public static final String ENTITY_CLOZE = "entity-cloze";
    /** Family of every other task. */
    public static final String OTHER = "other";
    /** Families in report order. */
    public static final List<String> FAMILIES = List.of(ALL, MINIMAL_PAIRS, ENTITY_CLOZE, OTHER);

    private Retention() {}

    /**
     * One arm's retention at one iteration in one family.
     *
     * @param strategy the arm
     * @param iteration {@code t} (0 gives 1 by definition)
     * @param family one of {@link #FAMILIES}
     * @param runs runs whose records were counted
     * @param rightAtZero items Student 0 answered right (and iteration {@code t} holds), over the runs
     * @param stillRight of those, the items the Student at {@code t} answers right
     * @param fraction {@code stillRight / rightAtZero}
     */
    public record Row(String strategy, int iteration, String family, int runs, long rightAtZero, long stillRight,
            double fraction) {}

    /** The family of a task: {@link #MINIMAL_PAIRS}, {@link #ENTITY_CLOZE} or {@link #OTHER}. */
    public static String family(String task) {
        if (task.startsWith(ExperimentConfig.Evaluator.MINIMAL_PAIRS_PREFIX)) {
            return MINIMAL_PAIRS;
        }
        return task.equals(ENTITY_CLOZE) ? ENTITY_CLOZE : OTHER;
    }

    /**
     * @param runDirs run folders
     * @param strategies the arms, in report order
     * @param iterations the last iteration {@code T}
     * @return rows by arm, iteration and family (in {@link #FAMILIES} order); empty when no run has multiple-choice
     *     items
     * @throws IOException naming an items file that cannot be read
     */
    public static List<Row> compute(List<Path> runDirs, List<String> strategies, int iterations) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String s : strategies) {
            for (int t = 0; t <= iterations; t++) {
                Map<String, long[]> counts = new HashMap<>(); // family -> {right at 0, still right}
                int runs = 0;
                for (Path dir : runDirs) {
                    Map<String, Boolean> zero = choices(dir.resolve(s).resolve("iter-0"));
                    Map<String, Boolean> now = choices(dir.resolve(s).resolve("iter-" + t));
                    if (zero.isEmpty() || now.isEmpty()) {
                        continue;
                    }
                    runs++;
                    for (Map.Entry<String, Boolean> e : zero.entrySet()) {
                        Boolean later = now.get(e.getKey());
                        if (!e.getValue() || later == null) {
                            continue;
                        }
                        String task = e.getKey().substring(0, e.getKey().indexOf('\n'));
                        for (String f : List.of(ALL, family(task))) {
                            long[] c = counts.computeIfAbsent(f, k -> new long[2]);
                            c[0]++;
                            c[1] += later ? 1 : 0;
                        }
                    }
                }
                for (String f : FAMILIES) {
                    long[] c = counts.get(f);
                    if (c != null && c[0] > 0) {
                        rows.add(new Row(s, t, f, runs, c[0], c[1], (double) c[1] / c[0]));
                    }
                }
            }
        }
        return rows;
    }

    /** Multiple-choice items of one iteration folder: task and id (joined by a newline) to answered right. */
    private static Map<String, Boolean> choices(Path iterationDir) throws IOException {
        Map<String, Boolean> out = new HashMap<>();
        for (ItemScore item : ItemRecordingEvaluator.read(iterationDir)) {
            if (item.kind().equals(HeldOutEvaluator.KIND_CHOICE)) {
                out.put(item.group() + "\n" + item.id(), item.value(HeldOutEvaluator.VALUE_CORRECT) == 1.0);
            }
        }
        return out;
    }

    /** Writes the rows as CSV ({@code strategy,iteration,family,runs,right_at_0,still_right,fraction}). */
    public static void writeCsv(Path file, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("strategy,iteration,family,runs,right_at_0,still_right,fraction");
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%d,%.6f", r.strategy(), r.iteration(), r.family(),
                    r.runs(), r.rightAtZero(), r.stillRight(), r.fraction()));
        }
        AtomicFiles.writeLines(file, lines);
    }

    /**
     * The report's section: per arm at the last iteration, the fraction per family with its counts, and the
     * per-iteration detail folded; empty when there are no rows.
     */
    public static String html(List<Row> rows, int last) {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h2>Retention of what Student 0 gets right</h2>\n<p>Of the "
                + "multiple-choice items Student 0 answers right, the fraction the Student still answers right (counts"
                + " pooled over the runs; file <code>" + FILE + "</code>). At iteration " + last + ":</p>\n");
        table(html, rows.stream().filter(r -> r.iteration() == last).toList(), false);
        html.append("<details><summary>Per iteration</summary>\n");
        table(html, rows.stream().filter(r -> r.iteration() > 0).toList(), true);
        return html.append("</details>\n").toString();
    }

    private static void table(StringBuilder html, List<Row> rows, boolean withIteration) {
        html.append("<table><tr><th>arm</th>").append(withIteration ? "<th>iteration</th>" : "");
        for (String f : FAMILIES) {
            html.append("<th>").append(f).append("</th>");
        }
        html.append("</tr>\n");
        Map<String, Map<String, Row>> byLine = new java.util.LinkedHashMap<>();
        for (Row r : rows) {
            byLine.computeIfAbsent(r.strategy() + "\n" + r.iteration(), k -> new HashMap<>()).put(r.family(), r);
        }
        for (Map.Entry<String, Map<String, Row>> e : byLine.entrySet()) {
            String[] key = e.getKey().split("\n");
            html.append("<tr><td style=\"text-align:left\">").append(HtmlEscapers.htmlEscaper().escape(key[0]))
                    .append("</td>").append(withIteration ? "<td>" + key[1] + "</td>" : "");
            for (String f : FAMILIES) {
                Row r = e.getValue().get(f);
                html.append("<td>").append(r == null ? "" : String.format(Locale.ROOT, "%.3f <small>(%d/%d)</small>",
                        r.fraction(), r.stillRight(), r.rightAtZero())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }
}
