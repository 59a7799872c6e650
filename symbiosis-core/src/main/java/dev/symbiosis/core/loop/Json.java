package dev.symbiosis.core.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.jspecify.annotations.NullMarked;

/**
 * The project's JSON settings: map keys sorted (files are byte-for-byte reproducible), non-finite numbers written
 * as the strings "NaN" / "Infinity" and read back.
 *
 * <p>Handed out only as immutable, thread-safe {@link ObjectReader}s and {@link ObjectWriter}s (and fresh trees),
 * so no caller can reconfigure the settings every file of the project is written with.
 */
@NullMarked
public final class Json {

    /** Configured once, never exposed: Jackson's mappers can be reconfigured by anyone who holds them. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {}

    /** Reads with the project's settings. Immutable and thread-safe. */
    public static ObjectReader reader() {
        return READER;
    }

    /** Writes one line (no indentation) with the project's settings. Immutable and thread-safe. */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** Writes indented JSON (files people read) with the project's settings. Immutable and thread-safe. */
    public static ObjectWriter prettyWriter() {
        return PRETTY;
    }

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A JSON tree of a value (records, maps, lists) as the writers would write it; objects give an ObjectNode. */
    public static <T extends JsonNode> T tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * A value of {@code type} from a JSON tree.
     *
     * @throws JsonProcessingException if the tree does not bind to the type
     */
    public static <T> T value(JsonNode tree, Class<T> type) throws JsonProcessingException {
        return MAPPER.treeToValue(tree, type);
    }

    /**
     * A JSON tree from text.
     *
     * @throws IOException if the text is not JSON
     */
    public static JsonNode parse(String json) throws IOException {
        return READER.readTree(json);
    }
}
