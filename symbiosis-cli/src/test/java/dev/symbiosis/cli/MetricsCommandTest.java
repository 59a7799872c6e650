package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.tokenizer.BpeTrainer;
import dev.symbiosis.djl.tokenizer.BpeVocabulary;
import dev.symbiosis.metrics.semantic.Embeddings;
import dev.symbiosis.metrics.semantic.VectorFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The metrics command without MiniLM (--no-semantic or --vectors) so that it stays fast. */
class MetricsCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = new CommandLine(new MetricsCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonOutputHasEveryLexicalFigure() throws Exception {
        Path f = dir.resolve("texts.txt");
        Files.writeString(f, "the cat sat on the mat\n\nthe dog sat on the log\na bird flew\n");
        Run r = run("--input", f.toString(), "--no-semantic", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(3, o.get("panel.measured_texts").asInt());
        assertEquals(15, o.get("lexical.tokens").asInt());
        assertEquals(10.0 / 15, o.get("lexical.ttr").asDouble(), 1e-12);
        assertTrue(o.has("lexical.yule_k") && o.has("lexical.distinct_2"));
        assertTrue(o.has("syntax.pos_entropy_3") && o.has("syntax.mean_sentence_length"), o.toString());
        assertTrue(o.fieldNames().hasNext());
        o.fieldNames().forEachRemaining(n -> assertTrue(!n.startsWith("semantic."), n));
    }

    @Test
    void paragraphsJsonlAndFoldersAreRead() throws Exception {
        Path txt = dir.resolve("a.txt");
        Files.writeString(txt, "first line\nsame paragraph\n\nsecond paragraph\n");
        Path jsonl = dir.resolve("b.jsonl");
        Files.writeString(jsonl, "{\"text\": \"from json\"}\n{\"text\": \"more json\", \"id\": 3}\n");
        assertEquals(List.of("first line\nsame paragraph", "second paragraph"), MetricsCommand.readTexts(txt, true));
        assertEquals(List.of("first line", "same paragraph", "second paragraph"),
                MetricsCommand.readTexts(txt, false));
        assertEquals(List.of("first line", "same paragraph", "second paragraph", "from json", "more json"),
                MetricsCommand.readTexts(dir, false));
    }

    @Test
    void suppliedVectorsGiveSemanticFiguresInATable() throws Exception {
        Path f = dir.resolve("texts.txt");
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        double[][] v = new double[40][8];
        for (int i = 0; i < 40; i++) {
            sb.append("text number ").append(i).append('\n');
            for (int j = 0; j < 8; j++) {
                v[i][j] = r.nextGaussian();
            }
        }
        Files.writeString(f, sb);
        Path npy = dir.resolve("v.npy");
        VectorFiles.writeNpy(npy, Embeddings.of(v), true);
        Run r1 = run("--input", f.toString(), "--vectors", npy.toString(), "--hull-k", "3", "--no-syntax");
        assertEquals(0, r1.code(), r1.err());
        assertTrue(r1.out().contains("semantic.mean_cosine_distance"), r1.out());
        assertTrue(r1.out().contains("semantic.hull_volume_k3"), r1.out());
        assertTrue(r1.out().contains("semantic.vendi"), r1.out());
        assertTrue(r1.out().contains("(40 of 40 texts measured"), r1.out());
        // wrong count of vectors
        VectorFiles.writeNpy(npy, Embeddings.of(java.util.Arrays.copyOf(v, 39)), true);
        Run r2 = run("--input", f.toString(), "--vectors", npy.toString());
        assertEquals(1, r2.code());
        assertTrue(r2.err().contains("39 vectors") && r2.err().contains("40 texts"), r2.err());
    }

    @Test
    void badInputIsReportedWithFileAndLine() throws Exception {
        Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"text\": \"ok\"}\n{\"txt\": \"missing\"}\n");
        Run r = run("--input", jsonl.toString(), "--no-semantic", "--no-syntax");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.jsonl") && r.err().contains("2"), r.err());
        Run missing = run("--input", dir.resolve("nope.txt").toString(), "--no-semantic");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.txt"), missing.err());
        Path csv = dir.resolve("v.csv");
        Files.writeString(csv, "1,2\n3\n");
        Path txt = dir.resolve("t.txt");
        Files.writeString(txt, "a\nb\n");
        Run badCsv = run("--input", txt.toString(), "--vectors", csv.toString());
        assertEquals(1, badCsv.code());
        assertTrue(badCsv.err().contains("v.csv:2"), badCsv.err());
        Run badOption = run("--input", txt.toString(), "--no-semantic", "--sample-size", "0");
        assertEquals(2, badOption.code());
        Run unknown = run("--input", dir.resolve("x.csv").toString(), "--no-semantic");
        assertEquals(1, unknown.code());
    }

    @Test
    void referenceModelAddsFidelityFigures() throws Exception {
        List<String> corpus = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            corpus.add("the cat sat on the mat number " + i + " and the dog sat on the log");
        }
        Path tok = dir.resolve("tokenizer-src.json");
        BpeVocabulary v = new BpeTrainer(300).trainAndWrite(corpus, tok);
        Gpt2Config cfg = Gpt2Config.of(v.size(), 64, 16, 1, 2, v.specialId(BpeTrainer.END_OF_TEXT));
        Path model = dir.resolve("model");
        DjlLanguageModel.initialize(model, cfg, tok, 7);
        Path f = dir.resolve("texts.txt");
        Files.writeString(f, "the cat sat on the mat\nthe dog sat on the log\n");
        Run r = run("--input", f.toString(), "--no-semantic", "--no-syntax", "--json", "--reference-model",
                model.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        double ppl = o.get("fidelity.perplexity").asDouble();
        // an untrained model is close to uniform over the vocabulary
        assertTrue(ppl > 30 && ppl < 3 * v.size(), "perplexity " + ppl);
        assertTrue(o.get("fidelity.bits_per_byte").asDouble() > 0);
        assertTrue(o.get("fidelity.tokens").asInt() > 0);
        Run missing = run("--input", f.toString(), "--no-semantic", "--reference-model", dir.resolve("none")
                .toString());
        assertEquals(1, missing.code());
    }

    @Test
    void registeredInTheSymbiosisCli() {
        assertTrue(SymbiosisCli.commandLine().getSubcommands().containsKey("metrics"));
    }
}
