package dev.symbiosis.core.curriculum;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.Describable;
import dev.symbiosis.core.dedup.MinHash;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.ProvenanceKeys;
import dev.symbiosis.core.text.Span;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The default {@link Curriculum}: prompts from templates.
 *
 * <p>Two styles, because tiny base models cannot follow instructions:
 * <ul>
 *   <li>{@link Style#PREFIX} (default; tiny base models): a topic prompt is a sentence opening that names the
 *       topic ("{@code The question of liberty}"); a teaching prompt is the window of the hard example that ends
 *       with its most salient span, so the Generator continues exactly where the Student struggles.</li>
 *   <li>{@link Style#INSTRUCTION} (instruction-tuned generators): the proposal's templates, with {@code {topic}}
 *       and {@code {text}} placeholders.</li>
 * </ul>
 *
 * <p>Gradient hints ({@link HardExample#hints()}, HotFlip substitutions of the most salient tokens) are rendered in
 * both styles when a hard example carries them and their token lies in the prompt's window: in instruction style
 * as an explicit sentence after the template naming each salient word and its contrast candidates; in prefix style
 * as one short line ({@value #HINT_LINE_PREFIX}...) before the window, because a tiny base model follows no
 * instruction but does copy words from its context, and the window must still end at the salient span where the
 * continuation starts. Examples without hints give exactly the prompts they gave before hints existed.
 *
 * <p>Near-duplicate control ({@link Builder#optNearDuplicateThreshold}, off by default): the loop drops generated
 * samples whose MinHash-estimated Jaccard similarity of word shingles to an earlier accepted sample of the same
 * strategy (this iteration or any earlier one) reaches the threshold, as Self-Instruct and LLM2LLM filter their
 * generated data; see {@link NearDuplicateFilter}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TemplateCurriculum implements Curriculum {

    /** Prompt style. */
    public enum Style {
        PREFIX,
        INSTRUCTION
    }

    /** The proposal's Step A template. */
    public static final String PROPOSAL_TOPIC_TEMPLATE =
            "Explain the concept of {topic} in a way a high school student could understand.";

    /** The proposal's Step D template. */
    public static final String PROPOSAL_TEACHING_TEMPLATE =
            "The following text was difficult for my student to understand: '{text}'. Generate a detailed, clear "
                    + "explanation of the core concepts in this text, including a few novel examples.";

    /** Start of the hint line of prefix-style teaching prompts (see {@link #hintLine}). */
    public static final String HINT_LINE_PREFIX = "Related words: ";

    /** Sentence openings for tiny base models; {@code {topic}} is replaced, the first letter capitalised. */
    public static final List<String> DEFAULT_PREFIX_TEMPLATES = List.of(
            "The {topic}",
            "Of the {topic}, it",
            "In the matter of the {topic},",
            "It is said that the {topic}",
            "We must consider the {topic}, which");

    /** Topics that all the embedded corpora touch (speeches, novels, scripture, encyclopedia, mail). */
    public static final List<String> DEFAULT_TOPICS = List.of(
            "government", "war", "people", "law", "money", "trade", "country", "family", "marriage", "house",
            "land", "sea", "church", "king", "army", "children", "world", "time", "work", "power",
            "letter", "heart", "city", "water", "nation", "friend", "truth", "peace", "party", "history",
            "year", "system", "state", "woman", "man", "life", "service", "question", "business", "mind");

    private final Style style;
    private final ImmutableList<String> topics;
    private final ImmutableList<String> topicTemplates;
    private final String teachingTemplate;
    private final int contextChars;
    private final int promptsPerExample;
    private final double nearDuplicateThreshold;
    private final int shingleWords;
    private final int minHashes;

    private TemplateCurriculum(Builder b) {
        this.style = b.style;
        this.topics = ImmutableList.copyOf(b.topics);
        this.topicTemplates = b.topicTemplates != null
                ? ImmutableList.copyOf(b.topicTemplates)
                : style == Style.PREFIX ? ImmutableList.copyOf(DEFAULT_PREFIX_TEMPLATES)
                        : ImmutableList.of(PROPOSAL_TOPIC_TEMPLATE);
        this.teachingTemplate = b.teachingTemplate;
        this.contextChars = b.contextChars;
        this.promptsPerExample = b.promptsPerExample;
        this.nearDuplicateThreshold = b.nearDuplicateThreshold;
        this.shingleWords = b.shingleWords;
        this.minHashes = b.minHashes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default: prefix style, default topics and templates. */
    public static TemplateCurriculum create() {
        return builder().build();
    }

    public Style style() {
        return style;
    }

    /** The near-duplicate threshold, or {@code 0} when the control is off. */
    public double nearDuplicateThreshold() {
        return nearDuplicateThreshold;
    }

    /** Every option, by its builder name (nearDuplicateThreshold 0: the control is off). */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("style", style.name(), "topics", topics, "topicTemplates", topicTemplates,
                "teachingTemplate", teachingTemplate, "contextChars", contextChars, "promptsPerExample",
                promptsPerExample, "nearDuplicateThreshold", nearDuplicateThreshold, "shingleWords", shingleWords,
                "minHashes", minHashes);
    }

    @Override
    public Optional<NearDuplicateFilter> nearDuplicateFilter(long seed) {
        if (nearDuplicateThreshold == 0) {
            return Optional.empty();
        }
        return Optional.of(new NearDuplicateFilter(MinHash.of(minHashes, shingleWords, seed),
                nearDuplicateThreshold));
    }

    @Override
    public List<Prompt> topicPrompts(int iteration, int count, long seed) {
        checkIteration(iteration);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        // One stream per (seed, iteration): the same arguments always give the same prompts.
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + iteration);
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int ti = rnd.nextInt(topics.size());
            int pi = rnd.nextInt(topicTemplates.size());
            String text = capitalise(topicTemplates.get(pi).replace("{topic}", topics.get(ti)));
            Provenance p = Provenance.of("curriculum", iteration)
                    .with(ProvenanceKeys.KIND, ProvenanceKeys.TOPIC_KIND)
                    .with(ProvenanceKeys.TOPIC, topics.get(ti))
                    .with(ProvenanceKeys.TEMPLATE, Integer.toString(pi));
            out.add(new Prompt(text, p));
        }
        return out;
    }

    @Override
    public List<Prompt> teachingPrompts(int iteration, Feedback feedback) {
        checkIteration(iteration);
        Objects.requireNonNull(feedback, "feedback");
        return perExampleAndSpan(feedback, (h, span) -> {
            String doc = h.document().text();
            Span window = style == Style.PREFIX ? prefixWindowSpan(doc, span, contextChars)
                    : quoteWindowSpan(doc, span, contextChars);
            List<RenderedHint> hints = renderHints(h, window);
            String text = style == Style.PREFIX
                    ? hintLine(hints) + window.of(doc)
                    : teachingTemplate.replace("{text}", window.of(doc)) + hintSentence(hints);
            Provenance p = teachingProvenance(iteration, h, span);
            if (!hints.isEmpty()) {
                p = p.with(ProvenanceKeys.HINTS, hints.stream()
                        .map(x -> x.word() + ">" + String.join("|", x.contrasts()))
                        .collect(Collectors.joining(";")));
            }
            return new Prompt(text, p);
        });
    }

    /**
     * {@link Builder#optPromptsPerExample promptsPerExample} prompts per hard example, in the feedback's order: the
     * repeated prompts of one example walk down its salient spans, then repeat the first ({@code null} without spans).
     */
    private List<Prompt> perExampleAndSpan(Feedback feedback,
            java.util.function.BiFunction<HardExample, Span, Prompt> prompt) {
        List<Prompt> out = new ArrayList<>();
        for (HardExample h : feedback.hardExamples()) {
            List<Span> spans = h.salientSpans();
            for (int r = 0; r < promptsPerExample; r++) {
                out.add(prompt.apply(h, spans.isEmpty() ? null : spans.get(r % spans.size())));
            }
        }
        return out;
    }

    /** A salient word of a hard example and the substitutions its gradient points to, as rendered. */
    record RenderedHint(String word, List<String> contrasts) {}

    /**
     * The hard example's gradient hints whose token lies inside the quoted or prefixed window (a hint outside it
     * would name a word the prompt does not show), as stripped words; candidates that are blank or equal to the
     * word (ignoring case) are dropped, duplicates kept once, and hints left without candidates are dropped.
     */
    static List<RenderedHint> renderHints(HardExample h, Span window) {
        List<RenderedHint> out = new ArrayList<>();
        String doc = h.document().text();
        for (TokenHint hint : h.hints()) {
            if (hint.span().start() < window.start() || hint.span().end() > window.end()) {
                continue;
            }
            String word = hint.tokenText(doc).strip();
            if (word.isEmpty()) {
                continue;
            }
            LinkedHashSet<String> contrasts = new LinkedHashSet<>();
            for (String c : hint.candidates()) {
                String w = c.strip();
                if (!w.isEmpty() && !w.equalsIgnoreCase(word)) {
                    contrasts.add(w);
                }
            }
            if (!contrasts.isEmpty()) {
                out.add(new RenderedHint(word, List.copyOf(contrasts)));
            }
        }
        return out;
    }

    /**
     * Prefix style: a line {@value #HINT_LINE_PREFIX}{@code word, contrast, ...} before the window, or nothing.
     * Tiny base models follow no instruction, but they copy from their context (the first skill small transformers
     * learn), so naming the salient word and its contrasts before the window makes the continuation, which starts
     * right after the salient span, more likely to use and contrast them; the window still ends at the span.
     */
    static String hintLine(List<RenderedHint> hints) {
        if (hints.isEmpty()) {
            return "";
        }
        LinkedHashSet<String> words = new LinkedHashSet<>();
        for (RenderedHint h : hints) {
            words.add(h.word());
            words.addAll(h.contrasts());
        }
        return HINT_LINE_PREFIX + String.join(", ", words) + ".\n";
    }

    /**
     * Instruction style: an explicit sentence after the template naming each salient word and its contrasts, e.g.
     * {@code " The student was most sensitive to these words: 'bank' (rather than 'shore' or 'river'). Show why
     * each fits where its alternatives would not."}, or nothing.
     */
    static String hintSentence(List<RenderedHint> hints) {
        if (hints.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (RenderedHint h : hints) {
            List<String> q = h.contrasts().stream().map(c -> "'" + c + "'").toList();
            String alternatives = q.size() == 1 ? q.get(0)
                    : String.join(", ", q.subList(0, q.size() - 1)) + " or " + q.get(q.size() - 1);
            parts.add("'" + h.word() + "' (rather than " + alternatives + ")");
        }
        return " The student was most sensitive to " + (hints.size() == 1 ? "this word: " : "these words: ")
                + String.join("; ", parts) + ". Show why each fits where its alternatives would not.";
    }

    /**
     * The span of the text that ends with the salient span and starts at most {@code contextChars} characters
     * before it, at a word boundary, without surrounding whitespace. Without a span: the first
     * {@code contextChars} characters, cut at a word boundary.
     */
    static Span prefixWindowSpan(String text, Span span, int contextChars) {
        int end = span == null ? Math.min(text.length(), contextChars) : span.end();
        int start = span == null ? 0 : Math.max(0, span.start() - contextChars);
        if (start > 0) {
            // move forward to the next word start, unless that would eat into the span
            int s = start;
            while (s < end && !Character.isWhitespace(text.charAt(s - 1))) {
                s++;
            }
            if (span == null || s <= span.start()) {
                start = s;
            }
        }
        if (span == null && end < text.length()) {
            int e = end;
            while (e > start && !Character.isWhitespace(text.charAt(e))) {
                e--;
            }
            if (e > start) {
                end = e;
            }
        }
        Span w = stripped(text, start, end);
        return w.end() > w.start() ? w : stripped(text, 0, text.length());
    }

    /**
     * A window of the text around the span (or its start), for quoting inside an instruction, without surrounding
     * whitespace.
     */
    static Span quoteWindowSpan(String text, Span span, int contextChars) {
        if (span == null) {
            return prefixWindowSpan(text, null, 2 * contextChars);
        }
        int start = Math.max(0, span.start() - contextChars);
        int end = Math.min(text.length(), span.end() + contextChars);
        return stripped(text, start, end);
    }

    private static Span stripped(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new Span(start, end);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Prefix style only. Per hard example and prompt ({@link Builder#optPromptsPerExample}, walking down the salient
     * spans as {@link #teachingPrompts} does): the text from at most {@link Builder#optContextChars contextChars}
     * characters before the span (moved forward to a word start) up to the span's start, without surrounding
     * whitespace and without a hint line (the prompt must be real text only). When no text precedes the span, the
     * prompt ends with the span instead (as in {@link #teachingPrompts}); without spans (no saliency) it is the start
     * of the window. The prompt's {@code salient_span} attribute names the span it stands in for.
     *
     * @throws IllegalStateException in instruction style, whose prompts are not real text to continue
     */
    @Override
    public List<Prompt> maskedContextPrompts(int iteration, Feedback feedback) {
        checkIteration(iteration);
        Objects.requireNonNull(feedback, "feedback");
        if (style != Style.PREFIX) {
            throw new IllegalStateException("masked-context teaching needs prefix-style teaching prompts (real text the "
                    + "Student can read as context); this curriculum has style " + style);
        }
        return perExampleAndSpan(feedback, (h, span) -> {
            String doc = h.document().text();
            Span window = span == null ? prefixWindowSpan(doc, null, contextChars)
                    : cutBeforeSpan(doc, span, contextChars);
            return new Prompt(window.of(doc), teachingProvenance(iteration, h, span)
                    .with(ProvenanceKeys.REAL_CONTEXT, "true"));
        });
    }

    /** A teaching prompt's provenance: kind, hard example, its source and the salient span (when there is one). */
    private static Provenance teachingProvenance(int iteration, HardExample h, Span span) {
        Provenance p = Provenance.of("curriculum", iteration)
                .with(ProvenanceKeys.KIND, ProvenanceKeys.TEACHING)
                .with(ProvenanceKeys.HARD_EXAMPLE, h.document().id())
                .with(ProvenanceKeys.SOURCE_OF_EXAMPLE, h.document().provenance().source());
        return span == null ? p : p.with(ProvenanceKeys.SALIENT_SPAN, span.start() + ":" + span.end());
    }

    /**
     * The text before the span: from at most {@code contextChars} characters before it (moved forward to a word
     * start) to the span's start, stripped; the window ending with the span when nothing but whitespace precedes it.
     */
    static Span cutBeforeSpan(String text, Span span, int contextChars) {
        int start = Math.max(0, span.start() - contextChars);
        if (start > 0) {
            int s = start;
            while (s < span.start() && !Character.isWhitespace(text.charAt(s - 1))) {
                s++;
            }
            start = s;
        }
        Span w = stripped(text, start, span.start());
        return w.end() > w.start() ? w : prefixWindowSpan(text, span, contextChars);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void checkIteration(int iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
    }

    /** Options of {@link TemplateCurriculum}. */
    public static final class Builder {
        private Style style = Style.PREFIX;
        private List<String> topics = DEFAULT_TOPICS;
        private List<String> topicTemplates;
        private String teachingTemplate = PROPOSAL_TEACHING_TEMPLATE;
        private int contextChars = 160;
        private int promptsPerExample = 1;
        private double nearDuplicateThreshold;
        private int shingleWords = MinHash.DEFAULT_SHINGLE_WORDS;
        private int minHashes = MinHash.DEFAULT_HASHES;

        private Builder() {}

        /** Prompt style. Default {@link Style#PREFIX}. */
        public Builder optStyle(Style value) {
            this.style = Objects.requireNonNull(value, "style");
            return this;
        }

        /** Topics drawn for Step A. Default {@link #DEFAULT_TOPICS}. */
        public Builder optTopics(List<String> value) {
            if (value.isEmpty() || value.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw new IllegalArgumentException("topics must be a non-empty list of non-blank strings");
            }
            this.topics = List.copyOf(value);
            return this;
        }

        /**
         * Step A templates, each containing {@code {topic}}. Default: {@link #DEFAULT_PREFIX_TEMPLATES} in prefix
         * style, {@link #PROPOSAL_TOPIC_TEMPLATE} in instruction style.
         */
        public Builder optTopicTemplates(List<String> value) {
            if (value.isEmpty() || value.stream().anyMatch(t -> t == null || !t.contains("{topic}"))) {
                throw new IllegalArgumentException("every topic template must contain {topic}");
            }
            this.topicTemplates = List.copyOf(value);
            return this;
        }

        /** Step D template of instruction style, containing {@code {text}}. Default the proposal's. */
        public Builder optTeachingTemplate(String value) {
            if (value == null || !value.contains("{text}")) {
                throw new IllegalArgumentException("the teaching template must contain {text}");
            }
            this.teachingTemplate = value;
            return this;
        }

        /** Characters of context before the salient span in a teaching prompt. Default 160. */
        public Builder optContextChars(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("contextChars must be >= 1, got " + value);
            }
            this.contextChars = value;
            return this;
        }

        /** Teaching prompts per hard example. Default 1. */
        public Builder optPromptsPerExample(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("promptsPerExample must be >= 1, got " + value);
            }
            this.promptsPerExample = value;
            return this;
        }

        /**
         * Drop generated samples whose estimated Jaccard similarity (MinHash over word shingles) to an accepted
         * earlier sample of the same strategy is at least {@code threshold}, in (0, 1]; {@code 0} switches the
         * control off. Default 0 (off). 0.7 is a common choice (Self-Instruct's ROUGE-L cut is 0.7).
         */
        public Builder optNearDuplicateThreshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("near-duplicate threshold must be in [0, 1], got " + threshold);
            }
            this.nearDuplicateThreshold = threshold;
            return this;
        }

        /** Words per shingle of the near-duplicate control. Default {@link MinHash#DEFAULT_SHINGLE_WORDS} (3). */
        public Builder optShingleWords(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("shingleWords must be >= 1, got " + value);
            }
            this.shingleWords = value;
            return this;
        }

        /** MinHash functions of the near-duplicate control. Default {@link MinHash#DEFAULT_HASHES} (128). */
        public Builder optMinHashes(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("minHashes must be >= 1, got " + value);
            }
            this.minHashes = value;
            return this;
        }

        public TemplateCurriculum build() {
            return new TemplateCurriculum(this);
        }
    }
}
