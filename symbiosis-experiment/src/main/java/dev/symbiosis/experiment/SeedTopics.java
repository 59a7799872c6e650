package dev.symbiosis.experiment;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.metrics.syntax.OpenNlpAnalyzer;
import dev.symbiosis.metrics.syntax.SyntaxAnalyzer;
import dev.symbiosis.metrics.syntax.TaggedSentence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Step A topics derived from a corpus (the seed split): the most widespread common nouns of every domain, so that
 * the Generator's topic prompts ({@code "The {topic}"}, ...) speak of what the corpus speaks of.
 *
 * <p>The rule, deterministic for a given corpus:
 * <ol>
 *   <li>Documents are grouped by domain (provenance source); domains are taken in name order.</li>
 *   <li>Of each domain, documents are read in corpus order until {@code maxCharsPerDomain} characters are read
 *       (the document crossing the limit is read whole).</li>
 *   <li>The texts are split into sentences, tokenized and tagged with UPOS tags (by default OpenNLP's UD English
 *       models of {@link OpenNlpAnalyzer}, one thread). A word counts when it is tagged {@code NOUN} (common noun:
 *       function words, verbs, adjectives and names never qualify, so no stop-word list is needed), consists of
 *       letters only (an inner hyphen or apostrophe allowed), has at least {@code minLetters} letters and is not in
 *       {@code exclude}; it is counted in lower case, and a regular plural ({@code -s}, {@code -es}) as its
 *       singular when the singular occurs in the domain too.</li>
 *   <li>Words are ranked by the number of the domain's documents they occur in, then by their number of
 *       occurrences, then alphabetically (ties are broken by the word itself, so the order never depends on
 *       hashing or threads).</li>
 *   <li>Each domain contributes its best {@code perDomain} words not already contributed by an earlier domain; the
 *       topics are the domains' contributions in domain order. A domain with fewer qualifying words contributes what
 *       it has.</li>
 * </ol>
 *
 * <p>Immutable; thread-safe when the analyzer is (the default is).
 */
public final class SeedTopics implements Describable {

    /** Topics per domain by default. */
    public static final int DEFAULT_PER_DOMAIN = 8;
    /** Characters read per domain by default: enough for stable counts, about a second of tagging per domain. */
    public static final int DEFAULT_MAX_CHARS_PER_DOMAIN = 100_000;
    /** Shortest topic word by default. */
    public static final int DEFAULT_MIN_LETTERS = 3;

    private static final Pattern WORD = Pattern.compile("\\p{L}+(?:['\u2019-]\\p{L}+)*");

    private final int perDomain;
    private final int maxCharsPerDomain;
    private final int minLetters;
    private final Set<String> exclude;
    private final SyntaxAnalyzer analyzer;

    private SeedTopics(Builder b) {
        this.perDomain = b.perDomain;
        this.maxCharsPerDomain = b.maxCharsPerDomain;
        this.minLetters = b.minLetters;
        this.exclude = Set.copyOf(b.exclude);
        this.analyzer = b.analyzer != null ? b.analyzer : OpenNlpAnalyzer.create(1);
    }

    /** A builder with the defaults named on its options. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options (the analyzer by its description). */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("perDomain", perDomain, "maxCharsPerDomain", maxCharsPerDomain, "minLetters",
                minLetters, "exclude", exclude.stream().sorted().toList(), "analyzer", analyzer.toString());
    }

    /**
     * The topics of a corpus (see the class comment for the rule).
     *
     * @param docs the corpus; its order matters only through {@code maxCharsPerDomain}
     * @return the topics, domain by domain; empty if no document has a qualifying word (or {@code docs} is empty)
     */
    public List<String> topics(List<Document> docs) {
        return List.copyOf(topicDomains(docs).keySet());
    }

    /**
     * The topics of a corpus, as {@link #topics}, each with the domain that contributed it (a topic is contributed
     * once, by the first domain in name order that ranks it).
     *
     * @return topic to domain, in the order of {@link #topics}; unmodifiable
     */
    public Map<String, String> topicDomains(List<Document> docs) {
        Map<String, List<String>> byDomain = new TreeMap<>();
        Map<String, Long> charsRead = new HashMap<>();
        for (Document d : docs) {
            String domain = d.provenance().source();
            long read = charsRead.getOrDefault(domain, 0L);
            if (read < maxCharsPerDomain) {
                byDomain.computeIfAbsent(domain, k -> new ArrayList<>()).add(d.text());
                charsRead.put(domain, read + d.text().length());
            }
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : byDomain.entrySet()) {
            List<String> ranked = ranked(e.getValue());
            int taken = 0;
            for (int i = 0; i < ranked.size() && taken < perDomain; i++) {
                if (out.putIfAbsent(ranked.get(i), e.getKey()) == null) {
                    taken++;
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every qualifying noun of one domain's texts, best first. */
    private List<String> ranked(List<String> texts) {
        List<List<String>> nounsPerDoc = new ArrayList<>();
        Set<String> vocabulary = new HashSet<>();
        for (List<TaggedSentence> doc : analyzer.analyzeAll(texts)) {
            List<String> nouns = new ArrayList<>();
            for (TaggedSentence s : doc) {
                for (int i = 0; i < s.size(); i++) {
                    if (!"NOUN".equals(s.tags().get(i))) {
                        continue;
                    }
                    String w = s.tokens().get(i).toLowerCase(Locale.ROOT);
                    if (WORD.matcher(w).matches() && letters(w) >= minLetters && !exclude.contains(w)) {
                        nouns.add(w);
                        vocabulary.add(w);
                    }
                }
            }
            nounsPerDoc.add(nouns);
        }
        Map<String, int[]> counts = new HashMap<>(); // word -> {documents, occurrences}
        for (List<String> nouns : nounsPerDoc) {
            Set<String> seen = new HashSet<>();
            for (String noun : nouns) {
                String w = singular(noun, vocabulary);
                int[] c = counts.computeIfAbsent(w, k -> new int[2]);
                if (seen.add(w)) {
                    c[0]++;
                }
                c[1]++;
            }
        }
        List<String> words = new ArrayList<>(counts.keySet());
        words.sort(Comparator.<String>comparingInt(w -> -counts.get(w)[0])
                .thenComparingInt(w -> -counts.get(w)[1])
                .thenComparing(Comparator.naturalOrder()));
        return words;
    }

    /** A regular plural counted as its singular when the singular occurs too ("whales" -> "whale"). */
    private static String singular(String w, Set<String> vocabulary) {
        if (w.endsWith("s") && !w.endsWith("ss")) {
            String s = w.substring(0, w.length() - 1);
            if (vocabulary.contains(s)) {
                return s;
            }
            if (w.endsWith("es") && vocabulary.contains(w.substring(0, w.length() - 2))) {
                return w.substring(0, w.length() - 2);
            }
        }
        return w;
    }

    private static int letters(String w) {
        int n = 0;
        for (int i = 0; i < w.length(); i++) {
            if (Character.isLetter(w.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** Options of {@link SeedTopics}. Not thread-safe. */
    public static final class Builder {
        private int perDomain = DEFAULT_PER_DOMAIN;
        private int maxCharsPerDomain = DEFAULT_MAX_CHARS_PER_DOMAIN;
        private int minLetters = DEFAULT_MIN_LETTERS;
        private List<String> exclude = List.of();
        private SyntaxAnalyzer analyzer;

        private Builder() {}

        /** Topics each domain contributes. Default {@value SeedTopics#DEFAULT_PER_DOMAIN}. */
        public Builder optPerDomain(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("perDomain must be >= 1, got " + value);
            }
            this.perDomain = value;
            return this;
        }

        /** Characters of each domain read. Default {@value SeedTopics#DEFAULT_MAX_CHARS_PER_DOMAIN}. */
        public Builder optMaxCharsPerDomain(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxCharsPerDomain must be >= 1, got " + value);
            }
            this.maxCharsPerDomain = value;
            return this;
        }

        /** Shortest topic in letters. Default {@value SeedTopics#DEFAULT_MIN_LETTERS}. */
        public Builder optMinLetters(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("minLetters must be >= 1, got " + value);
            }
            this.minLetters = value;
            return this;
        }

        /** Words never taken (compared in lower case). Default none. */
        public Builder optExclude(List<String> value) {
            Objects.requireNonNull(value, "exclude");
            this.exclude = value.stream().map(w -> Objects.requireNonNull(w, "exclude: a word is null")
                    .toLowerCase(Locale.ROOT)).toList();
            return this;
        }

        /** The tagger. Default OpenNLP's UD English models on one thread ({@link OpenNlpAnalyzer#create(int)}). */
        public Builder optAnalyzer(SyntaxAnalyzer value) {
            this.analyzer = Objects.requireNonNull(value, "analyzer");
            return this;
        }

        /** The deriver. */
        public SeedTopics build() {
            return new SeedTopics(this);
        }
    }
}
