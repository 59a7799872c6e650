package dev.symbiosis.core.dedup;

import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Checks generated text against an evaluation split for contamination, two ways:
 * <ul>
 *   <li><b>n-gram overlap</b> (as GPT-3's and PaLM's contamination studies): a text shares an n-gram of
 *       {@link Builder#optNgramWords(int) n} words (default {@value #DEFAULT_NGRAM_WORDS}, lower-cased letters and
 *       digits, punctuation ignored) with some evaluation document; every maximal run of overlapping n-grams is
 *       reported as a {@link Match} with its character span in the text and in the evaluation document;</li>
 *   <li><b>near duplicates</b>: the MinHash-estimated Jaccard similarity of the text's word shingles to some
 *       evaluation window of about {@link Builder#optWindowChars(int) windowChars} characters is at least the
 *       {@link Builder#optNearDuplicateThreshold(double) threshold} (default {@value #DEFAULT_NEAR_DUPLICATE}).</li>
 * </ul>
 * Windows rather than whole documents are compared because a generated sample is a few sentences long and its
 * Jaccard similarity to a long document would be small even when it copies part of it.
 *
 * <p>Immutable after construction and thread-safe. An empty evaluation split gives an index that finds nothing.
 */
public final class ContaminationIndex {

    /** Default n-gram length in words (13, as in GPT-3's contamination analysis). */
    public static final int DEFAULT_NGRAM_WORDS = 13;
    /** Default MinHash similarity from which a text counts as a near duplicate of an evaluation window. */
    public static final double DEFAULT_NEAR_DUPLICATE = 0.5;
    /** Default evaluation window for the near-duplicate check, in characters. */
    public static final int DEFAULT_WINDOW_CHARS = 480;

    private final int n;
    private final double threshold;
    private final MinHash minHash;
    private final List<Document> docs;
    private final Map<Long, int[]> ngrams = new HashMap<>(); // hash -> {doc, first word}
    private final List<List<int[]>> docWords = new ArrayList<>(); // per doc: {start, end} of each word
    private final List<long[]> windowSignatures = new ArrayList<>();
    private final List<String> windowIds = new ArrayList<>();

    private ContaminationIndex(Builder b, List<Document> evaluation) {
        this.n = b.ngramWords;
        this.threshold = b.threshold;
        this.minHash = b.minHash;
        this.docs = List.copyOf(evaluation);
        for (int d = 0; d < docs.size(); d++) {
            String text = docs.get(d).text();
            List<int[]> words = wordSpans(text);
            docWords.add(words);
            for (int i = 0; i + n <= words.size(); i++) {
                ngrams.putIfAbsent(hash(text, words, i, n), new int[] {d, i});
            }
            for (Document w : dev.symbiosis.core.feedback.UncertaintyFeedbackMiner.windows(docs.get(d),
                    b.windowChars)) {
                windowSignatures.add(minHash.signature(w.text()));
                windowIds.add(w.id());
            }
        }
    }

    /** An index of {@code evaluation} with every default. */
    public static ContaminationIndex of(List<Document> evaluation) {
        return builder().build(evaluation);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A run of overlapping n-grams shared by a text and an evaluation document.
     *
     * @param textStart start of the shared words in the checked text (characters)
     * @param textEnd end (exclusive) in the checked text
     * @param document the evaluation document's id
     * @param documentStart start of the shared words in the evaluation document
     * @param documentEnd end (exclusive) in the evaluation document
     * @param words how many words the run spans ({@code >= n})
     */
    public record Match(int textStart, int textEnd, String document, int documentStart, int documentEnd,
            int words) {}

    /**
     * What one text shares with the evaluation split.
     *
     * @param matches runs of shared n-grams, in text order (empty when none)
     * @param nearestWindow id of the most similar evaluation window ({@code null} for an empty index)
     * @param similarity its estimated Jaccard similarity, in [0, 1]
     * @param nearDuplicate whether {@code similarity} reaches the threshold
     */
    public record Finding(List<Match> matches, String nearestWindow, double similarity, boolean nearDuplicate) {
        public Finding {
            matches = List.copyOf(matches);
        }

        public boolean contaminated() {
            return !matches.isEmpty() || nearDuplicate;
        }
    }

    /** Checks one text. */
    public Finding check(String text) {
        Objects.requireNonNull(text, "text");
        List<int[]> words = wordSpans(text);
        List<Match> matches = new ArrayList<>();
        int i = 0;
        while (i + n <= words.size()) {
            int[] at = ngrams.get(hash(text, words, i, n));
            if (at == null || !sameWords(text, words, i, at[0], at[1])) {
                i++;
                continue;
            }
            // extend the run while the next word continues the same evaluation passage
            int len = n;
            List<int[]> dw = docWords.get(at[0]);
            String doc = docs.get(at[0]).text();
            while (i + len < words.size() && at[1] + len < dw.size()
                    && word(text, words.get(i + len)).equals(word(doc, dw.get(at[1] + len)))) {
                len++;
            }
            matches.add(new Match(words.get(i)[0], words.get(i + len - 1)[1], docs.get(at[0]).id(),
                    dw.get(at[1])[0], dw.get(at[1] + len - 1)[1], len));
            i += len;
        }
        double best = 0;
        String nearest = null;
        if (!windowSignatures.isEmpty()) {
            long[] sig = minHash.signature(text);
            for (int w = 0; w < windowSignatures.size(); w++) {
                double s = MinHash.estimate(sig, windowSignatures.get(w));
                if (nearest == null || s > best) {
                    best = s;
                    nearest = windowIds.get(w);
                }
            }
        }
        return new Finding(matches, nearest, best, nearest != null && best >= threshold);
    }

    /** The settings, for records. */
    public Map<String, Object> settings() {
        return Map.of("ngramWords", n, "nearDuplicateThreshold", threshold, "minHashHashes", minHash.hashes(),
                "minHashShingleWords", minHash.shingleWords(), "evaluationDocuments", docs.size(),
                "evaluationWindows", windowIds.size());
    }

    private boolean sameWords(String text, List<int[]> words, int from, int doc, int docFrom) {
        String d = docs.get(doc).text();
        List<int[]> dw = docWords.get(doc);
        for (int k = 0; k < n; k++) {
            if (!word(text, words.get(from + k)).equals(word(d, dw.get(docFrom + k)))) {
                return false;
            }
        }
        return true;
    }

    private static String word(String text, int[] span) {
        return text.substring(span[0], span[1]).toLowerCase(Locale.ROOT);
    }

    private static long hash(String text, List<int[]> words, int from, int count) {
        long h = 0xcbf29ce484222325L;
        for (int k = from; k < from + count; k++) {
            String w = word(text, words.get(k));
            for (int c = 0; c < w.length(); c++) {
                h = (h ^ w.charAt(c)) * 0x100000001b3L;
            }
            h = (h ^ 0x1F) * 0x100000001b3L;
        }
        return h;
    }

    /** Character spans of the maximal runs of letters and digits. */
    static List<int[]> wordSpans(String text) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int len = text.length();
        while (i < len) {
            while (i < len && !Character.isLetterOrDigit(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            int start = i;
            while (i < len && Character.isLetterOrDigit(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i > start) {
                out.add(new int[] {start, i});
            }
        }
        return out;
    }

    /** Options of {@link ContaminationIndex}; every option has a default. */
    public static final class Builder {
        private int ngramWords = DEFAULT_NGRAM_WORDS;
        private double threshold = DEFAULT_NEAR_DUPLICATE;
        private int windowChars = DEFAULT_WINDOW_CHARS;
        private MinHash minHash = MinHash.create(0x5EED);

        private Builder() {}

        /** n-gram length in words, {@code >= 1}. Default {@value ContaminationIndex#DEFAULT_NGRAM_WORDS}. */
        public Builder optNgramWords(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("ngramWords must be >= 1, got " + value);
            }
            this.ngramWords = value;
            return this;
        }

        /** Near-duplicate threshold in (0, 1]. Default {@value ContaminationIndex#DEFAULT_NEAR_DUPLICATE}. */
        public Builder optNearDuplicateThreshold(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], got " + value);
            }
            this.threshold = value;
            return this;
        }

        /** Evaluation window of the near-duplicate check in characters ({@code 0}: whole documents). Default 480. */
        public Builder optWindowChars(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("windowChars must be >= 0, got " + value);
            }
            this.windowChars = value;
            return this;
        }

        /** The signature family. Default {@link MinHash#create(long)} with seed {@code 0x5EED}. */
        public Builder optMinHash(MinHash value) {
            this.minHash = Objects.requireNonNull(value, "minHash");
            return this;
        }

        public ContaminationIndex build(List<Document> evaluation) {
            return new ContaminationIndex(this, Objects.requireNonNull(evaluation, "evaluation"));
        }
    }
}
