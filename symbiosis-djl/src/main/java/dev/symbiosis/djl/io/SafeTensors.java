package dev.symbiosis.djl.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reader and writer of Hugging Face's safetensors format, in plain
 * Java: an 8-byte little-endian header length, a JSON header mapping tensor names to
 * {@code {"dtype", "shape", "data_offsets"}}, then the raw little-endian data.
 *
 * <p>Reading accepts {@code F32}, {@code F16}, {@code BF16} and {@code F64} and widens or narrows every tensor to
 * {@code float} in Java (BF16 must never reach the PyTorch engine: it aborts the JVM). Every structural problem
 * (header past the end of the file, offsets out of range, overlapping or not matching the shape, unknown dtype)
 * is reported as an {@link IOException} naming the file and the tensor. Writing produces {@code F32} tensors with
 * names sorted, the header padded to a multiple of 8 bytes, through a temporary file renamed into place (atomic).
 *
 * <p>Stateless and thread-safe.
 */
public final class SafeTensors {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Refuse headers larger than this (the reference implementation uses 100 MB). */
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafeTensors() {}

    /**
     * A float tensor held in a Java array, row-major.
     *
     * @param shape dimensions, each {@code >= 0}; empty for a scalar
     * @param data {@code product(shape)} values
     */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
            }
        }

        /** Number of values. */
        public int size() {
            return data.length;
        }
    }

    /** A header entry's validated shape, number of values and byte range within the data section. */
    record Extent(long[] shape, long count, long begin, long end) {}

    /**
     * Validates a header entry's {@code shape} and {@code data_offsets} against the data section: non-negative
     * integral dimensions whose product fits a long, offsets inside {@code [0, dataLen]} and exactly
     * {@code count * width} bytes. Shared by the reader of one file and the streaming reader of shards.
     *
     * @param where the file and tensor, for messages
     */
    static Extent extent(String where, JsonNode info, String dtype, int width, long dataLen) throws IOException {
        JsonNode shapeNode = info.path("shape");
        JsonNode offs = info.path("data_offsets");
        if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
            throw new IOException(where + " needs a \"shape\" array and two \"data_offsets\"");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).isIntegralNumber() || !shapeNode.get(i).canConvertToLong()
                    || shapeNode.get(i).asLong() < 0) {
                throw new IOException(where + " has an invalid dimension " + shapeNode.get(i));
            }
            shape[i] = shapeNode.get(i).asLong();
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException overflow) { // e.g. [2^32, 2^32] would wrap to 0 values
                throw new IOException(where + " has shape " + shapeNode + " of more than 2^63 values");
            }
        }
        if (count > Long.MAX_VALUE / 8) {
            throw new IOException(where + " has shape " + shapeNode + " of too many values (" + count + ")");
        }
        long begin = offs.get(0).isIntegralNumber() ? offs.get(0).asLong(-1) : -1;
        long end = offs.get(1).isIntegralNumber() ? offs.get(1).asLong(-1) : -1;
        if (begin < 0 || end < begin || end > dataLen) {
            throw new IOException(where + " has data_offsets [" + begin + ", " + end
                    + ") outside the data section of " + dataLen + " bytes");
        }
        if (end - begin != count * width) {
            throw new IOException(where + " has " + (end - begin) + " bytes but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + count * width);
        }
        return new Extent(shape, count, begin, end);
    }

    /** The tensors of a file, in header order, and its {@code __metadata__} strings (possibly empty). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /**
     * Reads every tensor of a safetensors file as float arrays.
     *
     * @throws IOException naming the file (and tensor) when the file is missing, truncated or malformed
     */
    public static Contents read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw PickleFormats.missing(file, "safetensors file not found", e);
        }
        if (PickleFormats.isPickleName(file) || PickleFormats.looksLikePickle(all, all.length)) {
            throw PickleFormats.refusal(file);
        }
        if (all.length < 8) {
            throw new IOException(file + ": too short for a safetensors file (" + all.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER) {
            throw new IOException(file + ": invalid header length " + headerLen);
        }
        if (8 + headerLen > all.length) {
            throw new IOException(file + ": header of " + headerLen + " bytes runs past the end of the file ("
                    + all.length + " bytes)");
        }
        JsonNode header;
        try {
            header = MAPPER.readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException(file + ": header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode info = e.getValue();
            if (name.equals("__metadata__")) {
                info.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String where = file + ": tensor '" + name + "'";
            String dtype = info.path("dtype").asText(null);
            int width = switch (dtype == null ? "" : dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                case "F64" -> 8;
                default -> throw new IOException(where + " has unknown or unsupported dtype " + dtype
                        + " (supported: F32, F16, BF16, F64)");
            };
            Extent x = extent(where, info, dtype, width, dataLen);
            long[] shape = x.shape();
            long count = x.count();
            long begin = x.begin();
            long end = x.end();
            if (count > Integer.MAX_VALUE) {
                throw new IOException(where + " is too large (" + count + " values)");
            }
            ranges.add(new long[] {begin, end});
            rangeNames.add(name);
            float[] data = new float[(int) count];
            int base = (int) (dataStart + begin);
            switch (dtype) {
                case "F32" -> {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = buf.getFloat(base + 4 * i);
                    }
                }
                case "F16" -> {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = halfToFloat(buf.getShort(base + 2 * i) & 0xffff);
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = Float.intBitsToFloat((buf.getShort(base + 2 * i) & 0xffff) << 16);
                    }
                }
                default -> {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) buf.getDouble(base + 8 * i);
                    }
                }
            }
            tensors.put(name, new Tensor(shape, data));
        }
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ranges.get(a)[0], ranges.get(b)[0]));
        for (int i = 1; i < order.length; i++) {
            long[] prev = ranges.get(order[i - 1]);
            long[] cur = ranges.get(order[i]);
            if (cur[0] < prev[1] && cur[1] > cur[0]) {
                throw new IOException(file + ": tensor '" + rangeNames.get(order[i]) + "' overlaps tensor '"
                        + rangeNames.get(order[i - 1]) + "'");
            }
        }
        return new Contents(tensors, metadata);
    }

    /**
     * Writes the tensors as F32, names sorted, atomically (temporary file in the same directory, then rename).
     *
     * @param metadata {@code __metadata__} strings; may be empty
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        TreeMap<String, Tensor> sorted = new TreeMap<>(tensors);
        ObjectNode header = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            ArrayNode offs = t.putArray("data_offsets");
            offs.add(offset);
            offset += 4L * e.getValue().size();
            offs.add(offset);
        }
        byte[] json = MAPPER.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                head.flip();
                writeFully(ch, head);
                writeFully(ch, ByteBuffer.wrap(headerBytes));
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : sorted.values()) {
                    for (float v : t.data()) {
                        if (chunk.remaining() < 4) {
                            chunk.flip();
                            writeFully(ch, chunk);
                            chunk.clear();
                        }
                        chunk.putFloat(v);
                    }
                }
                chunk.flip();
                writeFully(ch, chunk);
                ch.force(true);
            }
            AtomicFiles.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** IEEE 754 half precision bits to float. */
    public static float halfToFloat(int h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f;
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            return Float.intBitsToFloat((sign << 31) | ((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }

    /** Writes bytes to a file atomically (temporary file + rename). */
    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(bytes);
            }
            AtomicFiles.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
