package dev.symbiosis.djl.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a GPT-2-style byte-level BPE vocabulary and writes it as a Hugging Face {@code tokenizer.json}.
 *
 * <p>Texts are split around the special tokens, pre-tokenized with GPT-2's regex ({@link ByteLevel#PRE_TOKENIZER})
 * and counted as words; each word starts as its UTF-8 bytes (one symbol per byte, ids 0..255 in GPT-2's byte
 * order). Each step merges the most frequent adjacent pair of symbols, weighted by word frequency, into a new
 * symbol. Ties are broken by the smaller left symbol id, then the smaller right symbol id, so the result depends
 * on the corpus only, never on iteration order. Pair counts are updated incrementally: a merge touches only the
 * words that contain the pair (an inverted index), and a lazily-validated priority queue yields the next pair.
 *
 * <p>Layout of the vocabulary: ids 0..255 are the bytes, then one id per merge in merge order (a merge whose
 * string already exists reuses that id, as Hugging Face's trainer does), then the special tokens in the given
 * order. With the defaults, {@code <|endoftext|>} (end of text, also used as beginning of text) is id
 * {@code size-2} and {@code <|pad|>} id {@code size-1}.
 *
 * <pre>{@code
 * BpeVocabulary vocab = new BpeTrainer(4096).optMinFrequency(2).train(texts);
 * vocab.write(Path.of("tokenizer.json"));
 * }</pre>
 *
 * <p>Instances are not thread-safe; {@link #train} may be called several times.
 */
public final class BpeTrainer {

    /** End-of-text token; the project also uses it as beginning-of-text. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** Padding token. */
    public static final String PAD = "<|pad|>";
    /** Default of {@link #optMinFrequency}. */
    public static final int DEFAULT_MIN_FREQUENCY = 2;
    /** Default of {@link #optMaxInputChars}: 100 million chars (about 100 MB of English text). */
    public static final long DEFAULT_MAX_INPUT_CHARS = 100_000_000L;
    /** Default of {@link #optSpecialTokens}. */
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of(END_OF_TEXT, PAD);

    /** Receives progress: a phase name, units done and the total ({@code -1} when unknown). */
    @FunctionalInterface
    public interface ProgressListener {
        /** A listener that ignores everything. */
        ProgressListener NONE = (phase, done, total) -> {};

        /**
         * Called from the training thread.
         *
         * @param phase {@code "read"} (done = chars read so far) or {@code "merge"} (done = merges so far, total =
         *     the most merges that can be made)
         */
        void onProgress(String phase, long done, long total);
    }

    private final int vocabSize;
    private int minFrequency = DEFAULT_MIN_FREQUENCY;
    private List<String> specialTokens = DEFAULT_SPECIAL_TOKENS;
    private long maxInputChars = DEFAULT_MAX_INPUT_CHARS;
    private ProgressListener progress = ProgressListener.NONE;

    /**
     * @param vocabSize the size of the vocabulary to reach, counting the 256 byte tokens and the special tokens;
     *     training stops earlier when no pair reaches the minimum frequency
     */
    public BpeTrainer(int vocabSize) {
        if (vocabSize < ByteLevel.ALPHABET_SIZE) {
            throw new IllegalArgumentException("vocabSize must be at least 256 (one token per byte), got "
                    + vocabSize);
        }
        this.vocabSize = vocabSize;
    }

    /**
     * A pair is merged only if it occurs at least this many times (weighted by word frequency). Default
     * {@value #DEFAULT_MIN_FREQUENCY}.
     */
    public BpeTrainer optMinFrequency(int minFrequency) {
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
        }
        this.minFrequency = minFrequency;
        return this;
    }

    /**
     * Special tokens, in id order, placed after the learned tokens; never split, never merged, and cut out of the
     * training texts. Default {@code [<|endoftext|>, <|pad|>]}.
     */
    public BpeTrainer optSpecialTokens(List<String> specialTokens) {
        List<String> copy = List.copyOf(specialTokens);
        if (new LinkedHashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("duplicate special tokens: " + copy);
        }
        for (String s : copy) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty special token");
            }
        }
        this.specialTokens = copy;
        return this;
    }

    /**
     * Reads at most this many chars (UTF-16 units) of the texts; the rest is ignored. Default 100 million.
     */
    public BpeTrainer optMaxInputChars(long maxInputChars) {
        if (maxInputChars < 1) {
            throw new IllegalArgumentException("maxInputChars must be >= 1, got " + maxInputChars);
        }
        this.maxInputChars = maxInputChars;
        return this;
    }

    /** Progress listener; default none. */
    public BpeTrainer optProgressListener(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Trains on {@code texts} and writes the {@code tokenizer.json} atomically to {@code out}. */
    public BpeVocabulary trainAndWrite(Iterable<String> texts, Path out) throws IOException {
        BpeVocabulary vocabulary = train(texts);
        vocabulary.write(out);
        return vocabulary;
    }

    /** Trains on {@code texts}, read once, in order. */
    public BpeVocabulary train(Iterable<String> texts) {
        if (vocabSize < ByteLevel.ALPHABET_SIZE + specialTokens.size()) {
            throw new IllegalArgumentException("vocabSize " + vocabSize + " leaves no room for 256 byte tokens and "
                    + specialTokens.size() + " special tokens");
        }
        Map<String, long[]> wordCounts = countWords(texts);
        return learnMerges(wordCounts);
    }

    // ---------------------------------------------------------------------------------------------------------
    // counting

    private Map<String, long[]> countWords(Iterable<String> texts) {
        Map<String, long[]> counts = new HashMap<>();
        Pattern specials = specialTokens.isEmpty() ? null : specialPattern(specialTokens);
        long read = 0;
        long nextReport = 1_000_000;
        for (String text : texts) {
            if (text == null) {
                throw new NullPointerException("null text in the training texts");
            }
            String t = text;
            boolean last = false;
            if (read + t.length() >= maxInputChars) {
                int keep = (int) (maxInputChars - read);
                if (keep > 0 && keep < t.length() && Character.isHighSurrogate(t.charAt(keep - 1))) {
                    keep--;
                }
                t = t.substring(0, keep);
                last = true;
            }
            read += t.length();
            countText(t, specials, counts);
            if (read >= nextReport || last) {
                progress.onProgress("read", read, -1);
                nextReport = read + 1_000_000;
            }
            if (last) {
                break;
            }
        }
        progress.onProgress("read", read, read);
        return counts;
    }

    private static Pattern specialPattern(List<String> specials) {
        List<String> byLength = new ArrayList<>(specials);
        byLength.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder sb = new StringBuilder();
        for (String s : byLength) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(Pattern.quote(s));
        }
        return Pattern.compile(sb.toString());
    }

    private static void countText(String text, Pattern specials, Map<String, long[]> counts) {
        if (specials == null) {
            countSegment(text, counts);
            return;
        }
        Matcher m = specials.matcher(text);
        int from = 0;
        while (m.find()) {
            countSegment(text.substring(from, m.start()), counts);
            from = m.end();
        }
        countSegment(from == 0 ? text : text.substring(from), counts);
    }

    private static void countSegment(String segment, Map<String, long[]> counts) {
        if (!segment.isEmpty()) {
            ByteLevel.preTokenize(segment, word -> counts.computeIfAbsent(word, k -> new long[1])[0]++);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // merging

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /** Count and inverted index of one pair. */
    private static final class PairStat {
        long count;
        int[] words = new int[4];
        int size;

        void addWord(int w) {
            if (size > 0 && words[size - 1] == w) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = w;
        }
    }

    private static final class Candidate {
        final long count;
        final int a;
        final int b;

        Candidate(long count, int a, int b) {
            this.count = count;
            this.a = a;
            this.b = b;
        }
    }

    private static final Comparator<Candidate> ORDER = (x, y) -> {
        int c = Long.compare(y.count, x.count);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(x.a, y.a);
        return c != 0 ? c : Integer.compare(x.b, y.b);
    };

    private BpeVocabulary learnMerges(Map<String, long[]> wordCounts) {
        String[] words = wordCounts.keySet().toArray(new String[0]);
        Arrays.sort(words);
        int n = words.length;
        int[][] syms = new int[n][];
        int[] lens = new int[n];
        long[] freqs = new long[n];
        for (int w = 0; w < n; w++) {
            byte[] bytes = words[w].getBytes(StandardCharsets.UTF_8);
            int[] s = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                s[i] = ByteLevel.byteToSymbol(bytes[i]);
            }
            syms[w] = s;
            lens[w] = s.length;
            freqs[w] = wordCounts.get(words[w])[0];
        }

        List<String> tokens = new ArrayList<>(vocabSize);
        Map<String, Integer> ids = new HashMap<>(vocabSize * 2);
        for (int s = 0; s < ByteLevel.ALPHABET_SIZE; s++) {
            String t = String.valueOf(ByteLevel.byteToChar(ByteLevel.symbolToByte(s)));
            tokens.add(t);
            ids.put(t, s);
        }
        int learnedTarget = vocabSize - specialTokens.size();

        Map<Long, PairStat> stats = new HashMap<>();
        for (int w = 0; w < n; w++) {
            int[] s = syms[w];
            for (int i = 0; i + 1 < s.length; i++) {
                PairStat st = stats.computeIfAbsent(key(s[i], s[i + 1]), k -> new PairStat());
                st.count += freqs[w];
                st.addWord(w);
            }
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(16, stats.size()), ORDER);
        for (Map.Entry<Long, PairStat> e : stats.entrySet()) {
            long k = e.getKey();
            queue.add(new Candidate(e.getValue().count, (int) (k >>> 32), (int) k));
        }

        List<int[]> merges = new ArrayList<>();
        Map<Long, long[]> delta = new HashMap<>();
        long maxMerges = learnedTarget - ByteLevel.ALPHABET_SIZE;
        while (tokens.size() < learnedTarget) {
            Candidate top = queue.poll();
            if (top == null) {
                break;
            }
            long k = key(top.a, top.b);
            PairStat st = stats.get(k);
            if (st == null) {
                continue;
            }
            if (st.count != top.count) {
                queue.add(new Candidate(st.count, top.a, top.b));
                continue;
            }
            if (st.count < minFrequency) {
                break;
            }
            String merged = tokens.get(top.a) + tokens.get(top.b);
            Integer existing = ids.get(merged);
            int c;
            if (existing == null) {
                c = tokens.size();
                tokens.add(merged);
                ids.put(merged, c);
            } else {
                c = existing;
            }
            merges.add(new int[] {top.a, top.b});
            stats.remove(k);

            delta.clear();
            for (int j = 0; j < st.size; j++) {
                mergeWord(st.words[j], top.a, top.b, c, syms, lens, freqs, delta, stats);
            }
            for (Map.Entry<Long, long[]> e : delta.entrySet()) {
                long d = e.getValue()[0];
                if (d == 0) {
                    continue;
                }
                long pk = e.getKey();
                PairStat ps = stats.get(pk);
                if (ps == null) {
                    continue; // the merged pair itself (removed above), e.g. (x,x) overlapping in "xxx"
                }
                ps.count += d;
                if (ps.count <= 0) {
                    stats.remove(pk);
                } else if (d > 0) {
                    queue.add(new Candidate(ps.count, (int) (pk >>> 32), (int) pk));
                }
            }
            if (merges.size() % 100 == 0) {
                progress.onProgress("merge", merges.size(), maxMerges);
            }
        }
        progress.onProgress("merge", merges.size(), merges.size());

        List<Integer> specialIds = new ArrayList<>();
        for (String special : specialTokens) {
            Integer id = ids.get(special);
            if (id == null) {
                id = tokens.size();
                tokens.add(special);
                ids.put(special, id);
            }
            specialIds.add(id);
        }
        return new BpeVocabulary(tokens, merges, specialTokens, specialIds);
    }

    /**
     * Merges every occurrence of (a, b) in word {@code w} into {@code c}, left to right, recording the pair count
     * changes in {@code delta} (the merged pair itself excluded) and indexing {@code w} under the new pairs.
     */
    private static void mergeWord(int w, int a, int b, int c, int[][] syms, int[] lens, long[] freqs,
            Map<Long, long[]> delta, Map<Long, PairStat> stats) {
        int[] s = syms[w];
        int n = lens[w];
        long f = freqs[w];
        int out = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                if (out > 0) {
                    int p = s[out - 1];
                    change(delta, stats, key(p, a), -f, -1);
                    change(delta, stats, key(p, c), f, w);
                }
                if (i + 2 < n) {
                    int next = s[i + 2];
                    change(delta, stats, key(b, next), -f, -1);
                    change(delta, stats, key(c, next), f, w);
                }
                s[out++] = c;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        lens[w] = out;
    }

    private static void change(Map<Long, long[]> delta, Map<Long, PairStat> stats, long pair, long d, int word) {
        delta.computeIfAbsent(pair, k -> new long[1])[0] += d;
        if (word >= 0) {
            stats.computeIfAbsent(pair, k -> new PairStat()).addWord(word);
        }
    }
}
