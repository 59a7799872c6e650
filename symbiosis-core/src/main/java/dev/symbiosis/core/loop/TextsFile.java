package dev.symbiosis.core.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.corpus.JsonLines;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSONL files of prompts and training texts (strategy state, synthetic data releases), written atomically and
 * read back with errors naming the file and line.
 */
public final class TextsFile {

    private TextsFile() {}

    /** One JSON object for a provenance: {@code source}, {@code iteration}, {@code attributes}. */
    public static ObjectNode provenanceJson(Provenance p) {
        ObjectNode o = Json.object();
        o.put("source", p.source());
        o.put("iteration", p.iteration());
        ObjectNode a = o.putObject("attributes");
        p.attributes().forEach(a::put);
        return o;
    }

    /**
     * The provenance of {@link #provenanceJson}'s object.
     *
     * @throws IOException naming the file and line when the object lacks its string source or int iteration
     */
    public static Provenance provenanceOf(JsonNode o, Path file, int line) throws IOException {
        JsonNode src = o.get("source");
        JsonNode it = o.get("iteration");
        if (src == null || !src.isTextual() || it == null || !it.canConvertToInt()) {
            throw new IOException(file + ":" + line + ": provenance needs a string 'source' and an int 'iteration'");
        }
        ImmutableSortedMap.Builder<String, String> attrs = ImmutableSortedMap.naturalOrder();
        JsonNode a = o.get("attributes");
        if (a != null) {
            for (Iterator<Map.Entry<String, JsonNode>> f = a.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> e = f.next();
                attrs.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Provenance(src.asText(), it.asInt(), attrs.build());
    }

    public static void writePrompts(Path file, List<Prompt> prompts) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Prompt p : prompts) {
            ObjectNode o = Json.object();
            o.put("text", p.text());
            o.set("provenance", provenanceJson(p.provenance()));
            lines.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(file, lines);
    }

    public static List<Prompt> readPrompts(Path file) throws IOException {
        List<Prompt> out = new ArrayList<>();
        readObjects(file, (o, line) -> out.add(new Prompt(text(o, file, line), provenanceOf(o.get("provenance"),
                file, line))));
        return out;
    }

    public static void writeTexts(Path file, List<TrainingText> texts) throws IOException {
        List<String> lines = new ArrayList<>();
        for (TrainingText t : texts) {
            ObjectNode o = Json.object();
            o.put("text", t.text());
            o.put("weight", t.weight());
            if (t.hasContext()) {
                o.put("context", t.context()); // left out without one, so older files and new ones read the same
            }
            o.set("provenance", provenanceJson(t.provenance()));
            lines.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(file, lines);
    }

    public static List<TrainingText> readTexts(Path file) throws IOException {
        List<TrainingText> out = new ArrayList<>();
        readObjects(file, (o, line) -> {
            JsonNode w = o.get("weight");
            if (w == null || !w.isNumber()) {
                throw new IOException(file + ":" + line + ": missing numeric field 'weight'");
            }
            JsonNode c = o.get("context");
            if (c != null && !c.isTextual()) {
                throw new IOException(file + ":" + line + ": field 'context' must be a string");
            }
            try {
                out.add(new TrainingText(text(o, file, line), w.asDouble(), provenanceOf(o.get("provenance"), file,
                        line), c == null ? "" : c.asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + line + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    /**
     * Writes samples, one object per line: {@code prompt} ({@code text}, {@code provenance}), {@code completion},
     * {@code new_tokens}, {@code provenance}. An empty list writes an empty file.
     */
    public static void writeSamples(Path file, List<Sample> samples) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Sample s : samples) {
            ObjectNode o = Json.object();
            ObjectNode prompt = o.putObject("prompt");
            prompt.put("text", s.prompt().text());
            prompt.set("provenance", provenanceJson(s.prompt().provenance()));
            o.put("completion", s.completion());
            o.put("new_tokens", s.newTokens());
            o.set("provenance", provenanceJson(s.provenance()));
            lines.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(file, lines);
    }

    /**
     * Reads {@link #writeSamples}'s file.
     *
     * @throws IOException naming the file and line of a missing or malformed field
     */
    public static List<Sample> readSamples(Path file) throws IOException {
        List<Sample> out = new ArrayList<>();
        readObjects(file, (o, line) -> {
            JsonNode prompt = o.get("prompt");
            JsonNode completion = o.get("completion");
            JsonNode tokens = o.get("new_tokens");
            if (prompt == null || !prompt.isObject() || completion == null || !completion.isTextual()
                    || tokens == null || !tokens.canConvertToInt() || o.get("provenance") == null) {
                throw new IOException(file + ":" + line + ": a sample needs an object 'prompt', a string "
                        + "'completion', an int 'new_tokens' and a 'provenance'");
            }
            try {
                Prompt p = new Prompt(text(prompt, file, line), provenanceOf(prompt.get("provenance"), file, line));
                out.add(new Sample(p, completion.asText(), tokens.asInt(), provenanceOf(o.get("provenance"), file,
                        line)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + line + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    private static String text(JsonNode o, Path file, int line) throws IOException {
        JsonNode t = o.get("text");
        if (t == null || !t.isTextual()) {
            throw new IOException(file + ":" + line + ": missing string field 'text'");
        }
        if (o.get("provenance") == null) {
            throw new IOException(file + ":" + line + ": missing field 'provenance'");
        }
        return t.asText();
    }

    interface ObjectConsumer {
        void accept(JsonNode o, int line) throws IOException;
    }

    static void readObjects(Path file, ObjectConsumer consumer) throws IOException {
        int line = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String s;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                consumer.accept(JsonLines.parseObject(s, file, line), line);
            }
        } catch (java.nio.charset.CharacterCodingException e) { // the decoder's message names neither
            throw new IOException(file + ": invalid UTF-8 at or after line " + (line + 1), e);
        }
    }
}
