package dev.symbiosis.core.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * Strict parsing of one JSON Lines record: exactly one JSON object per line, no trailing content, no duplicate
 * keys. String length is bounded only by the line limit of the {@link Utf8LineReader} (Jackson's own 20 M default
 * is lifted so that raising the line limit is enough).
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonLines {

    /** The mapper used for JSONL records; thread-safe, do not reconfigure. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonLines() {}

    /**
     * Parses {@code text} (line {@code line} of {@code file}) as one JSON object.
     *
     * @throws CorpusFormatException naming file, line and column for a syntax error, or file and line when the
     *     value is not an object
     */
    public static ObjectNode parseObject(String text, Path file, long line) throws CorpusFormatException {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int column = loc == null ? 0 : Math.max(0, loc.getColumnNr());
            throw new CorpusFormatException(file, line, column, "malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw CorpusFormatException.atLine(file, line, "expected a JSON object, got "
                    + describe(node == null ? null : node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    /** A readable name for a JSON value's type, for error messages: "a string", "an array", "null" ... */
    public static String describe(JsonNode node) {
        return node == null ? "nothing" : describe(node.getNodeType());
    }

    private static String describe(JsonNodeType t) {
        if (t == null || t == JsonNodeType.MISSING) {
            return "nothing";
        }
        return switch (t) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }
}
