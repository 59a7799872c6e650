package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed, validated access to config.json fields; every error names the file and the field. */
final class ConfigFields {

    private final Path file;
    private final JsonNode root;

    ConfigFields(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    JsonNode node(String name) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? null : n;
    }

    int requiredInt(String name) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            throw new IOException(file + ": missing field " + name);
        }
        return toInt(name, n);
    }

    int optInt(String name, int fallback) throws IOException {
        JsonNode n = node(name);
        return n == null ? fallback : toInt(name, n);
    }

    private int toInt(String name, JsonNode n) throws IOException {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IOException(file + ": field " + name + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    double optDouble(String name, double fallback) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw new IOException(file + ": field " + name + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    boolean optBoolean(String name, boolean fallback) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new IOException(file + ": field " + name + " must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    String optText(String name, String fallback) throws IOException {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new IOException(file + ": field " + name + " must be a string, got " + n);
        }
        return n.asText();
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
                throw new IOException(file + ": field " + name + " is an empty list");
            }
        } else {
            out.add(toInt(name, n));
        }
        return out;
    }

    IOException invalid(String message) {
        return new IOException(file + ": " + message);
    }
}
