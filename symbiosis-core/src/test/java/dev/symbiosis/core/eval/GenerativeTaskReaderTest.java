package dev.symbiosis.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.corpus.CorpusFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerativeTaskReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsTheProjectFormat() throws IOException {
        Path p = file("gen.jsonl", """
                {"id": "g-1", "task": "arith", "prompt": "2+2 is", "answers": ["4", "four"], "source": "template", "metadata": {"extract": "first_number", "template": 3}}

                {"id": 7, "prompt": "Capital of France?", "answers": "Paris"}
                """);
        List<GenerativeItem> items = GenerativeTaskReader.read(p);
        assertEquals(2, items.size());
        GenerativeItem a = items.get(0);
        assertEquals(List.of("4", "four"), a.references());
        assertEquals(Map.of("extract", "first_number", "template", "3"), a.metadata());
        assertEquals("template", a.source());
        GenerativeItem b = items.get(1);
        assertEquals("7", b.id());
        assertEquals("gen", b.task());
        assertEquals("gen", b.source());
        assertEquals(List.of("Paris"), b.references());
    }

    @Test
    void readsGsm8kAsIs() throws IOException {
        Path p = file("gsm8k.jsonl", """
                {"question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?", "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\\n#### 72"}
                """);
        GenerativeItem it = GenerativeTaskReader.read(p).get(0);
        assertEquals("gsm8k.jsonl:1", it.id());
        assertEquals("gsm8k", it.task());
        assertEquals(List.of("72"), it.references());
        assertTrue(ExactMatch.create().check(it, " 48 + 24 = 72\n#### 72").correct());
    }

    private void assertError(String content, String... fragments) throws IOException {
        Path p = file("bad.jsonl", content);
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> GenerativeTaskReader.read(p));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), e.getMessage() + " should contain " + f);
        }
    }

    @Test
    void badInputNamesFileLineAndField() throws IOException {
        assertError("{\"prompt\": \"p\"}\n", "bad.jsonl:1", "answers", "missing answer");
        assertError("{\"prompt\": \"p\", \"answers\": \"1\"}\n{\"answers\": [\"1\"]}\n", "bad.jsonl:2", "missing prompt");
        assertError("{\"prompt\": \"p\", \"answers\": []}\n", "bad.jsonl:1", "'answers'", "empty");
        assertError("{\"prompt\": \"p\", \"answers\": [\"1\", \" \"]}\n", "answers[1]", "blank");
        assertError("{\"question\": \"q\", \"answer\": \"so 4 ####  \"}\n", "'answer'", "nothing after");
        assertError("{\"prompt\": \"p\", \"answers\": {\"a\": 1}}\n", "expected a string or an array");
        assertError("{\"prompt\": \"p\", \"answers\": [true]}\n", "element 0 must be a string");
        assertError("{\"prompt\": 3, \"answers\": \"1\"}\n", "'prompt'", "a number");
        assertError("{\"prompt\": \"p\", \"answers\": \"1\", \"metadata\": {\"extract\": \"regex\"}}\n",
                "metadata.extract", "unknown answer extractor");
        assertError("{\"prompt\": \"p\", \"answers\": \"1\", \"metadata\": [1]}\n", "'metadata'", "an object");
        assertError("{\"id\": \"x\", \"prompt\": \"p\", \"answers\": \"1\"}\n{\"id\": \"x\", \"prompt\": \"p\", "
                + "\"answers\": \"1\"}\n", "bad.jsonl:2", "duplicate id 'x'", "bad.jsonl:1");
        assertError("{\"prompt\": \"p\", \"answers\": \"1\"\n", "bad.jsonl:1", "malformed JSON");
        assertError("", "file is empty");
        assertError("\n  \n", "no items");
    }
}
