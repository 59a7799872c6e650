package dev.symbiosis.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a Generator's prompt reaches an instruction-tuned model: wrapped as one user turn of the model family's chat
 * format, ending where the assistant's answer begins, so that the proposal's instruction templates arrive as
 * instructions. Base models (the embedded tiny ones, Pythia) use {@link #plain()}: the prompt is a prefix.
 *
 * <p>Formats: {@link #llama3()} (Llama 3 / 3.1 Instruct), {@link #llama2()} ({@code [INST]}), {@link #chatMl()}
 * ({@code <|im_start|>}, e.g. Qwen), or any {@link #of template} with one {@code {prompt}} placeholder. A model
 * checkpoint's format is {@link #detect detected} from the {@code chat_template} of its
 * {@code tokenizer_config.json}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChatFormat {

    /** The placeholder a template holds once. */
    public static final String PLACEHOLDER = "{prompt}";

    private static final ChatFormat PLAIN = new ChatFormat("plain", PLACEHOLDER, List.of());
    private static final ChatFormat LLAMA3 = new ChatFormat("llama3",
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + PLACEHOLDER
                    + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            List.of("<|eot_id|>"));
    private static final ChatFormat LLAMA2 = new ChatFormat("llama2", "<s>[INST] " + PLACEHOLDER + " [/INST]",
            List.of("</s>"));
    private static final ChatFormat CHATML = new ChatFormat("chatml",
            "<|im_start|>user\n" + PLACEHOLDER + "<|im_end|>\n<|im_start|>assistant\n", List.of("<|im_end|>"));

    private final String name;
    private final String before;
    private final String after;
    private final List<String> endOfTurn;

    private ChatFormat(String name, String template, List<String> endOfTurn) {
        int at = template.indexOf(PLACEHOLDER);
        if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("a chat template needs exactly one " + PLACEHOLDER + ": " + template);
        }
        this.name = name;
        this.before = template.substring(0, at);
        this.after = template.substring(at + PLACEHOLDER.length());
        this.endOfTurn = List.copyOf(endOfTurn);
    }

    /** No wrapping: the prompt is a prefix to continue (base models). */
    public static ChatFormat plain() {
        return PLAIN;
    }

    /**
     * Llama 3 Instruct: {@code <|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n{prompt}<|eot_id|>
     * <|start_header_id|>assistant<|end_header_id|>\n\n}; the answer ends with {@code <|eot_id|>}.
     */
    public static ChatFormat llama3() {
        return LLAMA3;
    }

    /** Llama 2 Chat: {@code <s>[INST] {prompt} [/INST]}; the answer ends with {@code </s>}. */
    public static ChatFormat llama2() {
        return LLAMA2;
    }

    /** ChatML: {@code <|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n}; ends with {@code <|im_end|>}. */
    public static ChatFormat chatMl() {
        return CHATML;
    }

    /**
     * A custom format.
     *
     * @param template text with exactly one {@code {prompt}}
     * @param endOfTurn special tokens that end the answer (may be empty: then end-of-text ends it)
     */
    public static ChatFormat of(String name, String template, List<String> endOfTurn) {
        return new ChatFormat(Objects.requireNonNull(name), Objects.requireNonNull(template), endOfTurn);
    }

    /**
     * The format of a checkpoint: read from {@code tokenizer_config.json}'s {@code chat_template} (a Jinja template;
     * recognised by its markers: {@code <|start_header_id|>} Llama 3, {@code [INST]} Llama 2, {@code <|im_start|>}
     * ChatML); {@link #plain()} when the file or the field is absent.
     *
     * @throws IOException naming the file when it is not JSON, or when it has a chat template of an unknown kind
     *     (then pass a format explicitly)
     */
    public static ChatFormat detect(Path tokenizerConfig) throws IOException {
        if (!Files.exists(tokenizerConfig)) {
            return PLAIN;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(tokenizerConfig));
        } catch (IOException e) {
            throw new IOException(tokenizerConfig + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode t = root == null ? null : root.get("chat_template");
        if (t == null || t.isNull()) {
            return PLAIN;
        }
        String template;
        if (t.isTextual()) {
            template = t.asText();
        } else if (t.isArray()) {
            // a list of named templates: use "default"
            template = null;
            for (JsonNode n : t) {
                if ("default".equals(n.path("name").asText())) {
                    template = n.path("template").asText();
                }
            }
            if (template == null) {
                throw new IOException(tokenizerConfig + ": field chat_template lists no template named \"default\"");
            }
        } else {
            throw new IOException(tokenizerConfig + ": field chat_template must be a string or a list, got " + t);
        }
        if (template.contains("<|start_header_id|>")) {
            return LLAMA3;
        }
        if (template.contains("<|im_start|>")) {
            return CHATML;
        }
        if (template.contains("[INST]")) {
            return LLAMA2;
        }
        throw new IOException(tokenizerConfig + ": field chat_template is of a kind this library does not recognise"
                + " (known: Llama 3, Llama 2 [INST], ChatML); choose a format with optChatFormat");
    }

    /** The format's name: plain, llama3, llama2, chatml, or a custom name. */
    public String name() {
        return name;
    }

    /** Whether prompts pass unchanged. */
    public boolean isPlain() {
        return this == PLAIN || (before.isEmpty() && after.isEmpty());
    }

    /** The text the model sees for {@code prompt}. */
    public String wrap(String prompt) {
        return before + prompt + after;
    }

    /** Special tokens that end an answer, besides end-of-text. */
    public List<String> endOfTurn() {
        return endOfTurn;
    }

    @Override
    public String toString() {
        return "ChatFormat[" + name + "]";
    }
}
