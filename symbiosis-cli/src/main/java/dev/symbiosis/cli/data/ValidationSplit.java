package dev.symbiosis.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Carves a validation split out of a bundle split (the seed split, for the embedded default): per domain (the JSONL
 * {@code "source"} field), the {@code perDomain} documents with the smallest seeded key are held out; the rest stays
 * for training. The key of a document depends only on the seed and its id, so the carve does not depend on the
 * order of the file, and a document is in exactly one of the two parts.
 *
 * <p>Records keep their JSON as read; held-out records get {@code "split": "validation"}. Stateless and
 * thread-safe.
 */
public final class ValidationSplit {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The default seed of the carve (the bundle's seed 20260101 plus one). */
    public static final long DEFAULT_SEED = 20260102L;

    /**
     * The two parts.
     *
     * @param train records left for training, in input order
     * @param validation held-out records, in input order, each with {@code "split": "validation"}
     * @param perDomain held-out documents per domain, by domain (sorted)
     */
    public record Parts(List<ObjectNode> train, List<ObjectNode> validation, Map<String, Integer> perDomain) {
        public Parts {
            train = List.copyOf(train);
            validation = List.copyOf(validation);
            perDomain = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(perDomain));
        }
    }

    private ValidationSplit() {}

    /**
     * Reads JSON Lines (gzip if the name ends in {@code .gz}); every line must be an object with a non-blank string
     * {@code "id"} and {@code "source"}, ids unique.
     *
     * @throws IOException naming the file and line of a malformed record
     */
    public static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException(file + ": line " + n + " is not valid JSON: " + e.getMessage(), e);
                }
                if (!(node instanceof ObjectNode o)) {
                    throw new IOException(file + ": line " + n + " is not a JSON object");
                }
                for (String field : List.of("id", "source")) {
                    JsonNode v = o.get(field);
                    if (v == null || !v.isTextual() || v.asText().isBlank()) {
                        throw new IOException(file + ": line " + n + ": field '" + field
                                + "' must be a non-blank string, got " + v);
                    }
                }
                if (!ids.add(o.get("id").asText())) {
                    throw new IOException(file + ": line " + n + ": id '" + o.get("id").asText() + "' occurs twice");
                }
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Holds out {@code perDomain} documents of every domain.
     *
     * @param records documents with unique ids (see {@link #read}); not modified
     * @throws IllegalArgumentException if {@code perDomain < 1} or a domain has {@code perDomain} documents or fewer
     *     (training would lose the domain)
     */
    public static Parts carve(List<ObjectNode> records, int perDomain, long seed) {
        if (perDomain < 1) {
            throw new IllegalArgumentException("perDomain must be >= 1, got " + perDomain);
        }
        Map<String, List<String>> idsByDomain = new TreeMap<>();
        for (ObjectNode o : records) {
            idsByDomain.computeIfAbsent(o.get("source").asText(), k -> new ArrayList<>()).add(o.get("id").asText());
        }
        Set<String> heldOut = heldOutIds(idsByDomain, perDomain, seed);
        Map<String, Integer> counts = new TreeMap<>();
        idsByDomain.keySet().forEach(d -> counts.put(d, perDomain));
        List<ObjectNode> train = new ArrayList<>();
        List<ObjectNode> validation = new ArrayList<>();
        for (ObjectNode o : records) {
            if (heldOut.contains(o.get("id").asText())) {
                ObjectNode copy = o.deepCopy();
                copy.put("split", "validation");
                validation.add(copy);
            } else {
                train.add(o);
            }
        }
        return new Parts(train, validation, counts);
    }

    /**
     * The ids held out: per domain, the {@code perDomain} ids with the smallest {@link #key} (ties by id). The rule
     * of {@link #carve}, also applied by {@code prepare-data} to the bundle's seed split.
     *
     * @param idsByDomain document ids by domain; ids unique
     * @throws IllegalArgumentException if {@code perDomain < 1} or a domain has {@code perDomain} ids or fewer
     */
    public static Set<String> heldOutIds(Map<String, List<String>> idsByDomain, int perDomain, long seed) {
        if (perDomain < 1) {
            throw new IllegalArgumentException("perDomain must be >= 1, got " + perDomain);
        }
        Set<String> heldOut = new HashSet<>();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(idsByDomain).entrySet()) {
            List<String> ids = new ArrayList<>(e.getValue());
            if (ids.size() <= perDomain) {
                throw new IllegalArgumentException("domain '" + e.getKey() + "' has " + ids.size()
                        + " documents; holding out " + perDomain + " would leave none for training");
            }
            ids.sort(Comparator.comparingLong((String id) -> key(seed, id)).thenComparing(id -> id));
            heldOut.addAll(ids.subList(0, perDomain));
        }
        return heldOut;
    }

    /** Seeded pseudo-random key of an id: FNV-1a of its UTF-8 bytes, mixed with the seed by SplittableRandom. */
    static long key(long seed, String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(seed ^ h).nextLong();
    }

    /** The records as JSON Lines (one compact object per line, UTF-8). */
    public static byte[] jsonLines(List<ObjectNode> records) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode o : records) {
            sb.append(JSON.writeValueAsString(o)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
