package dev.symbiosis.core.eval;

import static dev.symbiosis.core.eval.EvalSuiteReader.err;
import static dev.symbiosis.core.eval.EvalSuiteReader.firstPresent;
import static dev.symbiosis.core.eval.EvalSuiteReader.identity;
import static dev.symbiosis.core.eval.EvalSuiteReader.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.CorpusFormatException;
import dev.symbiosis.core.corpus.JsonLines;
import dev.symbiosis.core.corpus.Utf8LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads generative (generate-and-check) tasks from JSON Lines (UTF-8, {@code .gz} decompressed, blank lines skipped),
 * one item per line, in the project's format
 *
 * <pre>{"id": "arith-gen-0001", "task": "arithmetic-gen", "prompt": "... The answer is", "answers": ["84"],
 * "source": "template", "metadata": {"extract": "first_number"}}</pre>
 *
 * <p>or as GSM8K's JSONL ({@code {"question": ..., "answer": "reasoning ...\n#### 42"}}) as is. Exactly this is
 * accepted (the first field present in each list wins; other fields are ignored):
 * <ul>
 *   <li><b>prompt</b>: {@code "prompt"}, {@code "question"}, {@code "context"}, {@code "input"}, {@code "problem"};
 *       a non-blank string, continued as is (add your own "Answer:" cue);</li>
 *   <li><b>answers</b>: {@code "answers"}, {@code "answer"}, {@code "references"}, {@code "target"}; a non-blank
 *       string or a non-empty array of non-blank strings (any of which is right). A string containing
 *       {@code "####"} is a GSM8K solution: the reference is the text after the last {@code "####"}, stripped, and
 *       must not be empty;</li>
 *   <li><b>id</b>: {@code "id"}, a non-blank string or integer; default {@code "<file name>:<line>"};</li>
 *   <li><b>task</b>: {@code "task"}, a non-blank string; default {@link EvalSuiteReader.Options#defaultTask()}, else
 *       the file name without {@code .gz} and {@code .jsonl}/{@code .json}/{@code .ndjson};</li>
 *   <li><b>source</b>: {@code "source"}, a non-blank string; default the task name;</li>
 *   <li><b>metadata</b>: {@code "metadata"}, an object of strings, numbers or booleans (kept as strings); the key
 *       {@code "extract"} names the {@link AnswerExtractor} of the default checker ({@code last_number},
 *       {@code first_number}, {@code first_line}).</li>
 * </ul>
 *
 * <p>Errors are {@link CorpusFormatException}s naming file, line and field: malformed JSON (with column), missing
 * prompt or answer, a field of the wrong type, an empty answer list, a blank answer, a GSM8K answer with nothing after
 * {@code "####"}, an unknown extractor, a duplicate id (naming where it was first seen, also across files), invalid
 * UTF-8, a line over the limit, an empty file.
 *
 * <p>Stateless and thread-safe. Reads one file at a time into memory (evaluation sets are small).
 */
public final class GenerativeTaskReader {

    static final List<String> PROMPT_FIELDS = List.of("prompt", "question", "context", "input", "problem");
    static final List<String> ANSWER_FIELDS = List.of("answers", "answer", "references", "target");
    /** GSM8K's final-answer marker. */
    public static final String FINAL_ANSWER_MARK = "####";

    private GenerativeTaskReader() {}

    /** Reads {@code files} with default options, items in file and line order. */
    public static List<GenerativeItem> read(Path... files) throws IOException {
        return read(List.of(files), EvalSuiteReader.Options.defaults());
    }

    /**
     * Reads {@code files}, items in file and line order; ids must be unique across all files.
     *
     * @throws CorpusFormatException naming file, line and field of the first problem
     * @throws IllegalArgumentException if {@code files} is empty
     */
    public static List<GenerativeItem> read(List<Path> files, EvalSuiteReader.Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no task files given");
        }
        List<GenerativeItem> all = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path f : files) {
            readInto(f, options, all, seen);
        }
        return all;
    }

    /**
     * Reads one task file from a stream (e.g. a class-path resource; not decompressed), naming it {@code file} in
     * item ids, default task names and errors. The stream is closed.
     *
     * @throws CorpusFormatException naming {@code file}, line and field of the first problem
     */
    public static List<GenerativeItem> read(InputStream in, Path file, EvalSuiteReader.Options options)
            throws IOException {
        Objects.requireNonNull(options, "options");
        List<GenerativeItem> out = new ArrayList<>();
        try (Utf8LineReader lines = new Utf8LineReader(in, file, options.maxLineChars())) {
            readInto(lines, file, options, out, new HashMap<>());
        }
        return out;
    }

    private static void readInto(Path file, EvalSuiteReader.Options options, List<GenerativeItem> out,
            Map<String, String> seen) throws IOException {
        try (Utf8LineReader lines = Utf8LineReader.open(file, options.maxLineChars())) {
            readInto(lines, file, options, out, seen);
        }
    }

    private static void readInto(Utf8LineReader lines, Path file, EvalSuiteReader.Options options,
            List<GenerativeItem> out, Map<String, String> seen) throws IOException {
        String fileName = String.valueOf(file.getFileName());
        String defaultTask = options.defaultTask() != null ? options.defaultTask() : EvalSuiteReader.stem(fileName);
        boolean any = false;
        String s;
        while ((s = lines.readLine()) != null) {
            if (s.isBlank()) {
                continue;
            }
            any = true;
            long line = lines.lineNumber();
            GenerativeItem item = parse(JsonLines.parseObject(s, file, line), file, line, fileName, defaultTask);
            String prev = seen.putIfAbsent(item.id(), file + ":" + line);
            if (prev != null) {
                throw err(file, line, "id", "duplicate id '" + item.id() + "' (first seen at " + prev + ")");
            }
            out.add(item);
        }
        if (!any) {
            throw CorpusFormatException.ofFile(file, lines.lineNumber() == 0 ? "file is empty"
                    : "file has no items (only blank lines)");
        }
    }

    private static GenerativeItem parse(ObjectNode o, Path file, long line, String fileName, String defaultTask)
            throws IOException {
        var who = identity(o, file, line, fileName, defaultTask);
        String id = who.id();
        String task = who.task();
        String source = who.source();
        String prompt = requiredText(o, PROMPT_FIELDS, "prompt", file, line);
        String af = firstPresent(o, ANSWER_FIELDS);
        if (af == null) {
            throw err(file, line, "answers", "missing answer (expected one of " + ANSWER_FIELDS + ")");
        }
        List<String> references = references(o.get(af), file, line, af);
        Map<String, String> metadata = metadata(o.get("metadata"), file, line);
        String extract = metadata.get(GenerativeItem.EXTRACT);
        if (extract != null) {
            try {
                AnswerExtractor.named(extract);
            } catch (IllegalArgumentException e) {
                throw err(file, line, "metadata." + GenerativeItem.EXTRACT, e.getMessage());
            }
        }
        try {
            return new GenerativeItem(id, task, prompt, references, source, metadata);
        } catch (IllegalArgumentException e) {
            throw CorpusFormatException.atLine(file, line, e.getMessage());
        }
    }

    private static List<String> references(JsonNode a, Path file, long line, String field) throws IOException {
        List<String> out = new ArrayList<>();
        if (a.isTextual()) {
            out.add(reference(a.textValue(), file, line, field));
        } else if (a.isNumber()) {
            out.add(a.asText());
        } else if (a.isArray()) {
            if (a.isEmpty()) {
                throw err(file, line, field, "the list of answers is empty");
            }
            for (int i = 0; i < a.size(); i++) {
                JsonNode e = a.get(i);
                if (e.isNumber()) {
                    out.add(e.asText());
                } else if (e.isTextual()) {
                    out.add(reference(e.textValue(), file, line, field + "[" + i + "]"));
                } else {
                    throw err(file, line, field, "element " + i + " must be a string, got " + JsonLines.describe(e));
                }
            }
        } else {
            throw err(file, line, field, "expected a string or an array of strings, got " + JsonLines.describe(a));
        }
        return out;
    }

    /** A reference answer; a GSM8K solution gives its final answer. */
    static String reference(String s, Path file, long line, String field) throws IOException {
        int mark = s.lastIndexOf(FINAL_ANSWER_MARK);
        String r = mark >= 0 ? s.substring(mark + FINAL_ANSWER_MARK.length()).strip() : s;
        if (r.isBlank()) {
            throw err(file, line, field, mark >= 0 ? "nothing after the final-answer mark '####'"
                    : "the answer is blank");
        }
        return r;
    }

    private static Map<String, String> metadata(JsonNode m, Path file, long line) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (m == null || m.isNull()) {
            return out;
        }
        if (!m.isObject()) {
            throw err(file, line, "metadata", "expected an object, got " + JsonLines.describe(m));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                throw err(file, line, "metadata." + e.getKey(), "expected a string, number or boolean, got "
                        + JsonLines.describe(v));
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }
}
