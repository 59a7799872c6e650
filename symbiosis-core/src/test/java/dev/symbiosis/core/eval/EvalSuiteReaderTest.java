package dev.symbiosis.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.corpus.CorpusFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSuiteReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static MultipleChoiceItem only(Path p) throws IOException {
        List<MultipleChoiceItem> items = EvalSuiteReader.readItems(p, EvalSuiteReader.Options.defaults());
        assertEquals(1, items.size());
        return items.get(0);
    }

    @Test
    void readsTheProjectFormat() throws IOException {
        Path p = file("tasks.jsonl", """
                {"id": "cloze-0001", "task": "cloze", "context": "It is a truth universally", "choices": ["a","b","c","d"], "answer": 2, "source": "austen"}

                {"id": "arc-1", "task": "arc", "context": "Q?", "choices": ["x","y"], "answer": 0}
                {"id": "cloze-0002", "task": "cloze", "context": "C", "choices": ["p","q"], "answer": 1, "source": "web"}
                """);
        EvalSuite suite = EvalSuiteReader.read(p);
        assertEquals(List.of("cloze", "arc"), suite.taskNames());
        MultipleChoiceItem first = suite.items().get(0);
        assertEquals(new MultipleChoiceItem("cloze-0001", "cloze", "It is a truth universally",
                List.of("a", "b", "c", "d"), 2, "austen"), first);
        assertEquals("It is a truth universally c", first.scoredText(2));
        assertEquals("arc", suite.task("arc").orElseThrow().items().get(0).source(), "source defaults to the task");
        assertEquals(2, suite.task("cloze").orElseThrow().size());
    }

    @Test
    void acceptsLmEvalHarnessAliases() throws IOException {
        // lm-eval's processed HellaSwag: query / choices / gold
        MultipleChoiceItem h = only(file("hellaswag.jsonl",
                "{\"query\": \"Q\", \"ctx\": \"ignored\", \"choices\": [\"a\", \"b\", \"c\"], \"gold\": 1}\n"));
        assertEquals("Q", h.context());
        assertEquals(1, h.answer());
        assertEquals("hellaswag", h.task(), "task defaults to the file name stem");
        assertEquals("hellaswag.jsonl:1", h.id());
        // HF HellaSwag: ctx / endings / label as a digit string
        MultipleChoiceItem hf = only(file("hs.jsonl",
                "{\"ind\": 4, \"ctx\": \"C\", \"endings\": [\"e0\", \"e1\", \"e2\", \"e3\"], \"label\": \"2\"}\n"));
        assertEquals(2, hf.answer());
        assertEquals(List.of("e0", "e1", "e2", "e3"), hf.choices());
        // ARC: question / choices {text, label} / answerKey letter
        MultipleChoiceItem arc = only(file("arc.jsonl", "{\"id\": \"Mercury_1\", \"question\": \"Which?\", "
                + "\"choices\": {\"text\": [\"w\", \"x\", \"y\", \"z\"], \"label\": [\"A\", \"B\", \"C\", \"D\"]}, "
                + "\"answerKey\": \"C\"}\n"));
        assertEquals("Mercury_1", arc.id());
        assertEquals(2, arc.answer());
        // ARC with numeric labels: the label wins over reading "1" as an index
        MultipleChoiceItem arcNum = only(file("arc2.jsonl", "{\"question\": \"Which?\", \"choices\": {\"text\": "
                + "[\"w\", \"x\", \"y\"], \"label\": [\"1\", \"2\", \"3\"]}, \"answerKey\": \"1\"}\n"));
        assertEquals(0, arcNum.answer());
        // prompt / options / answer as the choice text itself
        MultipleChoiceItem text = only(file("piqa.jsonl",
                "{\"prompt\": \"P\", \"options\": [\"left\", \"right\"], \"answer\": \"right\"}\n"));
        assertEquals(1, text.answer());
        // a letter without labels; context beats query; integer id
        MultipleChoiceItem letter = only(file("mc.jsonl", "{\"id\": 7, \"context\": \"ctx wins\", \"query\": \"q\", "
                + "\"choices\": [\"a1\", \"a2\", \"a3\"], \"answer\": \"b\", \"task\": \"letters\"}\n"));
        assertEquals(1, letter.answer());
        assertEquals("ctx wins", letter.context());
        assertEquals("7", letter.id());
        assertEquals("letters", letter.task());
    }

    private CorpusFormatException fails(String content) throws IOException {
        Path p = file("bad.jsonl", content);
        return assertThrows(CorpusFormatException.class, () -> EvalSuiteReader.read(p));
    }

    private static void assertAt(CorpusFormatException e, long line, String fragment) {
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file() + ":" + line + ":"), e.getMessage());
        assertTrue(e.file().toString().endsWith("bad.jsonl"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void everyErrorNamesFileLineAndField() throws IOException {
        String ok = "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": 0}\n";
        assertAt(fails(ok + "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": 2}\n"), 2,
                "field 'answer': answer index 2 is out of range for 2 choices");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": -1}\n"), 1,
                "field 'gold': answer index -1 is out of range");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\"], \"answer\": 0}\n"), 1,
                "field 'choices': needs at least 2 choices, got 1");
        assertAt(fails("{\"choices\": [\"a\", \"b\"], \"answer\": 0}\n"), 1, "field 'context': missing context");
        assertAt(fails("{\"question\": {\"stem\": \"s\"}, \"choices\": [\"a\", \"b\"], \"answer\": 0}\n"), 1,
                "field 'question': expected a non-blank string, got an object");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", \"b\"]}\n"), 1, "field 'answer': missing answer");
        assertAt(fails("{\"context\": \"c\", \"answer\": 0}\n"), 1, "field 'choices': missing choices");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", 3], \"answer\": 0}\n"), 1,
                "field 'choices': element 1 must be a string, got a number");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", \"\"], \"answer\": 0}\n"), 1,
                "field 'choices': choice 1 is empty");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": \"zz\"}\n"), 1,
                "field 'answer': answer 'zz' matches no choice");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": \"D\"}\n"), 1,
                "answer letter D is out of range for 2 choices");
        assertAt(fails("{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": [0, 1]}\n"), 1,
                "several right answers are not supported");
        assertAt(fails("{\"context\": \"c\", \"choices\": {\"text\": [\"a\", \"b\"], \"label\": [\"A\"]}, "
                + "\"answerKey\": \"A\"}\n"), 1, "field 'choices.label': 1 labels for 2 choices");
        assertAt(fails("{\"context\": \"c\", \"choices\": {\"label\": [\"A\"]}, \"answerKey\": \"A\"}\n"), 1,
                "field 'choices': an object of choices needs a \"text\" array");
        assertAt(fails("{\"id\": \"x\", " + ok.substring(1) + "{\"id\": \"x\", " + ok.substring(1)), 2,
                "field 'id': duplicate id 'x' (first seen at ");
        assertAt(fails("{\"task\": \"\", " + ok.substring(1)), 1, "field 'task': expected a non-blank string");
        assertAt(fails(ok + "{\"context\": \"c\" \"choices\"}\n"), 2, "malformed JSON");
    }

    @Test
    void duplicateIdsAcrossFilesAndEmptyFiles() throws IOException {
        Path a = file("a.jsonl", "{\"id\": \"q1\", \"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": 0}\n");
        Path b = file("b.jsonl", "{\"id\": \"q2\", \"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": 0}\n"
                + "{\"id\": \"q1\", \"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": 1}\n");
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> EvalSuiteReader.read(List.of(a, b), EvalSuiteReader.Options.defaults()));
        assertTrue(e.getMessage().startsWith(b + ":2: field 'id': duplicate id 'q1' (first seen at " + a + ":1)"),
                e.getMessage());
        Path empty = file("empty.jsonl", "");
        e = assertThrows(CorpusFormatException.class, () -> EvalSuiteReader.read(empty));
        assertEquals(empty + ": file is empty", e.getMessage());
    }

    @Test
    void readsGzipAndUsesTheDefaultTask() throws IOException {
        Path gz = dir.resolve("arc_easy.jsonl.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write("{\"query\": \"q\", \"choices\": [\"a\", \"b\"], \"gold\": 1}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("arc_easy", only(gz).task());
        List<MultipleChoiceItem> items = EvalSuiteReader.readItems(gz,
                EvalSuiteReader.Options.defaults().withDefaultTask("headline"));
        assertEquals("headline", items.get(0).task());
        assertEquals("headline", items.get(0).source());
    }

    @Test
    void valueTypesValidate() {
        MultipleChoiceItem ok = new MultipleChoiceItem("i", "t", "c", List.of("a", "b"), 1, "s");
        assertThrows(IllegalArgumentException.class, () -> new MultipleChoiceItem("i", "t", "c", List.of("a"), 0, "s"));
        assertThrows(IllegalArgumentException.class,
                () -> new MultipleChoiceItem("i", "t", "c", List.of("a", "b"), 2, "s"));
        assertThrows(IllegalArgumentException.class,
                () -> new MultipleChoiceItem("i", "t", " ", List.of("a", "b"), 0, "s"));
        assertThrows(IllegalArgumentException.class, () -> new EvalTask("t", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EvalTask("u", List.of(ok)));
        assertThrows(IllegalArgumentException.class, () -> new EvalTask("t", List.of(ok, ok)));
        assertThrows(IllegalArgumentException.class, () -> new EvalSuite(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EvalSuite(List.of(new EvalTask("t", List.of(ok)),
                new EvalTask("t2", List.of(new MultipleChoiceItem("i", "t2", "c", List.of("a", "b"), 0, "s"))))));
        MultipleChoiceItem p = ok.permuted(new int[] {1, 0});
        assertEquals(List.of("b", "a"), p.choices());
        assertEquals(0, p.answer());
        assertThrows(IllegalArgumentException.class, () -> ok.permuted(new int[] {0, 0}));
    }
}
