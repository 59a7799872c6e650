package dev.symbiosis.core.eval.build;

import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-choice minimal pairs built automatically from held-out text, in the manner of BLiMP (Warstadt et al., 2020):
 * a real sentence against the same sentence with one small, usually ungrammatical change. The sentence with the
 * higher log-likelihood wins, so a model passes an item by preferring the real sentence.
 *
 * <p>Kinds ({@link Kind}): an adjacent-word swap, and the agreement and determiner flips is/are, was/were, a/an and
 * this/these. Each item's context is the text before the change (up to {@link Builder#optContextChars} characters of
 * the document before the sentence, then the sentence's unchanged prefix) and its two choices are the real and the
 * changed remainder of the sentence: the shared part contributes equally to both, so comparing the choices'
 * log-likelihoods given the context compares the two sentences, and the first changed word is always scored. A
 * sentence gives at most one item per kind; a kind found fewer than {@link Builder#optMinPerKind} times is dropped
 * (reported in {@link Result#dropped()}), one found more often is sampled down to {@link Builder#optMaxPerKind}
 * with the seed. The choices are put in a seeded order (the right one is not always first).
 *
 * <p>The flip kinds take the real sentence as grammatical; a real sentence may rarely read as well either way (a
 * collective noun with "are"): such noise counts against every model alike. Deterministic for the same documents
 * (in the same order) and options; thread-safe (immutable).
 */
public final class MinimalPairs {

    /** The kinds of change; the task of a kind is {@code minimal-pairs-<kind>}. */
    public enum Kind {
        /** Two adjacent lower-case words swapped ("the old man" to "old the man"). */
        ADJACENT_SWAP("adjacent-swap"),
        /** "is" and "are" exchanged. */
        IS_ARE("is-are"),
        /** "was" and "were" exchanged. */
        WAS_WERE("was-were"),
        /** "a" and "an" exchanged. */
        A_AN("a-an"),
        /** "this" and "these" exchanged. */
        THIS_THESE("this-these");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The kind's short name, e.g. {@code is-are}. */
        public String label() {
            return label;
        }

        /** The task name of the kind's items: {@code minimal-pairs-<label>}. */
        public String task() {
            return TASK_PREFIX + label;
        }
    }

    /** Prefix of every minimal-pair task name. */
    public static final String TASK_PREFIX = "minimal-pairs-";

    private static final Pattern LOWER_WORD = Pattern.compile("\\b[a-z]+\\b");

    /**
     * What was built.
     *
     * @param items the items of every kind kept, by kind (in {@link Kind} order)
     * @param found how many candidate pairs each kind had before sampling down (every kind, dropped ones too)
     * @param dropped the kinds with fewer than the minimum, not in {@code items}
     */
    public record Result(Map<Kind, List<MultipleChoiceItem>> items, Map<Kind, Integer> found, List<Kind> dropped) {
        public Result {
            EnumMap<Kind, List<MultipleChoiceItem>> copy = new EnumMap<>(Kind.class);
            items.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            items = Collections.unmodifiableMap(copy);
            found = Collections.unmodifiableMap(new EnumMap<>(found));
            dropped = List.copyOf(dropped);
        }

        /** Every item of every kept kind, kind after kind. */
        public List<MultipleChoiceItem> all() {
            List<MultipleChoiceItem> out = new ArrayList<>();
            items.values().forEach(out::addAll);
            return out;
        }
    }

    private final int maxPerKind;
    private final int minPerKind;
    private final int contextChars;
    private final int minWords;
    private final int maxWords;
    private final long seed;

    private MinimalPairs(Builder b) {
        this.maxPerKind = b.maxPerKind;
        this.minPerKind = b.minPerKind;
        this.contextChars = b.contextChars;
        this.minWords = b.minWords;
        this.maxWords = b.maxWords;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the pairs of every kind from the documents (an empty list gives no items and every kind dropped).
     *
     * @throws NullPointerException if {@code documents} or one of them is null
     */
    public Result build(List<Document> documents) {
        Map<Kind, List<MultipleChoiceItem>> candidates = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            candidates.put(k, new ArrayList<>());
        }
        for (Document d : documents) {
            Objects.requireNonNull(d, "document");
            List<Sentences.Sentence> sentences = Sentences.split(d.text());
            for (int s = 0; s < sentences.size(); s++) {
                Sentences.Sentence sentence = sentences.get(s);
                int words = sentence.words();
                if (words < minWords || words > maxWords) {
                    continue;
                }
                String left = Sentences.leftContext(d.text(), sentence.start(), contextChars);
                for (Kind k : Kind.values()) {
                    // one random stream per (document, sentence, kind): items do not depend on other documents
                    SplittableRandom rnd = new SplittableRandom(seed ^ (31L * d.id().hashCode() + s) * 0x9E3779B97F4A7C15L
                            + k.ordinal());
                    Change c = change(k, sentence.text(), rnd);
                    if (c == null) {
                        continue;
                    }
                    String prefix = sentence.text().substring(0, c.at()).strip();
                    String context = (left + " " + prefix).strip();
                    if (context.isEmpty()) {
                        continue;
                    }
                    String good = sentence.text().substring(c.at());
                    String bad = c.changed().substring(c.at());
                    boolean goodFirst = rnd.nextBoolean();
                    String id = k.task() + ":" + d.id() + ":" + s;
                    candidates.get(k).add(new MultipleChoiceItem(id, k.task(), context,
                            goodFirst ? List.of(good, bad) : List.of(bad, good), goodFirst ? 0 : 1,
                            d.provenance().source()));
                }
            }
        }
        Map<Kind, List<MultipleChoiceItem>> kept = new EnumMap<>(Kind.class);
        Map<Kind, Integer> found = new EnumMap<>(Kind.class);
        List<Kind> dropped = new ArrayList<>();
        for (Kind k : Kind.values()) {
            List<MultipleChoiceItem> all = candidates.get(k);
            found.put(k, all.size());
            if (all.size() < minPerKind || all.isEmpty()) {
                dropped.add(k);
                continue;
            }
            if (all.size() > maxPerKind) {
                Collections.shuffle(all, new Random(seed + k.ordinal()));
                all = new ArrayList<>(all.subList(0, maxPerKind));
            }
            kept.put(k, all);
        }
        return new Result(kept, found, dropped);
    }

    /** A changed sentence and the index of the first changed character (a word start). */
    private record Change(String changed, int at) {}

    /** The change of kind {@code k} at a seeded one of its possible places, or null if the sentence has none. */
    private static Change change(Kind k, String s, SplittableRandom rnd) {
        List<int[]> words = new ArrayList<>();
        Matcher m = LOWER_WORD.matcher(s);
        while (m.find()) {
            words.add(new int[] {m.start(), m.end()});
        }
        List<Change> options = new ArrayList<>();
        if (k == Kind.ADJACENT_SWAP) {
            for (int i = 0; i + 1 < words.size(); i++) {
                int[] a = words.get(i);
                int[] b = words.get(i + 1);
                String gap = s.substring(a[1], b[0]);
                String wa = s.substring(a[0], a[1]);
                String wb = s.substring(b[0], b[1]);
                if (!gap.equals(" ") || wa.equals(wb)) {
                    continue; // only words separated by one space, so the swap keeps punctuation in place
                }
                options.add(new Change(s.substring(0, a[0]) + wb + " " + wa + s.substring(b[1]), a[0]));
            }
        } else {
            for (int[] w : words) {
                String word = s.substring(w[0], w[1]);
                String other = flip(k, word);
                if (other == null) {
                    continue;
                }
                if (k == Kind.A_AN && !followedByWord(s, w[1])) {
                    continue; // "a" as a letter or at the end is no article
                }
                options.add(new Change(s.substring(0, w[0]) + other + s.substring(w[1]), w[0]));
            }
        }
        return options.isEmpty() ? null : options.get(rnd.nextInt(options.size()));
    }

    private static String flip(Kind k, String word) {
        return switch (k) {
            case IS_ARE -> word.equals("is") ? "are" : word.equals("are") ? "is" : null;
            case WAS_WERE -> word.equals("was") ? "were" : word.equals("were") ? "was" : null;
            case A_AN -> word.equals("a") ? "an" : word.equals("an") ? "a" : null;
            case THIS_THESE -> word.equals("this") ? "these" : word.equals("these") ? "this" : null;
            case ADJACENT_SWAP -> null;
        };
    }

    private static boolean followedByWord(String s, int end) {
        return end + 1 < s.length() && s.charAt(end) == ' ' && Character.isLetter(s.charAt(end + 1));
    }

    /** Options of {@link MinimalPairs}. */
    public static final class Builder {
        private int maxPerKind = 1000;
        private int minPerKind = 300;
        private int contextChars = 200;
        private int minWords = 4;
        private int maxWords = 40;
        private long seed = 20260101L;

        private Builder() {}

        /** Items kept per kind at most (a seeded sample). Default 1000. */
        public Builder optMaxPerKind(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxPerKind must be >= 1, got " + n);
            }
            this.maxPerKind = n;
            return this;
        }

        /** A kind with fewer candidate pairs is dropped. Default 300. */
        public Builder optMinPerKind(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("minPerKind must be >= 0, got " + n);
            }
            this.minPerKind = n;
            return this;
        }

        /** Characters of the document before the sentence in the context, at most. Default 200. */
        public Builder optContextChars(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("contextChars must be >= 0, got " + n);
            }
            this.contextChars = n;
            return this;
        }

        /** Sentences with fewer or more words (white-space separated) are not used. Defaults 4 and 40. */
        public Builder optSentenceWords(int min, int max) {
            if (min < 2 || max < min) {
                throw new IllegalArgumentException("sentence words need 2 <= min <= max, got " + min + ".." + max);
            }
            this.minWords = min;
            this.maxWords = max;
            return this;
        }

        /** Seed of the places changed, the choice order and the sampling. Default 20260101. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public MinimalPairs build() {
            return new MinimalPairs(this);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MinimalPairs[max %d, min %d, context %d chars, words %d..%d, seed %d]",
                maxPerKind, minPerKind, contextChars, minWords, maxWords, seed);
    }
}
