package dev.symbiosis.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader of the Hugging Face formats written independently of the library's own readers (no
 * {@code dev.symbiosis.djl.io} class, no config class): safetensors from its specification (8-byte little-endian
 * header length, a JSON header of {@code name -> {dtype, shape, data_offsets}} and {@code __metadata__}, then the
 * data; F32, F16 and BF16 widened to double here) and JSON files as Jackson trees. Round-trip tests read what the
 * library wrote with it and compare key for key and value for value.
 */
final class HfFormatReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfFormatReader() {}

    /** One tensor: its dtype, shape and values. */
    record Tensor(String dtype, long[] shape, double[] values) {
        long count() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(Files.readAllBytes(file));
    }

    /** Every tensor of a safetensors file, in header order. */
    static Map<String, Tensor> safetensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        JsonNode header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        int base = 8 + (int) n;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            String dtype = t.get("dtype").asText();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            long start = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new IOException(file + ": dtype " + dtype + " not handled by the test reader");
            };
            long count = 1;
            for (long s : shape) {
                count *= s;
            }
            if (end - start != count * width) {
                throw new IOException(file + ": tensor " + e.getKey() + " has " + (end - start) + " bytes for "
                        + count + " values of " + dtype);
            }
            double[] v = new double[(int) count];
            for (int i = 0; i < v.length; i++) {
                int at = base + (int) start + i * width;
                v[i] = switch (dtype) {
                    case "F32" -> b.getFloat(at);
                    case "BF16" -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
                    default -> half(b.getShort(at) & 0xffff);
                };
            }
            out.put(e.getKey(), new Tensor(dtype, shape, v));
        }
        return out;
    }

    /** IEEE 754 binary16 to double. */
    static double half(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1f;
        int frac = h & 0x3ff;
        double v = exp == 0 ? Math.scalb((double) frac, -24)
                : exp == 31 ? (frac == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                        : Math.scalb(1024.0 + frac, exp - 25);
        return sign == 1 ? -v : v;
    }
}
