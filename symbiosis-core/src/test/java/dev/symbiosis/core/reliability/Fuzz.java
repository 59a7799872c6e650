package dev.symbiosis.core.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Fuzzing helpers for readers of untrusted files: arbitrary bytes, byte-level mutations of a valid file,
 * structural mutations of valid JSON (values of the wrong type or absurd size, fields dropped or added), and a
 * harness that runs a reader under a time limit and fails on anything but the documented exception type (an
 * {@link OutOfMemoryError} or a hang fails too).
 */
public final class Fuzz {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-runner");
        t.setDaemon(true);
        return t;
    });

    private Fuzz() {}

    /** A reader under test. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} within {@code limit}; returns normally if it returns or throws {@code documented} (or a
     * subclass), and throws an {@link AssertionError} (with the cause) otherwise: another exception, an error, or
     * running past the limit.
     */
    public static void returnsOrThrowsOnly(Class<? extends Throwable> documented, Duration limit, Body body) {
        Future<?> f = RUNNER.submit(() -> {
            body.run();
            return null;
        });
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("did not finish within " + limit + " (hang?)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (!documented.isInstance(c)) {
                throw new AssertionError("threw " + c + " instead of " + documented.getSimpleName(), c);
            }
            if (c.getMessage() == null || c.getMessage().isBlank()) {
                throw new AssertionError("a " + documented.getSimpleName() + " without a message", c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Arbitrary bytes, up to {@code maxSize}. */
    public static Arbitrary<byte[]> bytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    /** {@code valid} with 1 to 8 random byte-level mutations (seeded by jqwik). */
    public static Arbitrary<byte[]> mutationsOf(byte[] valid) {
        return Arbitraries.longs().map(seed -> mutate(valid, new Random(seed)));
    }

    /** Byte-level mutations: flip, overwrite, delete a range, insert random bytes, duplicate a range, truncate. */
    public static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 3 -> {
                    byte[] ins = new byte[1 + r.nextInt(16)];
                    r.nextBytes(ins);
                    byte[] c = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(ins, 0, c, at, ins.length);
                    System.arraycopy(b, at, c, at + ins.length, b.length - at);
                    b = c;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    /** {@code valid} JSON with 1 to 4 structural mutations (seeded by jqwik). */
    public static Arbitrary<JsonNode> jsonMutationsOf(JsonNode valid) {
        return Arbitraries.longs().map(seed -> mutateJson(valid, new Random(seed)));
    }

    /**
     * Structural mutations of a JSON tree: a value replaced by one of another type or of an absurd size, a field
     * removed, an unknown field added, an array emptied or grown.
     */
    public static JsonNode mutateJson(JsonNode valid, Random r) {
        JsonNode root = valid.deepCopy();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode c = containers.get(r.nextInt(containers.size()));
            if (c instanceof ObjectNode o) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                int op = r.nextInt(4);
                if (names.isEmpty() || op == 0) {
                    o.set("unknown" + r.nextInt(3), randomValue(r));
                } else if (op == 1) {
                    o.remove(names.get(r.nextInt(names.size())));
                } else {
                    o.set(names.get(r.nextInt(names.size())), randomValue(r));
                }
            } else if (c instanceof ArrayNode a) {
                int op = r.nextInt(3);
                if (a.isEmpty() || op == 0) {
                    a.add(randomValue(r));
                } else if (op == 1) {
                    a.set(r.nextInt(a.size()), randomValue(r));
                } else {
                    a.removeAll();
                }
            }
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    /** A JSON value of a random type, often at an edge: huge, negative, zero, empty, non-integral. */
    public static JsonNode randomValue(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.numberNode(0);
            case 3 -> F.numberNode(-1);
            case 4 -> F.numberNode(Integer.MAX_VALUE);
            case 5 -> F.numberNode(Long.MIN_VALUE);
            case 6 -> F.numberNode(1L << 62);
            case 7 -> F.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 8 -> F.numberNode(r.nextBoolean() ? 1e308 : -0.5);
            case 9 -> F.textNode("");
            case 10 -> F.textNode(r.nextBoolean() ? "../../etc/passwd" : "\u0000\uFFFD x");
            case 11 -> F.arrayNode();
            case 12 -> F.arrayNode().add(r.nextInt(5)).add(-r.nextInt(5));
            default -> F.objectNode().put("k", r.nextInt(3));
        };
    }

    /** The tree as UTF-8 JSON bytes. */
    public static byte[] toBytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses JSON text (test inputs that are known to be valid). */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A limit for one reader call; generous because CI machines are shared. */
    public static final Duration LIMIT = Duration.ofSeconds(10);
}
