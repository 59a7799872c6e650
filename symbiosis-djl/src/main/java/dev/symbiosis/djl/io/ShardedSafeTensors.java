package dev.symbiosis.djl.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
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
import java.util.Set;
import java.util.TreeMap;

/**
 * The weights of a Hugging Face checkpoint directory, read tensor by tensor without loading whole files: either
 * {@code model.safetensors} or the shards {@code model-0000i-of-0000n.safetensors} listed by
 * {@code model.safetensors.index.json}. Only the headers are read when opening; a tensor's bytes are memory-mapped
 * in windows of at most {@link #WINDOW} bytes (a shard may exceed 2 GB, one {@code MappedByteBuffer} cannot) and
 * converted row block by row block into a caller-sized buffer, so peak Java memory is one block, not the file.
 *
 * <p>Stored dtypes: {@code F32}, {@code F16}, {@code BF16}, {@code F64}; delivered as {@code F32} or {@code F16}
 * ({@link Precision}). BF16 never leaves this class as BF16 (the PyTorch engine of DJL 0.36 aborts the JVM on
 * it). Narrowing to F16 rounds to nearest even and fails, naming the tensor, on a finite value beyond F16's range.
 *
 * <p>Every structural problem (missing shard, tensor in the index but not in its shard, offsets out of range or
 * overlapping, unknown dtype) is an {@link IOException} naming the file and the tensor. Not thread-safe; close to
 * release the file channels.
 */
public final class ShardedSafeTensors implements AutoCloseable {

    /** The stored dtypes delivered as weights; BOOL and U8 (mask buffers) are accepted in headers, never read. */
    static final java.util.List<String> FLOAT_TYPES = java.util.List.of("F32", "F16", "BF16", "F64");

    /** Name of the shard index. */
    public static final String INDEX = "model.safetensors.index.json";
    /** Name of an unsharded weight file. */
    public static final String SINGLE = "model.safetensors";
    /** Largest mapped window. */
    static final long WINDOW = 1L << 30;
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    /** The floating-point types tensors are delivered in. */
    public enum Precision {
        F32(4), F16(2);

        private final int bytes;

        Precision(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per value. */
        public int bytes() {
            return bytes;
        }
    }

    /** Where a tensor lives: its file, dtype, shape, absolute byte offset and byte length. */
    public record Entry(Path file, String dtype, long[] shape, long offset, long length) {
        /** Number of values. */
        public long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** Bytes per stored value. */
        public int width() {
            return width(dtype);
        }

        /** Whether the values are floating point (readable as weights). */
        public boolean isFloat() {
            return FLOAT_TYPES.contains(dtype);
        }

        static int width(String dtype) {
            return switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                case "F64" -> 8;
                case "BOOL", "U8" -> 1; // attention-mask buffers of older GPT-NeoX/GPT-2 checkpoints: skipped
                default -> -1;
            };
        }
    }

    private final Map<String, Entry> entries;
    private final Map<Path, FileChannel> channels = new LinkedHashMap<>();

    private ShardedSafeTensors(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Whether {@code dir} holds weights this class can open (an index or a single file). */
    public static boolean present(Path dir) {
        return Files.exists(dir.resolve(INDEX)) || Files.exists(dir.resolve(SINGLE));
    }

    /**
     * Opens the weights of a checkpoint directory: the index when present, else {@code model.safetensors}.
     *
     * @throws IOException naming the file when neither exists, or the index or a shard header is invalid
     */
    public static ShardedSafeTensors open(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        if (Files.exists(index)) {
            return openIndex(index);
        }
        Path single = dir.resolve(SINGLE);
        if (!Files.exists(single)) {
            IOException pickles = PickleFormats.missing(single, "not found", null);
            if (!pickles.getMessage().endsWith(": not found")) {
                throw pickles; // only pickle-based weights: say so
            }
            throw new NoSuchFileException(single.toString(), null, "no " + SINGLE + " and no " + INDEX + " in " + dir);
        }
        return new ShardedSafeTensors(readHeader(single));
    }

    /** Opens one safetensors file. */
    public static ShardedSafeTensors openFile(Path file) throws IOException {
        return new ShardedSafeTensors(readHeader(file));
    }

    /**
     * Opens the shards of {@code model.safetensors.index.json}: every tensor of its {@code weight_map} must be in
     * the shard the map names.
     */
    public static ShardedSafeTensors openIndex(Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(index));
        } catch (NoSuchFileException e) {
            throw new IOException(index + ": index file not found", e);
        } catch (IOException e) {
            throw new IOException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.size() == 0) {
            throw new IOException(index + ": needs a non-empty \"weight_map\" object of tensor name to shard file");
        }
        Map<String, Map<String, Entry>> shards = new TreeMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String shardName = e.getValue().asText("");
            if (!e.getValue().isTextual() || shardName.isEmpty() || shardName.contains("/")
                    || shardName.contains("\\") || shardName.equals("..")) {
                throw new IOException(index + ": weight_map[\"" + e.getKey() + "\"] must name a file in the same"
                        + " directory, got " + e.getValue());
            }
            Map<String, Entry> shard = shards.get(shardName);
            if (shard == null) {
                Path file;
                try {
                    file = index.resolveSibling(shardName);
                } catch (java.nio.file.InvalidPathException bad) { // e.g. a NUL character
                    throw new IOException(index + ": weight_map[\"" + e.getKey() + "\"] is not a file name: "
                            + bad.getMessage(), bad);
                }
                if (!Files.exists(file)) {
                    throw new IOException(index + ": tensor '" + e.getKey() + "' is in shard " + shardName
                            + ", which does not exist");
                }
                shard = readHeader(file);
                shards.put(shardName, shard);
            }
            Entry entry = shard.get(e.getKey());
            if (entry == null) {
                throw new IOException(index + ": tensor '" + e.getKey() + "' is mapped to " + shardName
                        + ", whose header does not hold it");
            }
            entries.put(e.getKey(), entry);
        }
        return new ShardedSafeTensors(entries);
    }

    /** Reads and validates the header of one file; tensors in header order. */
    static Map<String, Entry> readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            if (PickleFormats.isPickleName(file) || PickleFormats.looksLikePickle(lenBuf.array(), 8)) {
                throw PickleFormats.refusal(file);
            }
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER) {
                throw new IOException(file + ": invalid header length " + headerLen);
            }
            if (8 + headerLen > size) {
                throw new IOException(file + ": header of " + headerLen + " bytes runs past the end of the file ("
                        + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": header is not valid JSON: " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, Entry> out = new LinkedHashMap<>();
            List<long[]> ranges = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (name.equals("__metadata__")) {
                    continue;
                }
                JsonNode info = e.getValue();
                String where = file + ": tensor '" + name + "'";
                String dtype = info.path("dtype").asText("");
                int width = Entry.width(dtype);
                if (width < 0) {
                    throw new IOException(where + " has unknown or unsupported dtype " + info.path("dtype").asText()
                            + " (weights: F32, F16, BF16, F64; BOOL and U8 mask buffers are skipped)");
                }
                SafeTensors.Extent x = SafeTensors.extent(where, info, dtype, width, dataLen);
                long[] shape = x.shape();
                long begin = x.begin();
                long end = x.end();
                ranges.add(new long[] {begin, end});
                names.add(name);
                out.put(name, new Entry(file, dtype, shape, dataStart + begin, end - begin));
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
                    throw new IOException(file + ": tensor '" + names.get(order[i]) + "' overlaps tensor '"
                            + names.get(order[i - 1]) + "'");
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            throw PickleFormats.missing(file, "safetensors file not found", e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Tensor names, in index (or header) order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The entry of a tensor, or null. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    /** The files the tensors are in. */
    public Set<Path> files() {
        Set<Path> out = new java.util.LinkedHashSet<>();
        entries.values().forEach(e -> out.add(e.file()));
        return out;
    }

    /**
     * Converts values {@code [from, from + count)} of tensor {@code name} (row-major) into {@code out} (native
     * byte order, at its position, which advances by {@code count * precision.bytes()}).
     *
     * @throws IOException naming the file and tensor on a read error or an F16 overflow
     */
    public void read(String name, long from, long count, Precision precision, ByteBuffer out) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        if (from < 0 || count < 0 || from + count > e.count()) {
            throw new IllegalArgumentException("values [" + from + ", " + (from + count) + ") outside tensor '" + name
                    + "' of " + e.count());
        }
        if (!e.isFloat()) {
            throw new IOException(e.file() + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", not a floating-point weight (supported: " + FLOAT_TYPES + ")");
        }
        if (out.remaining() < count * precision.bytes()) {
            throw new IllegalArgumentException("buffer too small for " + count + " values");
        }
        FileChannel ch = channels.get(e.file());
        if (ch == null) {
            ch = FileChannel.open(e.file(), StandardOpenOption.READ);
            channels.put(e.file(), ch);
        }
        ByteBuffer dst = out.slice().order(ByteOrder.nativeOrder());
        int w = e.width();
        long done = 0;
        while (done < count) {
            long n = Math.min(count - done, WINDOW / w);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, e.offset() + (from + done) * w, n * w);
            map.order(ByteOrder.LITTLE_ENDIAN);
            convert(e, name, map, (int) n, precision, dst);
            done += n;
        }
        out.position(out.position() + (int) (count * precision.bytes()));
    }

    /** Every value of tensor {@code name} as floats (small tensors: Java heap). */
    public float[] readFloats(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        if (e.count() > Integer.MAX_VALUE / 4) {
            throw new IOException(e.file() + ": tensor '" + name + "' of " + e.count()
                    + " values is too large for a Java array");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) e.count() * 4).order(ByteOrder.nativeOrder());
        read(name, 0, e.count(), Precision.F32, buf);
        buf.flip();
        float[] out = new float[(int) e.count()];
        buf.asFloatBuffer().get(out);
        return out;
    }

    private static void convert(Entry e, String name, ByteBuffer src, int n, Precision p, ByteBuffer dst)
            throws IOException {
        for (int i = 0; i < n; i++) {
            float v;
            switch (e.dtype()) {
                case "F32" -> v = src.getFloat(4 * i);
                case "F16" -> {
                    if (p == Precision.F16) {
                        dst.putShort(src.getShort(2 * i));
                        continue;
                    }
                    v = SafeTensors.halfToFloat(src.getShort(2 * i) & 0xffff);
                }
                case "BF16" -> v = Float.intBitsToFloat((src.getShort(2 * i) & 0xffff) << 16);
                default -> v = (float) src.getDouble(8 * i);
            }
            if (p == Precision.F32) {
                dst.putFloat(v);
            } else {
                int h = floatToHalf(v);
                if ((h & 0x7c00) == 0x7c00 && Float.isFinite(v)) {
                    throw new IOException(e.file() + ": tensor '" + name + "' holds " + v
                            + ", outside the float16 range (|x| <= 65504); load it as float32");
                }
                dst.putShort((short) h);
            }
        }
    }

    /** IEEE 754 float to half-precision bits, rounding to nearest even (overflow gives infinity). */
    public static int floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return sign | 0x7c00 | (mant != 0 ? 0x200 : 0);
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return sign | 0x7c00;
        }
        if (e <= 0) {
            if (e < -10) {
                return sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return sign | half;
        }
        int half = (e << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent, up to infinity: correct rounding
        }
        return sign | half;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        channels.clear();
        if (first != null) {
            throw first;
        }
    }
}
