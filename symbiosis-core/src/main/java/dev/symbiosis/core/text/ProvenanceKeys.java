package dev.symbiosis.core.text;

import org.jspecify.annotations.NullMarked;

/**
 * The names and values of the {@link Provenance} attributes that one part of the library writes and another
 * reads (the curriculum writes a prompt's kind and topic, the loop copies them to training texts and counts them in
 * the feedback analytics), so writer and reader share one constant instead of repeating a string.
 */
@NullMarked
public final class ProvenanceKeys {

    /** A prompt's kind: {@link #TOPIC} or {@link #TEACHING} (or {@code "eval"} for evaluation prompts). */
    public static final String KIND = "kind";
    /** Value of {@link #KIND} (and {@link #PROMPT_KIND}): a Step A topic prompt. */
    public static final String TOPIC_KIND = "topic";
    /** Value of {@link #KIND} (and {@link #PROMPT_KIND}): a Step D teaching prompt. */
    public static final String TEACHING = "teaching";
    /** A topic prompt's topic (copied to the training text). */
    public static final String TOPIC = "topic";
    /** Index of the template a topic prompt was made from. */
    public static final String TEMPLATE = "template";
    /** The id of the hard example a teaching prompt was made from. */
    public static final String HARD_EXAMPLE = "hard_example";
    /** The source (domain) of the hard example a teaching prompt was made from (copied to the training text). */
    public static final String SOURCE_OF_EXAMPLE = "source_of_example";
    /** The salient span {@code start:end} a teaching prompt ends at. */
    public static final String SALIENT_SPAN = "salient_span";
    /** The gradient hints a teaching prompt renders ({@code word>contrast|contrast;...}). */
    public static final String HINTS = "hints";
    /** On a training text: the {@link #KIND} of the prompt its sample came from. */
    public static final String PROMPT_KIND = "prompt_kind";
    /** On a mined window of a long document: its character range {@code start:end} in the document. */
    public static final String WINDOW = "window";
    /**
     * On a teaching prompt: {@code "true"} when the prompt is real pool text only (cut right before the salient
     * span, no hint line), so that the Student may read it as the real context of the Generator's completion
     * (masked-context teaching, issue 17).
     */
    public static final String REAL_CONTEXT = "real_context";
    /** A document's domain, when it differs from its source. */
    public static final String DOMAIN = "domain";

    private ProvenanceKeys() {}
}
