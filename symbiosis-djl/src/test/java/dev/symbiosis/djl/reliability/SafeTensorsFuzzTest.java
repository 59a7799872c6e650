package dev.symbiosis.djl.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.reliability.Fuzz;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of both safetensors readers ({@link SafeTensors#read}, {@link ShardedSafeTensors}) and the shard index:
 * arbitrary bytes, byte mutations of a valid file, structural mutations of its JSON header (wrong dtype or shape,
 * offsets out of range or overlapping, absurd numbers), and arbitrary header-length fields (up to 2^63 - 1). The
 * readers return tensors whose shape matches their data, or throw an {@link IOException}; they never hang,
 * allocate what the header claims before checking it against the file, or throw anything else.
 */
class SafeTensorsFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Path dir;
    private static byte[] valid;
    private static JsonNode validHeader;
    private static byte[] validData;

    @BeforeContainer
    static void writeValidFile() throws IOException {
        dir = Files.createTempDirectory("safetensors-fuzz");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("b.bias", new Tensor(new long[] {4}, new float[] {-1, 0, 1, 2}));
        t.put("scalar", new Tensor(new long[] {}, new float[] {7}));
        t.put("empty", new Tensor(new long[] {0, 5}, new float[0]));
        Path f = dir.resolve("valid.safetensors");
        SafeTensors.write(f, t, Map.of("format", "pt"));
        valid = Files.readAllBytes(f);
        int headerLen = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        validHeader = MAPPER.readTree(new String(valid, 8, headerLen, StandardCharsets.UTF_8));
        validData = Arrays.copyOfRange(valid, 8 + headerLen, valid.length);
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        dev.symbiosis.core.loop.AtomicFiles.deleteTree(dir);
    }

    private static byte[] file(byte[] header, long declaredLength, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header).put(data);
        return b.array();
    }

    /** Both readers on {@code bytes}: tensors consistent with their shapes, or an IOException. */
    private static void readBoth(byte[] bytes) throws IOException {
        Path f = dir.resolve("fuzz.safetensors");
        Files.write(f, bytes);
        Fuzz.returnsOrThrowsOnly(IOException.class, Fuzz.LIMIT, () -> {
            for (Tensor t : SafeTensors.read(f).tensors().values()) {
                assertEquals(count(t.shape()), t.data().length, Arrays.toString(t.shape()));
            }
        });
        Fuzz.returnsOrThrowsOnly(IOException.class, Fuzz.LIMIT, () -> {
            try (ShardedSafeTensors s = ShardedSafeTensors.openFile(f)) {
                for (String name : s.names()) {
                    ShardedSafeTensors.Entry e = s.entry(name);
                    assertEquals(count(e.shape()) * e.width(), e.length(), name);
                    assertEquals(count(e.shape()), s.readFloats(name).length, name);
                }
            }
        });
    }

    /** The product of the dimensions; fails the property on overflow (a reader must have refused the shape). */
    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Fuzz.bytes(1024);
    }

    @Provide
    Arbitrary<byte[]> mutatedFile() {
        return Fuzz.mutationsOf(valid);
    }

    @Provide
    Arbitrary<JsonNode> mutatedHeader() {
        return Fuzz.jsonMutationsOf(validHeader);
    }

    @Provide
    Arbitrary<Long> headerLengths() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-16, 4096),
                Arbitraries.of(1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1));
    }

    @Property(tries = 300)
    void anyBytesAreReadOrRefused(@ForAll("anyBytes") byte[] bytes) throws IOException {
        readBoth(bytes);
    }

    @Property(tries = 300)
    void aMutatedFileIsReadOrRefused(@ForAll("mutatedFile") byte[] bytes) throws IOException {
        readBoth(bytes);
    }

    @Property(tries = 400)
    void aMutatedHeaderIsReadOrRefused(@ForAll("mutatedHeader") JsonNode header) throws IOException {
        byte[] h = Fuzz.toBytes(header);
        readBoth(file(h, h.length, validData));
    }

    @Property(tries = 200)
    void anyHeaderLengthIsCheckedBeforeAllocating(@ForAll("headerLengths") long declared) throws IOException {
        byte[] h = Fuzz.toBytes(validHeader);
        readBoth(file(h, declared, validData));
    }

    @Property(tries = 200)
    void aMutatedShardIndexIsReadOrRefused(@ForAll("mutatedIndex") JsonNode index) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("sharded"));
        Files.write(folder.resolve("model-00001-of-00001.safetensors"), valid);
        Path indexFile = folder.resolve(ShardedSafeTensors.INDEX);
        Files.write(indexFile, Fuzz.toBytes(index));
        Fuzz.returnsOrThrowsOnly(IOException.class, Fuzz.LIMIT, () -> {
            try (ShardedSafeTensors s = ShardedSafeTensors.open(folder)) {
                for (Path p : s.files()) {
                    assertEquals(folder.toAbsolutePath().normalize(), p.toAbsolutePath().normalize().getParent(),
                            "a shard outside the checkpoint folder: " + p);
                }
            }
        });
    }

    @Provide
    Arbitrary<JsonNode> mutatedIndex() {
        JsonNode index = Fuzz.parse("{\"metadata\": {\"total_size\": 40}, \"weight_map\": {\"a.weight\": "
                + "\"model-00001-of-00001.safetensors\", \"b.bias\": \"model-00001-of-00001.safetensors\"}}");
        return Fuzz.jsonMutationsOf(index);
    }

    /**
     * Every valid file is read, whatever its header length (a little-endian length such as 640 = 0x280 starts
     * with the bytes of a pickle opcode; the pickle refusal must not take it for one).
     */
    @Property(tries = 200)
    void validFilesOfAnyHeaderLengthAreRead(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3000)
            int metadataChars) throws IOException {
        Map<String, Tensor> t = Map.of("w", new Tensor(new long[] {2}, new float[] {1, 2}));
        Path f = dir.resolve("padded.safetensors");
        SafeTensors.write(f, t, Map.of("pad", "x".repeat(metadataChars)));
        assertEquals(2, SafeTensors.read(f).tensors().get("w").size());
        try (ShardedSafeTensors s = ShardedSafeTensors.openFile(f)) {
            assertEquals(2, s.readFloats("w").length);
        }
    }

    // ---- regression tests of what the fuzzing found, and the issue's named cases ----

    private static String header(String tensors) {
        return "{" + tensors + "}";
    }

    private static IOException refused(String headerJson, byte[] data) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve("case.safetensors");
        Files.write(f, file(h, h.length, data));
        IOException a = assertThrows(IOException.class, () -> SafeTensors.read(f));
        IOException b = assertThrows(IOException.class, () -> ShardedSafeTensors.openFile(f).close());
        assertTrue(a.getMessage().startsWith(f.toString()), a.getMessage());
        assertTrue(b.getMessage().startsWith(f.toString()), b.getMessage());
        return a;
    }

    @net.jqwik.api.Example
    void aShapeWhoseSizeOverflowsIsRefused() throws IOException {
        // 2^32 * 2^32 overflows a long to 0, which would match an empty data range
        IOException e = refused(header("\"x\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], "
                + "\"data_offsets\": [0, 0]}"), new byte[0]);
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @net.jqwik.api.Example
    void aShardNameThatIsNotAFileNameIsRefusedNamingTheIndex() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("nul-shard"));
        Path index = folder.resolve(ShardedSafeTensors.INDEX);
        for (String shard : new String[] {"a\u0000b.safetensors", "../model.safetensors", "sub/model.safetensors"}) {
            Files.write(index, Fuzz.toBytes(Fuzz.parse("{\"weight_map\": {\"w\": " + MAPPER.writeValueAsString(shard)
                    + "}}")));
            IOException e = assertThrows(IOException.class, () -> ShardedSafeTensors.open(folder).close(), shard);
            assertTrue(e.getMessage().startsWith(index.toString()), e.getMessage());
        }
    }

    @net.jqwik.api.Example
    void theIssuesNamedCasesAreRefusedNamingFileAndTensor() throws IOException {
        byte[] data = new byte[24];
        assertTrue(refused(header("\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 32]}"), data)
                .getMessage().contains("outside the data section"));
        assertTrue(refused(header("\"x\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}, "
                + "\"y\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]}"), data)
                .getMessage().contains("overlaps"));
        assertTrue(refused(header("\"x\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]}"), data)
                .getMessage().contains("dtype"));
        assertTrue(refused(header("\"x\": {\"dtype\": \"F32\", \"shape\": [5], \"data_offsets\": [0, 16]}"), data)
                .getMessage().contains("needs 20"));
        assertTrue(refused(header("\"x\": {\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 8]}"), data)
                .getMessage().contains("dimension"));
        Path f = dir.resolve("huge-header.safetensors");
        Files.write(f, file(new byte[] {'{', '}'}, 1L << 62, new byte[0]));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(f)).getMessage()
                .contains("invalid header length"));
    }
}
