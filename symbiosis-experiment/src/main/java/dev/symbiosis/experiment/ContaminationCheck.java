package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.dedup.ContaminationIndex;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The contamination check of a run folder: every generated completion an arm released ({@code
 * <strategy>/iter-<t>/synthetic.jsonl}: Step A data, the static set, the recursive arms' samples) is checked against
 * the whole evaluation split with a {@link ContaminationIndex} (13-gram overlap, MinHash near duplicates), and the
 * findings are written to {@value #FILE}: one line per strategy and iteration with the counts and up to
 * {@value #EXAMPLES} matching spans (the generated words and the evaluation passage they repeat).
 *
 * <p>Completions are checked, not prompts: the prompts are templates or pool text, which is disjoint from the
 * evaluation split by construction. Idempotent: the file is rewritten from the released files every time.
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
     * @throws IOException naming a release file that cannot be read
     */
    public static List<ObjectNode> write(Path runDir, List<String> strategies, ContaminationIndex index)
            throws IOException {
        List<ObjectNode> lines = new ArrayList<>();
        for (String strategy : strategies) {
            for (int t = 1; ; t++) {
                Path f = runDir.resolve(strategy).resolve("iter-" + t).resolve("synthetic.jsonl");
                if (!Files.exists(f)) {
                    break;
                }
                lines.add(check(strategy, t, f, index));
            }
        }
        List<String> out = new ArrayList<>();
        for (ObjectNode o : lines) {
            out.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(runDir.resolve(FILE), out);
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
            JsonNode o;
            try {
                o = Json.reader().readTree(l);
            } catch (IOException e) {
                throw new IOException(file + ":" + line + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
            JsonNode c = o.get("completion");
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
