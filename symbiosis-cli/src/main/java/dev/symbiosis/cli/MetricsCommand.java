package dev.symbiosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.CorpusFormatException;
import dev.symbiosis.core.corpus.JsonlCorpusReader;
import dev.symbiosis.core.corpus.Utf8LineReader;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.metrics.MetricsPanel;
import dev.symbiosis.metrics.semantic.Embeddings;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import dev.symbiosis.metrics.semantic.PrecomputedEncoder;
import dev.symbiosis.metrics.semantic.SentenceEncoder;
import dev.symbiosis.metrics.semantic.VectorFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code symbiosis metrics}: every lexical, syntactic, semantic (and, when available, fidelity) figure of a set of
 * texts, as a table or one JSON object.
 *
 * <p><b>Input formats.</b>
 * <ul>
 *   <li>{@code .txt} / {@code .txt.gz}: one text per line (the format of generated samples); blank lines are
 *       skipped. With {@code --paragraphs}, a text is instead a paragraph: a run of non-blank lines separated by
 *       blank lines, its lines joined by {@code "\n"}.</li>
 *   <li>{@code .jsonl} / {@code .ndjson} (optionally {@code .gz}): one JSON object per line with a string field
 *       {@code "text"}, read strictly by {@link JsonlCorpusReader} (errors name file, line and column).</li>
 *   <li>a folder: every file of those kinds under it, recursively, in path order, concatenated.</li>
 * </ul>
 * Invalid UTF-8 and malformed records are errors naming the file and line.
 *
 * <p><b>Semantic figures</b> use all-MiniLM-L6-v2 on ONNX Runtime unless {@code --vectors} supplies one vector per
 * input text (CSV or {@code .npy}, rows in input order), or {@code --no-semantic} skips them. The hull's PCA is fitted
 * on {@code --reference} texts when given (encoded with MiniLM), else on the measured set itself; with
 * {@code --vectors} it is fitted on the set itself. The syntactic figures (OpenNLP UPOS tags) are computed unless
 * {@code --no-syntax}; with {@code --reference} they include the Jensen-Shannon divergence of the POS n-gram
 * distributions and the surprisal under the reference's POS trigram model. Every set is sub-sampled to {@code --sample-size} texts with
 * {@code --seed} first (see {@link MetricsPanel}).
 *
 * <p><b>Fidelity figures</b> ({@code fidelity.*}) are given when {@code --reference-model} names a
 * checkpoint folder (as written by {@code pretrain}): corpus perplexity and bits per byte of the measured texts under
 * it.
 *
 * <p>Exit codes: 0 success, 1 unreadable or malformed input, 2 invalid options.
 */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description = "Measure a set of texts: lexical, syntactic and semantic diversity figures (and fidelity"
                + " under a reference model).")
public final class MetricsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE_OR_DIR",
            description = "Texts: .txt (one per line), .jsonl with a \"text\" field (either optionally .gz), or a"
                    + " folder of them.")
    Path input;

    @Option(names = "--reference", paramLabel = "FILE",
            description = "Reference texts (e.g. held-out real text), same formats: the semantic hull's PCA is"
                    + " fitted on them, and the POS n-gram JSD and trigram surprisal are taken against them.")
    Path reference;

    @Option(names = "--reference-model", paramLabel = "DIR|ID",
            description = "A " + ModelOptions.FAMILIES + " checkpoint folder, or a Hugging Face id in the local hub"
                    + " cache: adds the fidelity figures, perplexity and bits per byte of the texts under it.")
    String referenceModel;

    @Option(names = "--pretokenized",
            description = "Texts are already tokenized: words are white-space separated and taken verbatim.")
    boolean pretokenized;

    @Option(names = "--paragraphs",
            description = "In .txt files a text is a blank-line separated paragraph instead of a line.")
    boolean paragraphs;

    @Option(names = "--vectors", paramLabel = "FILE",
            description = "One embedding per input text, in input order: .csv (comma-separated) or .npy"
                    + " (2-D float32/float64); replaces MiniLM.")
    Path vectors;

    @Option(names = "--no-semantic", description = "Skip the semantic (embedding) figures.")
    boolean noSemantic;

    @Option(names = "--no-syntax", description = "Skip the syntactic (part-of-speech) figures.")
    boolean noSyntax;

    @Option(names = "--json", description = "Print one JSON object (non-finite figures as null).")
    boolean json;

    @Option(names = "--sample-size", paramLabel = "N", defaultValue = "" + MetricsPanel.DEFAULT_SAMPLE_SIZE,
            description = "Texts measured per set, drawn with --seed (default: ${DEFAULT-VALUE}).")
    int sampleSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + MetricsPanel.DEFAULT_SEED,
            description = "Seed of the sub-sample and the pair sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hull-k", paramLabel = "K", defaultValue = "5",
            description = "PCA dimensions of the semantic hull volume, 1..8 (default: ${DEFAULT-VALUE}).")
    int hullK;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + MiniLmEncoder.DEFAULT_BATCH_SIZE,
            description = "MiniLM texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        SymbiosisCli.configureOffline();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (vectors != null && noSemantic) {
            err.println("metrics: --vectors and --no-semantic exclude each other");
            return 2;
        }
        MetricsPanel.Builder builder;
        try {
            builder = MetricsPanel.builder().pretokenized(pretokenized).syntax(!noSyntax).sampleSize(sampleSize)
                    .seed(seed).hullDimension(hullK);
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
        } catch (IllegalArgumentException e) {
            err.println("metrics: " + e.getMessage());
            return 2;
        }
        SentenceEncoder encoder = null;
        DjlLanguageModel scorer = null;
        try {
            List<String> texts = readTexts(input, paragraphs);
            if (texts.isEmpty()) {
                err.println("metrics: " + input + ": no texts");
                return 1;
            }
            if (vectors != null) {
                Embeddings v = VectorFiles.read(vectors);
                if (v.size() != texts.size()) {
                    err.println("metrics: " + vectors + " has " + v.size() + " vectors but " + input + " has "
                            + texts.size() + " texts: supply one vector per text, in order");
                    return 1;
                }
                encoder = new PrecomputedEncoder(texts, v);
                builder.encoder(encoder).pcaFit(MetricsPanel.PcaFit.SELF);
            } else if (!noSemantic) {
                encoder = MiniLmEncoder.builder().batchSize(batchSize).build();
                builder.encoder(encoder);
            }
            if (reference != null) {
                builder.referenceTexts(readTexts(reference, paragraphs));
            }
            if (referenceModel != null) {
                scorer = DjlLanguageModel.load(dev.symbiosis.djl.ModelSource.parse(referenceModel));
                builder.referenceScorer(scorer);
            }
            long t0 = System.nanoTime();
            SortedMap<String, Double> figures = builder.build().measure(texts);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json) {
                out.println(toJson(figures));
            } else {
                printTable(out, figures);
                out.printf(Locale.ROOT, "(%d of %d texts measured in %.1f s)%n",
                        figures.get("panel.measured_texts").intValue(), texts.size(), seconds);
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("metrics: " + describe(e));
            return 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("metrics: " + e.getMessage());
            return 1;
        } finally {
            if (encoder != null) {
                encoder.close();
            }
            if (scorer != null) {
                scorer.close();
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        return e.getMessage();
    }

    /** The figures as one JSON object, names in order, non-finite values as null. */
    static String toJson(SortedMap<String, Double> figures) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            double v = e.getValue();
            if (Double.isFinite(v)) {
                o.put(e.getKey(), v);
            } else {
                o.putNull(e.getKey());
            }
        }
        return o.toString();
    }

    /** Two columns: name, value (integers without decimals, others with 6 significant digits). */
    static void printTable(PrintWriter out, SortedMap<String, Double> figures) {
        int width = 6;
        for (String k : figures.keySet()) {
            width = Math.max(width, k.length());
        }
        out.printf(Locale.ROOT, "%-" + width + "s  %s%n", "figure", "value");
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            out.printf(Locale.ROOT, "%-" + width + "s  %s%n", e.getKey(), format(e.getValue()));
        }
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * Reads texts from a file or folder (see the class comment for the formats).
     *
     * @throws IOException naming the file (and line) on unreadable or malformed input
     */
    static List<String> readTexts(Path path, boolean paragraphs) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).filter(p -> kind(p) != null)
                        .sorted((a, b) -> path.relativize(a).toString().replace('\\', '/')
                                .compareTo(path.relativize(b).toString().replace('\\', '/')))
                        .toList();
            }
            if (files.isEmpty()) {
                throw new IOException(path + ": no .txt or .jsonl files in this folder");
            }
            for (Path f : files) {
                readFile(f, paragraphs, out);
            }
        } else {
            if (kind(path) == null) {
                throw new IOException(path + ": unknown format: expected .txt, .jsonl or .ndjson (optionally .gz)"
                        + " or a folder");
            }
            readFile(path, paragraphs, out);
        }
        return out;
    }

    private static String kind(Path p) {
        String n = String.valueOf(p.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return "jsonl";
        }
        return n.endsWith(".txt") ? "txt" : null;
    }

    private static void readFile(Path f, boolean paragraphs, List<String> out) throws IOException {
        if ("jsonl".equals(kind(f))) {
            try (JsonlCorpusReader r = JsonlCorpusReader.open(f)) {
                for (Document d : r.readAll()) {
                    out.add(d.text());
                }
            }
            return;
        }
        try (Utf8LineReader r = Utf8LineReader.open(f, Utf8LineReader.DEFAULT_MAX_LINE_CHARS)) {
            StringBuilder para = new StringBuilder();
            String line;
            int before = out.size();
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    if (para.length() > 0) {
                        out.add(para.toString());
                        para.setLength(0);
                    }
                } else if (paragraphs) {
                    if (para.length() > 0) {
                        para.append('\n');
                    }
                    para.append(line.strip());
                } else {
                    out.add(line.strip());
                }
            }
            if (para.length() > 0) {
                out.add(para.toString());
            }
            if (out.size() == before) {
                throw CorpusFormatException.ofFile(f, "no text (the file is empty or blank)");
            }
        }
    }
}
