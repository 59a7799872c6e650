package dev.symbiosis.djl.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;

/**
 * Trains a byte-level BPE tokenizer the way GPT-2's was trained (Sennrich et al. 2016; Radford et al. 2019) and
 * writes it as a Hugging Face {@code tokenizer.json} that {@link BpeTokenizer} (DJL's HuggingFaceTokenizer) and
 * Python's {@code tokenizers} load.
 *
 * <p>Texts are pre-tokenized with GPT-2's pattern, each piece mapped to its UTF-8 bytes (GPT-2's printable byte
 * alphabet), and the most frequent adjacent pair is merged until the vocabulary holds {@code vocabSize} entries:
 * 256 byte symbols, the merges, then the special tokens. Ties between equally frequent pairs go to the pair whose
 * merged string sorts first, so the same corpus always gives the same file. Pair counts are updated incrementally
 * (only the words that contain the merged pair are touched) and the best pair is found with a lazily invalidated
 * priority queue.
 *
 * <p>Not thread-safe; a trainer is used once.
 */
public final class BpeTrainer {

    /** End-of-text, also used as beginning-of-sequence in config.json. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** Padding. */
    public static final String PAD = "<|pad|>";

    private final int vocabSize;
    private int minFrequency = 2;
    private List<String> specialTokens = List.of(END_OF_TEXT, PAD);
    private long maxInputChars = Long.MAX_VALUE;
    private LongConsumer progress = n -> {};

    /** @param vocabSize total vocabulary size including the 256 byte symbols and the special tokens */
    public BpeTrainer(int vocabSize) {
        this.vocabSize = vocabSize;
    }

    /** Pairs seen fewer times are never merged (training may then stop below vocabSize). Default 2. */
    public BpeTrainer optMinFrequency(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("minFrequency must be >= 1, got " + value);
        }
        this.minFrequency = value;
        return this;
    }

    /** Special tokens, appended after the merges. Default {@code <|endoftext|>}, {@code <|pad|>}. */
    public BpeTrainer optSpecialTokens(List<String> value) {
        this.specialTokens = List.copyOf(value);
        return this;
    }

    /** Stop reading input after this many characters. Default unlimited. */
    public BpeTrainer optMaxInputChars(long value) {
        this.maxInputChars = value;
        return this;
    }

    /** Receives the number of merges done, now and then. Default none. */
    public BpeTrainer optProgress(LongConsumer value) {
        this.progress = value;
        return this;
    }

    /** The learned tokenizer: vocabulary in id order and merges in rank order. */
    public record Result(List<String> vocab, List<String[]> merges, List<String> specials) {}

    /** Learns merges from the texts. */
    public Result train(Iterable<String> texts) {
        if (vocabSize < 256 + specialTokens.size() + 1) {
            throw new IllegalArgumentException("vocabSize must be > 256 + number of special tokens, got "
                    + vocabSize);
        }
        // 1. word frequencies (TreeMap: deterministic word order)
        Map<String, Integer> freq = new HashMap<>();
        long chars = 0;
        for (String t : texts) {
            if (chars >= maxInputChars) {
                break;
            }
            chars += t.length();
            Matcher m = ByteLevel.PRE_TOKENIZE.matcher(t);
            while (m.find()) {
                freq.merge(ByteLevel.encode(m.group()), 1, Integer::sum);
            }
        }
        TreeMap<String, Integer> words = new TreeMap<>(freq);

        // 2. symbols: the 256 byte characters, in byte order
        List<String> vocab = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
            ids.put(s, vocab.size());
            vocab.add(s);
        }
        int n = words.size();
        int[][] seqs = new int[n][];
        int[] counts = new int[n];
        int w = 0;
        for (Map.Entry<String, Integer> e : words.entrySet()) {
            String word = e.getKey();
            seqs[w] = new int[word.length()];
            for (int i = 0; i < word.length(); i++) {
                seqs[w][i] = ids.get(String.valueOf(word.charAt(i)));
            }
            counts[w++] = e.getValue();
        }

        // 3. pair counts and where each pair occurs
        Map<Long, Long> pairCount = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < n; i++) {
            addPairs(seqs[i], counts[i], i, pairCount, where);
        }
        PriorityQueue<Entry> queue = new PriorityQueue<>();
        for (Map.Entry<Long, Long> e : pairCount.entrySet()) {
            queue.add(new Entry(e.getKey(), e.getValue(), merged(vocab, e.getKey())));
        }

        List<String[]> merges = new ArrayList<>();
        int target = vocabSize - specialTokens.size();
        while (vocab.size() < target && !queue.isEmpty()) {
            Entry top = queue.poll();
            Long current = pairCount.get(top.pair);
            if (current == null || current != top.count) {
                continue; // stale entry
            }
            if (top.count < minFrequency) {
                break;
            }
            int a = (int) (top.pair >>> 32);
            int b = (int) top.pair;
            // two different pairs can spell the same token: it keeps its first id
            Integer existing = ids.get(top.merged);
            int newId = existing != null ? existing : vocab.size();
            if (existing == null) {
                ids.put(top.merged, newId);
                vocab.add(top.merged);
            }
            merges.add(new String[] {vocab.get(a), vocab.get(b)});
            Set<Integer> affected = where.remove(top.pair);
            pairCount.remove(top.pair);
            Set<Long> touched = new HashSet<>();
            for (int wi : affected == null ? Set.<Integer>of() : affected) {
                removePairs(seqs[wi], counts[wi], wi, pairCount, where, touched);
                seqs[wi] = replace(seqs[wi], a, b, newId);
                addPairs(seqs[wi], counts[wi], wi, pairCount, where);
                collectPairs(seqs[wi], touched);
            }
            for (long p : touched) {
                Long c = pairCount.get(p);
                if (c != null && c > 0) {
                    queue.add(new Entry(p, c, merged(vocab, p)));
                }
            }
            if (merges.size() % 256 == 0) {
                progress.accept(merges.size());
            }
        }
        List<String> full = new ArrayList<>(vocab);
        full.addAll(specialTokens);
        return new Result(full, merges, specialTokens);
    }

    /** Trains and writes tokenizer.json atomically. */
    public Result trainAndWrite(Iterable<String> texts, Path tokenizerJson) throws IOException {
        Result r = train(texts);
        write(r, tokenizerJson);
        return r;
    }

    /** Writes a result as a Hugging Face tokenizer.json (atomic). */
    public static void write(Result r, Path tokenizerJson) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        int firstSpecial = r.vocab().size() - r.specials().size();
        for (int i = 0; i < r.specials().size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", firstSpecial + i);
            t.put("content", r.specials().get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "ByteLevel");
        post.put("add_prefix_space", true);
        post.put("trim_offsets", false);
        post.put("use_regex", true);
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", true);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        // vocab in id order (a LinkedHashMap-like ObjectNode keeps insertion order)
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < firstSpecial; i++) {
            vocab.put(r.vocab().get(i), i);
        }
        ArrayNode merges = model.putArray("merges");
        for (String[] m : r.merges()) {
            merges.add(m[0] + " " + m[1]);
        }
        byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                .getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(tokenizerJson, bytes);
    }

    private static String merged(List<String> vocab, long pair) {
        return vocab.get((int) (pair >>> 32)) + vocab.get((int) pair);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static void addPairs(int[] s, int count, int wi, Map<Long, Long> pc, Map<Long, Set<Integer>> where) {
        for (int i = 0; i + 1 < s.length; i++) {
            long k = key(s[i], s[i + 1]);
            pc.merge(k, (long) count, Long::sum);
            where.computeIfAbsent(k, x -> new HashSet<>()).add(wi);
        }
    }

    private static void removePairs(int[] s, int count, int wi, Map<Long, Long> pc, Map<Long, Set<Integer>> where,
            Set<Long> touched) {
        for (int i = 0; i + 1 < s.length; i++) {
            long k = key(s[i], s[i + 1]);
            Long c = pc.get(k);
            if (c != null) {
                long left = c - count;
                if (left <= 0) {
                    pc.remove(k);
                } else {
                    pc.put(k, left);
                }
            }
            Set<Integer> ws = where.get(k);
            if (ws != null) {
                ws.remove(wi);
                if (ws.isEmpty()) {
                    where.remove(k);
                }
            }
            touched.add(k);
        }
    }

    private static void collectPairs(int[] s, Set<Long> touched) {
        for (int i = 0; i + 1 < s.length; i++) {
            touched.add(key(s[i], s[i + 1]));
        }
    }

    private static int[] replace(int[] s, int a, int b, int merged) {
        int[] out = new int[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = s[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Queue entry: most frequent first, then the merged string that sorts first. */
    private record Entry(long pair, long count, String merged) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(o.count, count);
            return c != 0 ? c : merged.compareTo(o.merged);
        }
    }
}
