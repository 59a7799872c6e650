package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key table against the code: every key of the configuration is listed, no other, and
 * every default written as a JSON literal is the {@code default} preset's value.
 */
class ExperimentConfigDocTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z.]+)` \\| ([^|]*) \\|");

    @Test
    void everyKeyIsDocumentedWithTheDefaultPresetsValue() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        String table = doc.substring(doc.indexOf("## Every key and its default"));
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : table.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.put(m.group(1), m.group(2).strip());
            }
        }
        ObjectNode defaults = (ObjectNode) Json.parse(ExperimentConfig.preset("default").toJson());
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        leaves(defaults, "", leaves);
        leaves(Json.tree(ExperimentConfig.TopicsFromSeed.DEFAULTS), "prompting.topicsFromSeed", leaves);
        assertEquals(new TreeSet<>(leaves.keySet()), new TreeSet<>(documented.keySet()),
                "the table lists exactly the configuration's keys");
        int checked = 0;
        for (Map.Entry<String, String> e : documented.entrySet()) {
            String cell = e.getValue();
            if (cell.matches("`[^`]*`")) {
                JsonNode written = Json.parse(cell.substring(1, cell.length() - 1));
                JsonNode actual = leaves.get(e.getKey());
                assertTrue(written.equals(actual) || written.isNumber() && actual.isNumber()
                        && written.asDouble() == actual.asDouble(), e.getKey() + ": the doc says " + cell
                        + ", the default preset has " + actual);
                checked++;
            }
        }
        assertTrue(checked > 70, "most defaults are literal: " + checked);
    }

    private static void leaves(JsonNode node, String path, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue().isObject()) {
                leaves(e.getValue(), p, out);
            } else {
                out.put(p, e.getValue());
            }
        }
    }
}
