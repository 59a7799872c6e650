package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.JsonLines;
import dev.symbiosis.core.dedup.ContaminationIndex;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The contamination check of a run folder: every generated completion an arm released ({@code
 * <strategy>/iter-<t>/synthetic.jsonl}: Step A data, the static set, the recursive arms' samples) is checked against
 * the whole evaluation split with a {@link ContaminationIndex} (13-gram overlap, MinHash near duplicates), and the
 * findings are written to {@value #FILE}: one line per strategy and iteration with the counts and up to
 * {@value #EXAMPLES} matching spans (the generated words and the evaluation passage they repeat).
 *
 * <p>Completions are checked, not prompts: the prompts are templates or pool text, which is disjoint from the
 * evaluation split by construction. Idempotent: the file is rewritten from the released files every time, and a line
 * whose release file is gone is kept as the file had it (a run folder restored from packed records, which leave the
 * released data out, keeps the findings made where the data was). The runner checks each (strategy, run seed) unit
 * when it finishes ({@link #update}), so that a folder packed before its last unit finishes holds the findings of
 * every finished one, and the whole folder at the end ({@link #write}). Both are safe to call from concurrent units.
 */
public final class ContaminationCheck {

    /** The file in the run folder. */
    public static final String FILE = "contamination.jsonl";
    /** Matching spans kept per line. */
    public static final int EXAMPLES = 3;

    private ContaminationCheck() {}

    /**
     * Checks the released samples of {@code strategies} in {@code runDir} and writes {@value #FILE}.
     *
     * @return the lines written, in strategy then iteration order
     * @throws IOException naming a release file, or a line of the existing {@value #FILE}, that cannot be read
     */
    public static List<ObjectNode> write(Path runDir, List<String> strategies, ContaminationIndex index)
            throws IOException {
        return rewrite(runDir, strategies, s -> true, index);
    }

    /**
     * Checks the released samples of one strategy and writes {@value #FILE} with them, keeping the lines the file
     * has of the other {@code strategies}.
     *
     * @param strategies every strategy of the run folder, in the order of its lines
     * @return the lines written, in strategy then iteration order
     * @throws IOException naming a release file, or a line of the existing {@value #FILE}, that cannot be read
     */
    public static List<ObjectNode> update(Path runDir, List<String> strategies, String strategy,
            ContaminationIndex index) throws IOException {
        return rewrite(runDir, strategies, strategy::equals, index);
    }

    // one lock for every run folder: concurrent units of a run seed rewrite the same file, and the check is short
    private static synchronized List<ObjectNode> rewrite(Path runDir, List<String> strategies,
            Predicate<String> recheck, ContaminationIndex index) throws IOException {
        Map<String, SortedMap<Integer, ObjectNode>> existing = read(runDir.resolve(FILE));
        List<ObjectNode> lines = new ArrayList<>();
        for (String strategy : strategies) {
            SortedMap<Integer, ObjectNode> mine = existing.getOrDefault(strategy, new TreeMap<>());
            if (recheck.test(strategy)) {
                for (int t = 1; ; t++) {
                    Path f = runDir.resolve(strategy).resolve("iter-" + t).resolve("synthetic.jsonl");
                    if (Files.exists(f)) {
                        mine.put(t, check(strategy, t, f, index));
                    } else if (!mine.containsKey(t)) {
                        break;
                    }
                }
            }
            lines.addAll(mine.values());
        }
        writeLines(runDir, lines);
        return lines;
    }

    /**
     * Takes one strategy's findings from another run folder's {@value #FILE} (a unit copied from there, see
     * {@link UnitReuse}), replacing the ones this folder's file has of it and keeping those of the other
     * {@code strategies}.
     *
     * @throws IOException naming a line of either file that cannot be read
     */
    static synchronized void adopt(Path from, Path runDir, List<String> strategies, String strategy)
            throws IOException {
        Map<String, SortedMap<Integer, ObjectNode>> mine = read(runDir.resolve(FILE));
        mine.put(strategy, read(from.resolve(FILE)).getOrDefault(strategy, new TreeMap<>()));
        List<ObjectNode> lines = new ArrayList<>();
        for (String s : strategies) {
            lines.addAll(mine.getOrDefault(s, new TreeMap<>()).values());
        }
        writeLines(runDir, lines);
    }

    private static void writeLines(Path runDir, List<ObjectNode> lines) throws IOException {
        List<String> out = new ArrayList<>();
        for (ObjectNode o : lines) {
            out.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(runDir.resolve(FILE), out);
    }

    /** The lines of an existing {@value #FILE} by strategy and iteration; empty when there is none. */
    private static Map<String, SortedMap<Integer, ObjectNode>> read(Path file) throws IOException {
        Map<String, SortedMap<Integer, ObjectNode>> lines = new HashMap<>();
        if (!Files.exists(file)) {
            return lines;
        }
        int n = 0;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (l.isBlank()) {
                continue;
            }
            ObjectNode o = JsonLines.parseObject(l, file, n);
            JsonNode strategy = o.get("strategy");
            JsonNode iteration = o.get("iteration");
            if (strategy == null || !strategy.isTextual() || iteration == null || !iteration.canConvertToInt()
                    || iteration.asInt() < 1) {
                throw new IOException(file + ":" + n + ": not a contamination line (needs a text 'strategy' and an"
                        + " 'iteration' >= 1)");
            }
            lines.computeIfAbsent(strategy.asText(), k -> new TreeMap<>()).put(iteration.asInt(), o);
        }
        return lines;
    }

    private static ObjectNode check(String strategy, int iteration, Path file, ContaminationIndex index)
            throws IOException {
        int texts = 0;
        int withNgrams = 0;
        int matches = 0;
        int nearDuplicates = 0;
        double maxSimilarity = 0;
        ArrayNode examples = Json.object().arrayNode();
        int line = 0;
        for (String l : Files.readAllLines(file)) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            JsonNode c = JsonLines.parseObject(l, file, line).get("completion");
            if (c == null || !c.isTextual()) {
                throw new IOException(file + ":" + line + ": no text field 'completion'");
            }
            String text = c.asText();
            texts++;
            ContaminationIndex.Finding f = index.check(text);
            if (!f.matches().isEmpty()) {
                withNgrams++;
                matches += f.matches().size();
            }
            if (f.nearDuplicate()) {
                nearDuplicates++;
            }
            maxSimilarity = Math.max(maxSimilarity, f.similarity());
            for (ContaminationIndex.Match m : f.matches()) {
                if (examples.size() < EXAMPLES) {
                    examples.addObject().put("line", line).put("text", text.substring(m.textStart(), m.textEnd()))
                            .put("evalDocument", m.document()).put("words", m.words());
                }
            }
        }
        ObjectNode o = Json.object();
        o.put("strategy", strategy);
        o.put("iteration", iteration);
        o.put("texts", texts);
        o.put("textsWithNgramOverlap", withNgrams);
        o.put("ngramMatches", matches);
        o.put("nearDuplicates", nearDuplicates);
        o.put("maxSimilarity", maxSimilarity);
        o.set("examples", examples);
        return o;
    }
}
