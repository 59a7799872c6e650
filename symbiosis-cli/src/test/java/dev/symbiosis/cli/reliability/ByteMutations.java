package dev.symbiosis.cli.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Byte-level and structural JSON mutations for fuzzing (the same as core's test {@code Fuzz}, which this module's
 * tests cannot see).
 */
final class ByteMutations {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ByteMutations() {}

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

}
