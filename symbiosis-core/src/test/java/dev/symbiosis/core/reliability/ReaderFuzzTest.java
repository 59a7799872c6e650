package dev.symbiosis.core.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusFormatException;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.text.Document;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the corpus and evaluation-suite readers: arbitrary bytes, byte-level mutations of valid files and
 * structural mutations of valid records. Whatever the input, a reader returns documents / items that satisfy
 * their invariants or throws the documented {@link CorpusFormatException} with a message; it never hangs, runs out
 * of memory or throws anything else.
 */
class ReaderFuzzTest {

    private static final String CORPUS = """
            {"id": "d1", "text": "The cat sat on the mat.", "source": "web", "iteration": 0, "lang": "en"}
            {"text": "A second document\\nwith two lines", "tags": ["a", "b"]}

            {"id": 7, "text": "caf\\u00e9 \\ud83d\\ude00 done", "source": "books"}
            """;
    private static final String TASKS = """
            {"id": "c-1", "task": "cloze", "context": "It is a truth", "choices": ["a", "b", "c"], "answer": 2}
            {"query": "Q?", "endings": ["x", "y"], "label": "1", "source": "web"}
            {"question": "Which?", "choices": {"text": ["p", "q"], "label": ["A", "B"]}, "answerKey": "B"}
            """;

    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("reader-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        dev.symbiosis.core.loop.AtomicFiles.deleteTree(dir);
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static void readCorpus(Path p) {
        Fuzz.returnsOrThrowsOnly(CorpusFormatException.class, Fuzz.LIMIT, () -> {
            try (CorpusReader r = Corpora.open(p)) {
                for (Document d : r.readAll()) {
                    assertTrue(!d.text().isBlank() && !d.id().isBlank(), d.toString());
                }
            }
        });
    }

    private static void readTasks(Path p) {
        Fuzz.returnsOrThrowsOnly(CorpusFormatException.class, Fuzz.LIMIT, () -> {
            EvalSuite s = EvalSuiteReader.read(p);
            for (String t : s.taskNames()) {
                for (MultipleChoiceItem i : s.task(t).orElseThrow().items()) {
                    assertTrue(i.answer() >= 0 && i.answer() < i.choices().size() && i.choices().size() >= 2,
                            i.toString());
                }
            }
        });
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Fuzz.bytes(2048);
    }

    @Provide
    Arbitrary<byte[]> mutatedCorpus() {
        return Fuzz.mutationsOf(CORPUS.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> mutatedTasks() {
        return Fuzz.mutationsOf(TASKS.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<JsonNode> mutatedRecord() {
        return Fuzz.jsonMutationsOf(Fuzz.parse(CORPUS.lines().findFirst().orElseThrow()));
    }

    @Provide
    Arbitrary<JsonNode> mutatedItem() {
        return Fuzz.jsonMutationsOf(Fuzz.parse(TASKS.lines().skip(2).findFirst().orElseThrow()));
    }

    @Property(tries = 300)
    void jsonlCorpusOfAnyBytes(@ForAll("anyBytes") byte[] bytes) throws IOException {
        readCorpus(write("any.jsonl", bytes));
    }

    @Property(tries = 300)
    void jsonlCorpusMutated(@ForAll("mutatedCorpus") byte[] bytes) throws IOException {
        readCorpus(write("mutated.jsonl", bytes));
    }

    @Property(tries = 300)
    void jsonlRecordWithWrongTypesOrAbsurdValues(@ForAll("mutatedRecord") JsonNode record) throws IOException {
        readCorpus(write("record.jsonl", Fuzz.toBytes(record)));
    }

    @Property(tries = 150)
    void gzippedCorpusOfAnyBytesOrMutatedGzip(@ForAll("anyBytes") byte[] bytes, @ForAll("mutatedCorpus") byte[] m)
            throws IOException {
        readCorpus(write("any.jsonl.gz", bytes));
        readCorpus(write("gz.jsonl.gz", Fuzz.mutate(gzip(m), new java.util.Random(m.length))));
    }

    @Property(tries = 200)
    void plainTextCorpusOfAnyBytes(@ForAll("anyBytes") byte[] bytes) throws IOException {
        readCorpus(write("any.txt", bytes));
    }

    @Property(tries = 300)
    void evalTasksOfAnyBytes(@ForAll("anyBytes") byte[] bytes) throws IOException {
        readTasks(write("anytask.jsonl", bytes));
    }

    @Property(tries = 300)
    void evalTasksMutated(@ForAll("mutatedTasks") byte[] bytes) throws IOException {
        readTasks(write("mutatedtask.jsonl", bytes));
    }

    @Property(tries = 300)
    void evalItemWithWrongTypesOrAbsurdValues(@ForAll("mutatedItem") JsonNode item) throws IOException {
        readTasks(write("item.jsonl", Fuzz.toBytes(item)));
    }

    @net.jqwik.api.Example
    void theValidInputsAreRead() throws IOException {
        List<Document> docs;
        try (CorpusReader r = Corpora.open(write("valid.jsonl", CORPUS.getBytes(StandardCharsets.UTF_8)))) {
            docs = r.readAll();
        }
        assertTrue(docs.size() == 3, docs.toString());
        assertTrue(EvalSuiteReader.read(write("valid-tasks.jsonl", TASKS.getBytes(StandardCharsets.UTF_8)))
                .size() == 3);
    }
}
