package dev.symbiosis.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.CorpusFormatException;
import dev.symbiosis.core.corpus.JsonLines;
import dev.symbiosis.core.corpus.Utf8LineReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads multiple-choice tasks from JSON Lines (UTF-8, {@code .gz} decompressed, blank lines skipped), one item per
 * line, in the project's format
 *
 * <pre>{"id": "cloze-0001", "task": "cloze", "context": "...", "choices": ["a","b","c","d"], "answer": 2,
 * "source": "austen"}</pre>
 *
 * <p>or as lm-evaluation-harness style multiple-choice JSONL, as is. Exactly this is accepted (the first field
 * present in each list wins; other fields are ignored):
 * <ul>
 *   <li><b>context</b>: {@code "context"}, {@code "query"}, {@code "ctx"}, {@code "question"}, {@code "prompt"}; a
 *       non-blank string;</li>
 *   <li><b>choices</b>: {@code "choices"}, {@code "endings"}, {@code "options"}; either an array of non-empty strings
 *       or an object {@code {"text": [...], "label": [...]}} as in ARC (labels optional; when given, one string per
 *       choice); at least 2 choices;</li>
 *   <li><b>answer</b>: {@code "answer"}, {@code "gold"}, {@code "label"}, {@code "answerKey"}; either an integer
 *       (0-based index) or a string, resolved in this order: (1) equal to one of the choice labels; (2) equal to
 *       exactly one choice's text (the answer string itself); (3) a decimal integer, read as a 0-based index (as
 *       HellaSwag's {@code "label": "2"}); (4) a single letter {@code A}-{@code Z} (case-insensitive) when there are
 *       no labels, read as {@code A = 0}. Arrays (several right answers) are refused;</li>
 *   <li><b>id</b>: {@code "id"}, a non-blank string or integer; default {@code "<file name>:<line>"};</li>
 *   <li><b>task</b>: {@code "task"}, a non-blank string; default {@link Options#defaultTask()}, else the file name
 *       without {@code .gz} and {@code .jsonl}/{@code .json}/{@code .ndjson};</li>
 *   <li><b>source</b>: {@code "source"}, a non-blank string; default the task name.</li>
 * </ul>
 *
 * <p>Errors are {@link CorpusFormatException}s naming file, line and field: malformed JSON (with column), missing
 * context/choices/answer, a field of the wrong type, fewer than 2 choices, an empty choice, an answer index out of
 * range, an answer string matching nothing (or several choices), a duplicate id (naming where it was first seen, also
 * across files), invalid UTF-8, a line over the limit, an empty file.
 *
 * <p>Stateless and thread-safe. Reads one file at a time into memory (evaluation sets are small).
 */
public final class EvalSuiteReader {

    static final List<String> CONTEXT_FIELDS = List.of("context", "query", "ctx", "question", "prompt");
    static final List<String> CHOICE_FIELDS = List.of("choices", "endings", "options");
    static final List<String> ANSWER_FIELDS = List.of("answer", "gold", "label", "answerKey");

    private EvalSuiteReader() {}

    /** Reads {@code files} with default options into one suite, tasks in order of first appearance. */
    public static EvalSuite read(Path... files) throws IOException {
        return read(List.of(files), Options.defaults());
    }

    /**
     * Reads {@code files} into one suite, tasks in order of first appearance; items of one task may come from
     * several files.
     *
     * @throws CorpusFormatException naming file, line and field of the first problem
     * @throws IllegalArgumentException if {@code files} is empty
     */
    public static EvalSuite read(List<Path> files, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no task files given");
        }
        List<MultipleChoiceItem> all = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path f : files) {
            readInto(f, options, all, seen);
        }
        return EvalSuite.of(all);
    }

    /** The items of one file, in order (duplicate ids within the file are errors). */
    public static List<MultipleChoiceItem> readItems(Path file, Options options) throws IOException {
        List<MultipleChoiceItem> out = new ArrayList<>();
        readInto(file, options, out, new HashMap<>());
        return out;
    }

    private static void readInto(Path file, Options options, List<MultipleChoiceItem> out, Map<String, String> seen)
            throws IOException {
        String fileName = String.valueOf(file.getFileName());
        String defaultTask = options.defaultTask() != null ? options.defaultTask() : stem(fileName);
        boolean any = false;
        try (Utf8LineReader lines = Utf8LineReader.open(file, options.maxLineChars())) {
            String s;
            while ((s = lines.readLine()) != null) {
                if (s.isBlank()) {
                    continue;
                }
                any = true;
                long line = lines.lineNumber();
                MultipleChoiceItem item = parse(JsonLines.parseObject(s, file, line), file, line, fileName,
                        defaultTask);
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
    }

    static String stem(String fileName) {
        String n = fileName;
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
            lower = lower.substring(0, lower.length() - 3);
        }
        for (String ext : List.of(".jsonl", ".ndjson", ".json")) {
            if (lower.endsWith(ext) && n.length() > ext.length()) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    static CorpusFormatException err(Path file, long line, String field, String problem) {
        return CorpusFormatException.atLine(file, line, "field '" + field + "': " + problem);
    }

    /** An item's id (default {@code file:line}), task (default the file's) and source (default the task). */
    record Identity(String id, String task, String source) {}

    static Identity identity(ObjectNode o, Path file, long line, String fileName, String defaultTask)
            throws IOException {
        String id = optionalString(o, "id", file, line);
        String task = optionalString(o, "task", file, line);
        task = task == null ? defaultTask : task;
        String source = optionalString(o, "source", file, line);
        return new Identity(id == null ? fileName + ":" + line : id, task, source == null ? task : source);
    }

    /**
     * The non-blank string of the first of {@code names} present; an error naming {@code what} and the accepted
     * names when none is, or the field when it is not a non-blank string.
     */
    static String requiredText(ObjectNode o, List<String> names, String what, Path file, long line)
            throws IOException {
        String f = firstPresent(o, names);
        if (f == null) {
            throw err(file, line, what, "missing " + what + " (expected one of " + names + ")");
        }
        JsonNode v = o.get(f);
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw err(file, line, f, "expected a non-blank string, got "
                    + (v.isTextual() ? "a blank string" : JsonLines.describe(v)));
        }
        return v.textValue();
    }

    /** The first of {@code names} present and not null, or null. */
    static String firstPresent(ObjectNode o, List<String> names) {
        for (String n : names) {
            JsonNode v = o.get(n);
            if (v != null && !v.isNull()) {
                return n;
            }
        }
        return null;
    }

    /** The value of an optional string field (an integer too for {@code id}), or null if absent or null. */
    static String optionalString(ObjectNode o, String field, Path file, long line) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() && !v.textValue().isBlank()) {
            return v.textValue();
        }
        if (field.equals("id") && v.isIntegralNumber()) {
            return v.asText();
        }
        throw err(file, line, field, "expected a non-blank string" + (field.equals("id") ? " or an integer" : "")
                + ", got " + (v.isTextual() ? "a blank string" : JsonLines.describe(v)));
    }

    private static MultipleChoiceItem parse(ObjectNode o, Path file, long line, String fileName, String defaultTask)
            throws IOException {
        Identity who = identity(o, file, line, fileName, defaultTask);
        String id = who.id();
        String task = who.task();
        String source = who.source();

        String context = requiredText(o, CONTEXT_FIELDS, "context", file, line);

        String chf = firstPresent(o, CHOICE_FIELDS);
        if (chf == null) {
            throw err(file, line, "choices", "missing choices (expected one of " + CHOICE_FIELDS + ")");
        }
        JsonNode ch = o.get(chf);
        List<String> labels = null;
        JsonNode textArray = ch;
        if (ch.isObject()) {
            textArray = ch.get("text");
            if (textArray == null || !textArray.isArray()) {
                throw err(file, line, chf, "an object of choices needs a \"text\" array (as in ARC)");
            }
            JsonNode l = ch.get("label");
            if (l != null && !l.isNull()) {
                labels = strings(l, file, line, chf + ".label");
                if (labels.size() != textArray.size()) {
                    throw err(file, line, chf + ".label", labels.size() + " labels for " + textArray.size()
                            + " choices");
                }
            }
        } else if (!ch.isArray()) {
            throw err(file, line, chf, "expected an array of strings or {\"text\": [...], \"label\": [...]}, got "
                    + JsonLines.describe(ch));
        }
        String choicesName = ch.isObject() ? chf + ".text" : chf;
        List<String> choices = strings(textArray, file, line, choicesName);
        if (choices.size() < 2) {
            throw err(file, line, choicesName, "needs at least 2 choices, got " + choices.size());
        }
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).isEmpty()) {
                throw err(file, line, choicesName, "choice " + i + " is empty");
            }
        }

        String af = firstPresent(o, ANSWER_FIELDS);
        if (af == null) {
            throw err(file, line, "answer", "missing answer (expected one of " + ANSWER_FIELDS + ")");
        }
        int answer = answerIndex(o.get(af), choices, labels, file, line, af);
        try {
            return new MultipleChoiceItem(id, task, context, choices, answer, source);
        } catch (IllegalArgumentException e) {
            throw CorpusFormatException.atLine(file, line, e.getMessage());
        }
    }

    private static List<String> strings(JsonNode arr, Path file, long line, String field) throws IOException {
        if (!arr.isArray()) {
            throw err(file, line, field, "expected an array of strings, got " + JsonLines.describe(arr));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (!e.isTextual()) {
                throw err(file, line, field, "element " + i + " must be a string, got " + JsonLines.describe(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    static int answerIndex(JsonNode a, List<String> choices, List<String> labels, Path file, long line, String field)
            throws IOException {
        int n = choices.size();
        if (a.isIntegralNumber()) {
            if (!a.canConvertToInt() || a.intValue() < 0 || a.intValue() >= n) {
                throw err(file, line, field, "answer index " + a.asText() + " is out of range for " + n
                        + " choices (0.." + (n - 1) + ")");
            }
            return a.intValue();
        }
        if (!a.isTextual()) {
            throw err(file, line, field, "expected an integer index or a string, got " + JsonLines.describe(a)
                    + (a.isArray() ? " (several right answers are not supported)" : ""));
        }
        String s = a.textValue().strip();
        if (labels != null) {
            int i = labels.indexOf(s);
            if (i >= 0) {
                return i;
            }
        }
        int match = -1;
        for (int i = 0; i < n; i++) {
            if (choices.get(i).equals(a.textValue()) || choices.get(i).strip().equals(s)) {
                if (match >= 0 && !choices.get(match).equals(choices.get(i))) {
                    throw err(file, line, field, "answer '" + a.textValue() + "' matches several choices");
                }
                if (match < 0) {
                    match = i;
                }
            }
        }
        if (match >= 0) {
            return match;
        }
        if (s.matches("-?\\d{1,9}")) {
            int i = Integer.parseInt(s);
            if (i < 0 || i >= n) {
                throw err(file, line, field, "answer index " + i + " is out of range for " + n + " choices (0.."
                        + (n - 1) + ")");
            }
            return i;
        }
        if (labels == null && s.length() == 1 && Character.isLetter(s.charAt(0))) {
            char ch = Character.toUpperCase(s.charAt(0));
            if (ch >= 'A' && ch <= 'Z') {
                int i = ch - 'A';
                if (i >= n) {
                    throw err(file, line, field, "answer letter " + ch + " is out of range for " + n + " choices (A.."
                            + (char) ('A' + n - 1) + ")");
                }
                return i;
            }
        }
        throw err(file, line, field, "answer '" + a.textValue() + "' matches no choice"
                + (labels != null ? " and no label of " + labels : "") + " and is not an index or letter");
    }

    /**
     * Options of the task reader. Immutable.
     *
     * @param defaultTask task of items without a {@code "task"} field, or {@code null} for the file name stem
     * @param maxLineChars longest line accepted, in UTF-16 chars (default
     *     {@value Utf8LineReader#DEFAULT_MAX_LINE_CHARS})
     */
    public record Options(String defaultTask, int maxLineChars) {

        public Options {
            if (defaultTask != null && defaultTask.isBlank()) {
                throw new IllegalArgumentException("defaultTask must be null or non-blank");
            }
            if (maxLineChars < 1) {
                throw new IllegalArgumentException("maxLineChars must be >= 1, got " + maxLineChars);
            }
        }

        public static Options defaults() {
            return new Options(null, Utf8LineReader.DEFAULT_MAX_LINE_CHARS);
        }

        public Options withDefaultTask(String task) {
            return new Options(task, maxLineChars);
        }

        public Options withMaxLineChars(int max) {
            return new Options(defaultTask, max);
        }
    }
}
