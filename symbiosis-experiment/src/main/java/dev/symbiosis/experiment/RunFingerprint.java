package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The check of a run folder's {@code run-config.json} against the run about to resume it: any difference is
 * refused with the fields that differ named. Stateless.
 */
final class RunFingerprint {

    /** File name in a run folder. */
    static final String FILE = "run-config.json";
    private static final int MAX_LISTED = 12;
    /** The key of {@code components} holding the checkpoints' SHA-256 ({@link CheckpointFingerprint}). */
    static final String MODELS = "models";

    private RunFingerprint() {}

    /**
     * Refuses to resume a run folder whose stored settings differ from {@code json}; does nothing for a folder
     * without {@value #FILE}. A folder written before some configuration keys existed resumes when the only
     * differences are those keys at the default preset's value (the value that reproduces what the harness did
     * before the key existed): its {@value #FILE} is then rewritten with them. So does a folder written before the
     * checkpoints' SHA-256 were recorded ({@code components.models}): it takes the current ones.
     *
     * @throws IOException naming the folder and every differing field (old and new value)
     */
    static void check(Path dir, String json) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return;
        }
        String old = Files.readString(f, StandardCharsets.UTF_8);
        if (old.equals(json)) {
            return;
        }
        List<String> diffs = new ArrayList<>();
        JsonNode before;
        try {
            before = Json.reader().readTree(old);
        } catch (IOException e) {
            throw new IOException(f + " is not JSON (" + e.getMessage() + "); refusing to resume " + dir, e);
        }
        JsonNode after = Json.reader().readTree(json);
        ObjectNode upgraded = before.deepCopy();
        boolean added = false;
        if (before.get("experiment") instanceof ObjectNode stored && after.get("experiment") != null) {
            addDefaults((ObjectNode) upgraded.get("experiment"), after.get("experiment"),
                    ExperimentConfig.preset("default").toTree());
            added = !stored.equals(upgraded.get("experiment"));
        }
        // folders written before the checkpoints' SHA-256 were recorded: their models cannot be checked, so the
        // current ones are recorded from now on (docs/reliability.md)
        if (upgraded.get("components") instanceof ObjectNode c && !c.has(MODELS)
                && after.path("components").get(MODELS) != null) {
            c.set(MODELS, after.path("components").get(MODELS).deepCopy());
            added = true;
        }
        if (added && upgraded.equals(after)) {
            AtomicFiles.write(f, json.getBytes(StandardCharsets.UTF_8));
            return;
        }
        diff("", before, after, diffs);
        if (diffs.isEmpty()) {
            diffs.add("(the same settings written differently)");
        }
        String listed = String.join("; ", diffs.subList(0, Math.min(MAX_LISTED, diffs.size())))
                + (diffs.size() > MAX_LISTED ? "; and " + (diffs.size() - MAX_LISTED) + " more" : "");
        throw new IOException(dir + " holds a run of other settings (" + f + "): " + listed
                + ". Refusing to resume it: choose another output folder, or run with the settings it was started "
                + "with");
    }

    /** Copies into {@code stored} every key of {@code current} it lacks whose value is the default's. */
    private static void addDefaults(ObjectNode stored, JsonNode current, JsonNode defaults) {
        for (Iterator<Map.Entry<String, JsonNode>> it = current.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode have = stored.get(e.getKey());
            JsonNode dflt = defaults == null ? null : defaults.get(e.getKey());
            if (have == null) {
                if (dflt != null && dflt.equals(e.getValue())) {
                    stored.set(e.getKey(), e.getValue().deepCopy());
                }
            } else if (have instanceof ObjectNode h && e.getValue().isObject()) {
                addDefaults(h, e.getValue(), dflt);
            }
        }
    }

    /** Adds to {@code out} a line per field that differs between {@code a} and {@code b} (path: old -> new). */
    static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                diff(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
            }
            return;
        }
        if (a == null || b == null || !a.equals(b)) {
            out.add((path.isEmpty() ? "(top level)" : path) + ": " + show(a) + " -> " + show(b));
        }
    }

    private static String show(JsonNode n) {
        if (n == null) {
            return "(absent)";
        }
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
