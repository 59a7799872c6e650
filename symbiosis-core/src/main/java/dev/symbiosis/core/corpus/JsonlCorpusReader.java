package dev.symbiosis.core.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a JSON Lines corpus: one JSON object per line, UTF-8, decompressed when the file name ends with
 * {@code .gz}. Blank lines are skipped.
 *
 * <p><b>Fields of a record.</b>
 * <ul>
 *   <li>the text field ({@link Options#textField()}, default {@code "text"}): required, a string; an empty or
 *       whitespace-only text is an error or skipped ({@link Options#emptyText()});</li>
 *   <li>{@code "id"}: a non-blank string or an integer, becomes {@link Document#id()}; when absent or null the id
 *       is {@code "<file name>:<line>"}. Uniqueness is not checked (that would need memory proportional to the
 *       corpus);</li>
 *   <li>{@code "source"}: a non-blank string, becomes {@link Provenance#source()}; when absent or null the source
 *       is {@link Options#source()} if set, else the file name (e.g. {@code "austen.jsonl.gz"});</li>
 *   <li>{@code "iteration"}: when an integer {@code >= -1} it becomes {@link Provenance#iteration()} (as written by
 *       {@link JsonlCorpusWriter}); otherwise it is kept as an attribute; absent means
 *       {@link Provenance#BEFORE_LOOP};</li>
 *   <li>every other field becomes a provenance attribute: strings as they are, numbers and booleans as their JSON
 *       text ({@code 3}, {@code 2.5}, {@code true}), arrays and objects as compact JSON; null fields are dropped.</li>
 * </ul>
 *
 * <p><b>Errors</b> ({@link CorpusFormatException}, wrapped in {@link java.io.UncheckedIOException} during
 * iteration): malformed JSON (file, line, column), a line that is not an object, trailing content or duplicate keys,
 * a missing or non-string text field, an empty text (unless skipped), a mistyped id or source, invalid UTF-8, a line
 * longer than {@link Options#maxLineChars()} (default {@value Utf8LineReader#DEFAULT_MAX_LINE_CHARS} chars), corrupt
 * gzip data, and a file with no bytes or only blank lines (naming the file). A missing file fails when the reader
 * is opened ({@link NoSuchFileException}).
 *
 * <p>Not thread-safe (see {@link CorpusReader}).
 */
public final class JsonlCorpusReader extends AbstractCorpusReader {

    /** The field names that are not turned into attributes (besides the text field). */
    static final String ID = "id";
    static final String SOURCE = "source";
    static final String ITERATION = "iteration";

    private final Path file;
    private final Options options;

    private JsonlCorpusReader(Path file, Options options) {
        this.file = file;
        this.options = options;
    }

    /** Opens {@code file} with the default options. */
    public static JsonlCorpusReader open(Path file) throws IOException {
        return open(file, Options.defaults());
    }

    /**
     * Opens {@code file}; nothing is read until a pass starts.
     *
     * @throws NoSuchFileException if the file does not exist
     * @throws CorpusFormatException if it is a folder
     */
    public static JsonlCorpusReader open(Path file, Options options) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "JSONL corpus not found");
        }
        if (!Files.isRegularFile(file)) {
            throw CorpusFormatException.ofFile(file, "not a regular file (a JSONL corpus must be one file)");
        }
        return new JsonlCorpusReader(file, options);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The options in force. */
    public Options options() {
        return options;
    }

    @Override
    protected Pass openPass() throws IOException {
        Utf8LineReader lines = Utf8LineReader.open(file, options.maxLineChars());
        String fileName = String.valueOf(file.getFileName());
        String defaultSource = options.source() != null ? options.source() : fileName;
        return new Pass() {
            private boolean sawRecord;

            @Override
            public Document next() throws IOException {
                String s;
                while ((s = lines.readLine()) != null) {
                    if (s.isBlank()) {
                        continue;
                    }
                    sawRecord = true;
                    Document d = toDocument(JsonLines.parseObject(s, file, lines.lineNumber()), lines.lineNumber(),
                            fileName, defaultSource);
                    if (d != null) {
                        return d;
                    }
                }
                if (!sawRecord) {
                    throw CorpusFormatException.ofFile(file, lines.lineNumber() == 0
                            ? "file is empty" : "file has no records (only blank lines)");
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    private Document toDocument(ObjectNode o, long line, String fileName, String defaultSource)
            throws CorpusFormatException {
        String textField = options.textField();
        JsonNode t = o.get(textField);
        if (t == null || t.isNull()) {
            throw CorpusFormatException.atLine(file, line, "missing text field '" + textField + "'");
        }
        if (!t.isTextual()) {
            throw CorpusFormatException.atLine(file, line, "field '" + textField + "' must be a string, got "
                    + JsonLines.describe(t));
        }
        String text = t.textValue();
        if (text.isBlank()) {
            if (options.emptyText() == EmptyTextPolicy.SKIP) {
                return null;
            }
            throw CorpusFormatException.atLine(file, line, "field '" + textField + "' is empty"
                    + (text.isEmpty() ? "" : " (only whitespace)")
                    + " (use EmptyTextPolicy.SKIP to leave such records out)");
        }
        String id = fileName + ":" + line;
        JsonNode idNode = o.get(ID);
        if (idNode != null && !idNode.isNull() && !ID.equals(textField)) {
            if (idNode.isTextual() && !idNode.textValue().isBlank()) {
                id = idNode.textValue();
            } else if (idNode.isIntegralNumber()) {
                id = idNode.asText();
            } else {
                throw CorpusFormatException.atLine(file, line, "field 'id' must be a non-blank string or an integer, got "
                        + (idNode.isTextual() ? "a blank string" : JsonLines.describe(idNode)));
            }
        }
        String source = defaultSource;
        JsonNode srcNode = o.get(SOURCE);
        if (srcNode != null && !srcNode.isNull() && !SOURCE.equals(textField)) {
            if (!srcNode.isTextual() || srcNode.textValue().isBlank()) {
                throw CorpusFormatException.atLine(file, line, "field 'source' must be a non-blank string, got "
                        + (srcNode.isTextual() ? "a blank string" : JsonLines.describe(srcNode)));
            }
            source = srcNode.textValue();
        }
        int iteration = Provenance.BEFORE_LOOP;
        ImmutableSortedMap.Builder<String, String> attrs = ImmutableSortedMap.naturalOrder();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (k.equals(textField) || k.equals(ID) || k.equals(SOURCE) || v.isNull()) {
                continue;
            }
            if (k.equals(ITERATION) && v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= -1) {
                iteration = v.intValue();
                continue;
            }
            attrs.put(k, v.isValueNode() ? v.asText() : v.toString());
        }
        return new Document(id, text, new Provenance(source, iteration, attrs.build()));
    }

    /**
     * Options of a JSONL reader. Immutable.
     *
     * @param textField name of the field holding the text, non-blank (default {@code "text"})
     * @param emptyText what to do with an empty or whitespace-only text (default {@link EmptyTextPolicy#ERROR})
     * @param maxLineChars longest line accepted, in UTF-16 chars (default
     *     {@value Utf8LineReader#DEFAULT_MAX_LINE_CHARS}); a longer line fails cleanly instead of exhausting memory
     * @param source provenance source for records without a {@code "source"} field, or {@code null} for the file name
     */
    public record Options(String textField, EmptyTextPolicy emptyText, int maxLineChars, String source) {

        public Options {
            Objects.requireNonNull(textField, "textField");
            Objects.requireNonNull(emptyText, "emptyText");
            if (textField.isBlank()) {
                throw new IllegalArgumentException("textField must not be blank");
            }
            if (maxLineChars < 1) {
                throw new IllegalArgumentException("maxLineChars must be >= 1, got " + maxLineChars);
            }
            if (source != null && source.isBlank()) {
                throw new IllegalArgumentException("source must be null or non-blank");
            }
        }

        /** Text field {@code "text"}, empty texts are errors, 16 Mi chars per line, source = file name. */
        public static Options defaults() {
            return new Options("text", EmptyTextPolicy.ERROR, Utf8LineReader.DEFAULT_MAX_LINE_CHARS, null);
        }

        public Options withTextField(String field) {
            return new Options(field, emptyText, maxLineChars, source);
        }

        public Options withEmptyText(EmptyTextPolicy policy) {
            return new Options(textField, policy, maxLineChars, source);
        }

        public Options withMaxLineChars(int max) {
            return new Options(textField, emptyText, max, source);
        }

        public Options withSource(String defaultSource) {
            return new Options(textField, emptyText, maxLineChars, defaultSource);
        }
    }
}
