package dev.symbiosis.core.eval.build;

import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-domain entity cloze built from held-out text: a sentence is cut before a name (a capitalised word inside the
 * sentence that the domain's text uses mostly capitalised, at least {@link Builder#optMinCount} times), and the
 * choices are that name and {@code choices - 1} other names of the same domain, drawn with the seed among those of
 * the nearest frequency. The context is up to {@link Builder#optContextChars} characters of the document before
 * the name, so that what came before in the text is what points to the right name.
 *
 * <p>Task name {@link #TASK}; items of every domain (the documents' provenance source), at most
 * {@link Builder#optMaxPerDomain} per domain (a seeded sample), one per sentence. Deterministic for the same
 * documents and options; thread-safe (immutable). Empty input gives no items.
 */
public final class EntityCloze {

    /** The task name of the items. */
    public static final String TASK = "entity-cloze";

    private static final Pattern NAME = Pattern.compile("\\b[A-Z][a-z]{2,}\\b");
    private static final Pattern LOWER = Pattern.compile("\\b[a-z]{3,}\\b");
    /** Capitalised words that are not names of the text's world. */
    private static final Set<String> NOT_NAMES = Set.of("The", "And", "But", "For", "This", "That", "Then", "There",
            "These", "Those", "When", "What", "Which", "Who", "How", "Why", "Where", "His", "Her", "Its", "Our", "Their",
            "You", "Your", "She", "They", "Mrs", "Miss", "Sir", "Madam", "Chapter", "Yes", "Not", "Now", "With", "From",
            "All", "Some", "One", "Two", "Let", "Thou", "Thee", "Thy", "Lord");

    private final int choices;
    private final int maxPerDomain;
    private final int minCount;
    private final int contextChars;
    private final long seed;

    private EntityCloze(Builder b) {
        this.choices = b.choices;
        this.maxPerDomain = b.maxPerDomain;
        this.minCount = b.minCount;
        this.contextChars = b.contextChars;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The items, domain after domain (in name order). */
    public List<MultipleChoiceItem> build(List<Document> documents) {
        Map<String, List<Document>> byDomain = new TreeMap<>();
        for (Document d : documents) {
            byDomain.computeIfAbsent(d.provenance().source(), k -> new ArrayList<>()).add(d);
        }
        List<MultipleChoiceItem> out = new ArrayList<>();
        for (Map.Entry<String, List<Document>> e : byDomain.entrySet()) {
            out.addAll(domain(e.getKey(), e.getValue()));
        }
        return out;
    }

    private List<MultipleChoiceItem> domain(String domain, List<Document> docs) {
        Map<String, Integer> capitalised = new HashMap<>();
        Map<String, Integer> lower = new HashMap<>();
        for (Document d : docs) {
            for (Sentences.Sentence s : Sentences.split(d.text())) {
                Matcher m = NAME.matcher(s.text());
                while (m.find()) {
                    if (m.start() > 0) {
                        capitalised.merge(m.group(), 1, Integer::sum);
                    }
                }
                Matcher l = LOWER.matcher(s.text());
                while (l.find()) {
                    lower.merge(l.group(), 1, Integer::sum);
                }
            }
        }
        // names by frequency (then alphabetically), so that distractors can be taken from near neighbours
        List<String> names = new ArrayList<>();
        capitalised.forEach((w, n) -> {
            if (n >= minCount && !NOT_NAMES.contains(w) && lower.getOrDefault(w.toLowerCase(java.util.Locale.ROOT), 0) < n) {
                names.add(w);
            }
        });
        if (names.size() < choices) {
            return List.of();
        }
        names.sort((a, b) -> capitalised.get(b).equals(capitalised.get(a)) ? a.compareTo(b)
                : Integer.compare(capitalised.get(b), capitalised.get(a)));
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            rank.put(names.get(i), i);
        }
        List<MultipleChoiceItem> items = new ArrayList<>();
        for (Document d : docs) {
            List<Sentences.Sentence> sentences = Sentences.split(d.text());
            for (int si = 0; si < sentences.size(); si++) {
                Sentences.Sentence s = sentences.get(si);
                List<int[]> places = new ArrayList<>();
                Matcher m = NAME.matcher(s.text());
                while (m.find()) {
                    if (m.start() > 0 && rank.containsKey(m.group())) {
                        places.add(new int[] {m.start(), m.end()});
                    }
                }
                if (places.isEmpty()) {
                    continue;
                }
                SplittableRandom rnd = new SplittableRandom(seed ^ (31L * d.id().hashCode() + si) * 0x9E3779B97F4A7C15L);
                int[] p = places.get(rnd.nextInt(places.size()));
                String name = s.text().substring(p[0], p[1]);
                String context = Sentences.leftContext(d.text(), s.start() + p[0], contextChars);
                if (context.isEmpty()) {
                    continue;
                }
                List<String> options = distractors(names, rank.get(name), rnd);
                options.add(rnd.nextInt(options.size() + 1), name);
                items.add(new MultipleChoiceItem(TASK + ":" + d.id() + ":" + si, TASK, context, options,
                        options.indexOf(name), domain));
            }
        }
        if (items.size() > maxPerDomain) {
            Collections.shuffle(items, new Random(seed ^ domain.hashCode()));
            items = new ArrayList<>(items.subList(0, maxPerDomain));
        }
        return items;
    }

    /** {@code choices - 1} names other than the one at {@code rank}, drawn among the nearest in frequency. */
    private List<String> distractors(List<String> names, int rank, SplittableRandom rnd) {
        int window = Math.min(names.size() - 1, 4 * (choices - 1));
        int from = Math.max(0, Math.min(rank - window / 2, names.size() - 1 - window));
        List<String> pool = new ArrayList<>();
        for (int i = from; i <= from + window && i < names.size(); i++) {
            if (i != rank) {
                pool.add(names.get(i));
            }
        }
        List<String> out = new ArrayList<>();
        while (out.size() < choices - 1) {
            out.add(pool.remove(rnd.nextInt(pool.size())));
        }
        return out;
    }

    /** Options of {@link EntityCloze}. */
    public static final class Builder {
        private int choices = 4;
        private int maxPerDomain = 200;
        private int minCount = 3;
        private int contextChars = 300;
        private long seed = 20260101L;

        private Builder() {}

        /** Choices per item, the right name included. Default 4. */
        public Builder optChoices(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("choices must be >= 2, got " + n);
            }
            this.choices = n;
            return this;
        }

        /** Items per domain at most (a seeded sample). Default 200. */
        public Builder optMaxPerDomain(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxPerDomain must be >= 1, got " + n);
            }
            this.maxPerDomain = n;
            return this;
        }

        /** A name must occur at least this often inside sentences of its domain. Default 3. */
        public Builder optMinCount(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("minCount must be >= 1, got " + n);
            }
            this.minCount = n;
            return this;
        }

        /** Characters of the document before the name in the context, at most. Default 300. */
        public Builder optContextChars(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("contextChars must be >= 1, got " + n);
            }
            this.contextChars = n;
            return this;
        }

        /** Seed of the places, distractors, choice order and sampling. Default 20260101. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public EntityCloze build() {
            return new EntityCloze(this);
        }
    }
}
