package dev.symbiosis.core.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusFormatException;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.testing.CharBigramModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs at the edges of size: a 100 MB single line (refused at the line limit without reading it into memory,
 * naming the line), empty files and empty documents (refused naming the file or line), an empty pool (empty
 * feedback, not a crash).
 */
class LargeAndEmptyInputTest {

    @TempDir
    Path dir;

    /** A file whose second line is {@code prefix} followed by 100 MB of 'a' and {@code suffix}. */
    private Path hundredMegabyteLine(String name, String first, String prefix, String suffix) throws IOException {
        Path p = dir.resolve(name);
        byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(first.getBytes(StandardCharsets.UTF_8));
            out.write(prefix.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 100; i++) {
                out.write(chunk);
            }
            out.write(suffix.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static CorpusFormatException readFails(Path p) {
        return assertThrows(CorpusFormatException.class, () -> {
            try (CorpusReader r = Corpora.open(p)) {
                r.readAll();
            }
        });
    }

    @Test
    void aHundredMegabyteLineIsRefusedNamingTheLine() throws IOException {
        Path jsonl = hundredMegabyteLine("big.jsonl", "{\"text\": \"ok\"}\n", "{\"text\": \"", "\"}\n");
        CorpusFormatException e = readFails(jsonl);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(jsonl + ":2"), e.getMessage());
        assertTrue(e.getMessage().contains("longer than the limit"), e.getMessage());

        Path txt = hundredMegabyteLine("big.txt", "ok\n", "", "\n");
        e = readFails(txt);
        assertTrue(e.getMessage().startsWith(txt + ":2"), e.getMessage());

        Path tasks = hundredMegabyteLine("big-task.jsonl",
                "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"answer\": 0}\n", "{\"context\": \"", "\"}\n");
        e = assertThrows(CorpusFormatException.class, () -> EvalSuiteReader.read(tasks));
        assertTrue(e.getMessage().startsWith(tasks + ":2"), e.getMessage());
    }

    @Test
    void emptyFilesAndEmptyDocumentsAreRefusedNamingFileOrLine() throws IOException {
        Path empty = Files.writeString(dir.resolve("pool.jsonl"), "");
        CorpusFormatException e = readFails(empty);
        assertTrue(e.getMessage().startsWith(empty.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        Path emptyDoc = Files.writeString(dir.resolve("docs.jsonl"), "{\"text\": \"fine\"}\n{\"text\": \"\"}\n");
        e = readFails(emptyDoc);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        Path blankTxt = Files.writeString(dir.resolve("blank.txt"), "\n  \n\t\n");
        e = readFails(blankTxt);
        assertTrue(e.getMessage().startsWith(blankTxt.toString()), e.getMessage());

        Path noTasks = Files.writeString(dir.resolve("tasks.jsonl"), "\n\n");
        e = assertThrows(CorpusFormatException.class, () -> EvalSuiteReader.read(noTasks));
        assertTrue(e.getMessage().startsWith(noTasks.toString()), e.getMessage());
    }

    @Test
    void anEmptyPoolGivesEmptyFeedback() {
        CharBigramModel student = CharBigramModel.trainedOn("s", List.of("the cat sat on the mat"));
        Feedback f = UncertaintyFeedbackMiner.create().mine(student, List.of(), 1);
        assertEquals(0, f.poolSize());
        assertEquals(List.of(), f.hardExamples());
    }
}
