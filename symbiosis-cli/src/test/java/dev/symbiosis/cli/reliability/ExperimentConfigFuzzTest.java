package dev.symbiosis.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.experiment.ExperimentConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the experiment configuration ({@link ExperimentConfig#read}): arbitrary bytes, byte mutations of a
 * preset's JSON and structural mutations (a value of the wrong type, null, absurd or negative sizes, unknown keys,
 * removed keys) give a validated configuration or an {@link IOException} whose message names the file, never
 * another exception or a hang. A configuration cannot name an output folder outside {@code runs/}.
 */
class ExperimentConfigFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "config-fuzz");
        t.setDaemon(true);
        return t;
    });
    private static Path dir;
    private static byte[] smoke;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("experiment-config-fuzz");
        smoke = ExperimentConfig.preset("smoke").toJson().getBytes(StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void tearDown() throws IOException {
        dev.symbiosis.core.loop.AtomicFiles.deleteTree(dir);
    }

    /** Reads {@code bytes} as a config file: a valid config or an IOException naming the file, within 10 s. */
    private static void read(byte[] bytes) throws Exception {
        Path f = dir.resolve("experiment.json");
        Files.write(f, bytes);
        Future<ExperimentConfig> r = RUNNER.submit(() -> ExperimentConfig.read(f));
        try {
            ExperimentConfig c = r.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            c.validate();
            assertEquals(c, ExperimentConfig.read(writeBack(c)), "a valid config round-trips");
        } catch (TimeoutException e) {
            r.cancel(true);
            throw new AssertionError("reading did not finish in 10 s");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof IOException io)) {
                throw new AssertionError("threw " + e.getCause() + " instead of IOException", e.getCause());
            }
            assertTrue(io.getMessage().startsWith(f.toString()), io.getMessage());
        }
    }

    private static Path writeBack(ExperimentConfig c) throws IOException {
        Path f = dir.resolve("round-trip.json");
        Files.writeString(f, c.toJson());
        return f;
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(1024);
    }

    @Provide
    Arbitrary<byte[]> mutatedBytes() {
        return Arbitraries.longs().map(seed -> dev.symbiosis.cli.reliability.ByteMutations.mutate(smoke,
                new Random(seed)));
    }

    @Provide
    Arbitrary<JsonNode> mutatedJson() {
        return Arbitraries.longs().map(seed -> {
            try {
                return dev.symbiosis.cli.reliability.ByteMutations.mutateJson(MAPPER.readTree(smoke),
                        new Random(seed));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Property(tries = 200)
    void anyBytesGiveAConfigOrAnIoException(@ForAll("anyBytes") byte[] bytes) throws Exception {
        read(bytes);
    }

    @Property(tries = 300)
    void mutatedBytesGiveAConfigOrAnIoException(@ForAll("mutatedBytes") byte[] bytes) throws Exception {
        read(bytes);
    }

    @Property(tries = 600)
    void wrongTypesNullsAbsurdSizesAndUnknownKeysGiveAConfigOrAnIoException(@ForAll("mutatedJson") JsonNode json)
            throws Exception {
        read(MAPPER.writeValueAsBytes(json));
    }

    @net.jqwik.api.Example
    void nullSamplingANullStrategyOrANullMinerSignalIsRefusedNamingTheField() throws IOException {
        ObjectNode c = (ObjectNode) MAPPER.readTree(smoke);
        c.putNull("sampling");
        Path f = dir.resolve("null-sampling.json");
        Files.write(f, MAPPER.writeValueAsBytes(c));
        assertTrue(assertThrows(IOException.class, () -> ExperimentConfig.read(f)).getMessage()
                .contains("sampling"));
        c = (ObjectNode) MAPPER.readTree(smoke);
        c.putArray("strategies").add("symbiosis").addNull();
        Files.write(f, MAPPER.writeValueAsBytes(c));
        String message = assertThrows(IOException.class, () -> ExperimentConfig.read(f)).getMessage();
        assertTrue(message.contains("strategies"), message);
        // Found by the fuzzing above (1 mutation in ~70,000): a null signal reached Set.contains and threw NPE.
        c = (ObjectNode) MAPPER.readTree(smoke);
        ((ObjectNode) c.get("miner")).putNull("signal");
        Files.write(f, MAPPER.writeValueAsBytes(c));
        message = assertThrows(IOException.class, () -> ExperimentConfig.read(f)).getMessage();
        assertTrue(message.startsWith(f.toString()) && message.contains("miner.signal"), message);
    }

    /** Found by the fuzzing above: bytes that Jackson takes for UTF-32 threw its own message, naming no file. */
    @net.jqwik.api.Example
    void bytesThatLookLikeUtf32AreRefusedNamingTheFile() throws IOException {
        Path f = dir.resolve("utf-32.json");
        for (byte[] start : new byte[][] {{0, 0, (byte) 0xFF, (byte) 0xFE}, {0, 0x7B, 0, 0}}) {
            byte[] bytes = java.util.Arrays.copyOf(start, 16);
            Files.write(f, bytes);
            String message = assertThrows(IOException.class, () -> ExperimentConfig.read(f)).getMessage();
            assertTrue(message.startsWith(f.toString()), message);
        }
    }

    @net.jqwik.api.Example
    void aPresetNameCannotLeaveTheRunsFolder() throws IOException {
        for (String name : new String[] {"../../etc", "/tmp/elsewhere", "a/b", "..", ""}) {
            ObjectNode c = (ObjectNode) MAPPER.readTree(smoke);
            c.put("preset", name);
            Path f = dir.resolve("escape.json");
            Files.write(f, MAPPER.writeValueAsBytes(c));
            IOException e = assertThrows(IOException.class, () -> ExperimentConfig.read(f), name);
            assertTrue(e.getMessage().contains("preset"), e.getMessage());
        }
    }
}
