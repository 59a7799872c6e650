package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, validated access to config.json fields, read as transformers reads them: a field that is absent (or
 * {@code null}) takes the transformers default of the model type ({@link #intOr} and the like record which ones
 * did, and every error then lists them); the special token ids fall back to {@code generation_config.json} before
 * the default; fields two names can give (aliases) must agree. Every error names the file and the field.
 */
final class ConfigFields {

    private final Path file;
    private final JsonNode root;
    private final String modelType;
    private final GenerationConfig generation;
    private final Map<String, Object> defaulted = new LinkedHashMap<>();

    /**
     * @param modelType the family, for messages about defaults; null for files that are not config.json
     * @param generation the generation_config.json beside the file, or null
     */
    ConfigFields(Path file, JsonNode root, String modelType, GenerationConfig generation) {
        this.file = file;
        this.root = root;
        this.modelType = modelType;
        this.generation = generation;
    }

    /** The value of a field, or null when it is absent or JSON null. */
    JsonNode node(String name) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    /** Whether the field is present with the value JSON null. */
    boolean isExplicitNull(String name) {
        JsonNode n = root.get(name);
        return n != null && n.isNull();
    }

    /** The fields that took transformers' defaults so far, with the default used. */
    Map<String, Object> defaulted() {
        return Map.copyOf(defaulted);
    }

    private void tookDefault(String name, Object value) {
        defaulted.put(name, value);
    }

    int requiredInt(String name) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            throw invalid("missing field " + name);
        }
        return toInt(name, n);
    }

    int optInt(String name, int fallback) throws IOException {
        JsonNode n = node(name);
        return n == null ? fallback : toInt(name, n);
    }

    /** The field, or transformers' default {@code dflt} (recorded) when absent. */
    int intOr(String name, int dflt) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            tookDefault(name, dflt);
            return dflt;
        }
        return toInt(name, n);
    }

    private int toInt(String name, JsonNode n) throws IOException {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalid("field " + name + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    double optDouble(String name, double fallback) throws IOException {
        JsonNode n = node(name);
        return n == null ? fallback : toDouble(name, n);
    }

    double doubleOr(String name, double dflt) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            tookDefault(name, dflt);
            return dflt;
        }
        return toDouble(name, n);
    }

    private double toDouble(String name, JsonNode n) throws IOException {
        if (!n.isNumber()) {
            throw invalid("field " + name + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    boolean optBoolean(String name, boolean fallback) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw invalid("field " + name + " must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    boolean boolOr(String name, boolean dflt) throws IOException {
        if (node(name) == null) {
            tookDefault(name, dflt);
        }
        return optBoolean(name, dflt);
    }

    String optText(String name, String fallback) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw invalid("field " + name + " must be a string, got " + n);
        }
        return n.asText();
    }

    String textOr(String name, String dflt) throws IOException {
        if (node(name) == null) {
            tookDefault(name, dflt);
        }
        return optText(name, dflt);
    }

    /**
     * A number that several fields may give (e.g. {@code rotary_emb_base}, {@code rope_theta} and
     * {@code rope_parameters.rope_theta}): the value of those present, which must agree, or {@code dflt} (recorded
     * under the first name) when none is.
     *
     * @param names field names; a name with a dot reads a member of an object field
     */
    double agreeingDouble(double dflt, String... names) throws IOException {
        String first = null;
        Double value = null;
        for (String name : names) {
            JsonNode n = path(name);
            if (n == null) {
                continue;
            }
            double v = toDouble(name, n);
            if (value == null) {
                value = v;
                first = name;
            } else if (Double.compare(value, v) != 0) {
                throw invalid("fields " + first + " (" + value + ") and " + name + " (" + v
                        + ") contradict each other");
            }
        }
        if (value == null) {
            tookDefault(names[0], dflt);
            return dflt;
        }
        return value;
    }

    /** An integer several fields may give; see {@link #agreeingDouble}. */
    int agreeingInt(int dflt, String... names) throws IOException {
        String first = null;
        Integer value = null;
        for (String name : names) {
            JsonNode n = path(name);
            if (n == null) {
                continue;
            }
            int v = toInt(name, n);
            if (value == null) {
                value = v;
                first = name;
            } else if (value != v) {
                throw invalid("fields " + first + " (" + value + ") and " + name + " (" + v
                        + ") contradict each other");
            }
        }
        if (value == null) {
            tookDefault(names[0], dflt);
            return dflt;
        }
        return value;
    }

    /** A field or, for {@code "a.b"}, member {@code b} of object field {@code a}; null when absent or null. */
    JsonNode path(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return node(name);
        }
        JsonNode parent = node(name.substring(0, dot));
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode n = parent.get(name.substring(dot + 1));
        return n == null || n.isNull() ? null : n;
    }

    /** An id or a list of ids (e.g. Llama 3.1's eos_token_id); empty when the field is absent. */
    List<Integer> ids(String name) throws IOException {
        JsonNode n = node(name);
        List<Integer> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(toInt(name + "[" + i + "]", n.get(i)));
            }
            if (out.isEmpty()) {
                throw invalid("field " + name + " is an empty list");
            }
        } else {
            out.add(toInt(name, n));
        }
        return out;
    }

    /**
     * The end-of-text ids as transformers finds them: config.json's {@code eos_token_id} (an id or a list), else
     * generation_config.json's, else the model type's default {@code dflt}. A config.json that sets the field to
     * null, with no generation_config.json id, is refused: the model would have no end of text.
     */
    List<Integer> eosIds(int dflt) throws IOException {
        List<Integer> own = ids("eos_token_id");
        if (!own.isEmpty()) {
            return own;
        }
        if (generation != null && !generation.eosTokenIds().isEmpty()) {
            return generation.eosTokenIds();
        }
        if (isExplicitNull("eos_token_id")) {
            throw invalid("field eos_token_id is null and no generation_config.json gives one: the model has no"
                    + " end-of-text token");
        }
        tookDefault("eos_token_id", dflt);
        return List.of(dflt);
    }

    /**
     * The beginning-of-text id: config.json's {@code bos_token_id}, else generation_config.json's, else
     * {@code dflt}; a config.json that sets it to null takes {@code ifNull} (the first end-of-text id).
     */
    int bosId(int dflt, int ifNull) throws IOException {
        List<Integer> own = ids("bos_token_id");
        if (own.size() > 1) {
            throw invalid("field bos_token_id must be one id, got " + root.get("bos_token_id"));
        }
        if (!own.isEmpty()) {
            return own.get(0);
        }
        if (generation != null && generation.bosTokenId() != null) {
            return generation.bosTokenId();
        }
        if (isExplicitNull("bos_token_id")) {
            return ifNull;
        }
        tookDefault("bos_token_id", dflt);
        return dflt;
    }

    /**
     * An error naming the file; when fields took transformers' defaults, the message lists them, since a value
     * the file does not show may be the cause.
     */
    IOException invalid(String message) {
        String suffix = defaulted.isEmpty() ? ""
                : " (absent from the file, so transformers' defaults for " + modelType + " were used: " + defaulted
                        + ")";
        return new IOException(file + ": " + message + suffix);
    }
}
