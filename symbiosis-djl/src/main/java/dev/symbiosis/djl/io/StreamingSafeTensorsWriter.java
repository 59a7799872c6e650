package dev.symbiosis.djl.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a safetensors file one tensor at a time, so a model larger than the Java heap can be saved: the header is
 * built from the shapes, then each tensor's little-endian bytes are asked for in name order and written. Atomic
 * (temporary file in the same directory, renamed into place).
 *
 * <p>Stateless and thread-safe.
 */
public final class StreamingSafeTensorsWriter {

    private StreamingSafeTensorsWriter() {}

    /** The bytes of one tensor, delivered in one or more blocks (a block holds at most 2 GB). */
    @FunctionalInterface
    public interface TensorBytes {
        /**
         * Passes the raw values of tensor {@code name} in little-endian order, {@code product(shape) * bytes} of
         * them in all, to {@code sink} block by block.
         */
        void write(String name, ByteSink sink) throws IOException;
    }

    /** Receives blocks of bytes. */
    @FunctionalInterface
    public interface ByteSink {
        /** Consumes the remaining bytes of {@code block}. */
        void accept(ByteBuffer block) throws IOException;
    }

    /**
     * Writes the tensors named by {@code shapes} (sorted by name) in {@code precision}.
     *
     * @throws IOException when a tensor's bytes do not match its shape, naming the tensor
     */
    public static void write(Path file, Map<String, long[]> shapes, ShardedSafeTensors.Precision precision,
            Map<String, String> metadata, TensorBytes source) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException("streaming safetensors writing needs a little-endian platform");
        }
        SortedMap<String, long[]> sorted = new TreeMap<>(shapes);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, long[]> e : sorted.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", precision.name());
            ArrayNode shape = t.putArray("shape");
            long n = 1;
            for (long d : e.getValue()) {
                shape.add(d);
                n *= d;
            }
            ArrayNode offs = t.putArray("data_offsets");
            offs.add(offset);
            offset += n * precision.bytes();
            offs.add(offset);
        }
        byte[] json = mapper.writeValueAsBytes(header);
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
                for (Map.Entry<String, long[]> e : sorted.entrySet()) {
                    long n = 1;
                    for (long d : e.getValue()) {
                        n *= d;
                    }
                    long[] written = {0};
                    source.write(e.getKey(), block -> {
                        written[0] += block.remaining();
                        writeFully(ch, block);
                    });
                    if (written[0] != n * precision.bytes()) {
                        throw new IOException(file + ": tensor '" + e.getKey() + "' gave " + written[0]
                                + " bytes, its shape " + Arrays.toString(e.getValue()) + " of " + precision
                                + " needs " + n * precision.bytes());
                    }
                }
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
}
