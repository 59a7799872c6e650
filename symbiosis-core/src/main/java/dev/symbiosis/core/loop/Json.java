package dev.symbiosis.core.loop;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The project's JSON settings: map keys sorted (files are byte-for-byte reproducible), non-finite numbers written
 * as the strings "NaN" / "Infinity" and read back.
 */
public final class Json {

    /** Thread-safe once configured, as Jackson's mappers are. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {}
}
