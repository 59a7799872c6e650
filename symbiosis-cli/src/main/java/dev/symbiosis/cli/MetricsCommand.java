package dev.symbiosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.CorpusFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.corpus.JsonLines;
import dev.symbiosis.core.corpus.Utf8LineReader;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.experiment.DefaultComponents;
import dev.symbiosis.experiment.ExperimentConfig;
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
import org.jspecify.annotations.Nullable;
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
 *   <li>{@code .jsonl} / {@code .ndjson} (optionally {@code .gz}): one JSON object per line; the text is the string
 *       field {@code --text-field} (default {@code text}), or several fields joined as they are
 *       ({@code prompt+completion}: a run's {@code synthetic.jsonl} holds prompt/completion records). A record
 *       without the field is an error naming file, line and the fields it has; records whose text is blank are
 *       skipped and counted.</li>
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
 * <p><b>The figures of a run's report</b> ({@code --like-run RUN}): the sample size, seed, reference texts,
 * reference model and semantic setting are taken from the run folder's {@code run-config.json} and the measurement
 * is built exactly as the experiment builds it ({@code DefaultComponents.reportMeasure}); measuring an iteration's
 * {@code <strategy>/iter-<t>/measured.jsonl} then gives the {@code synthetic} figures of that iteration's record.
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

    @Option(names = "--text-field", paramLabel = "NAME[+NAME...]", defaultValue = "text",
            description = "JSONL field holding the text (default: ${DEFAULT-VALUE}); fields joined with '+' are"
                    + " concatenated as they are, e.g. completion or prompt+completion for a run's synthetic.jsonl.")
    String textField;

    @Option(names = "--like-run", paramLabel = "RUN_DIR",
            description = "Measure as the experiment measured this run folder (its run-config.json: sample size,"
                    + " seed, reference texts and model, semantic figures on or off); with the texts of"
                    + " RUN_DIR/<strategy>/iter-<t>/measured.jsonl the figures are those of the report. Excludes"
                    + " --sample-size, --seed, --reference, --reference-model, --vectors, --no-semantic, --no-syntax,"
                    + " --hull-k and --pretokenized.")
    Path likeRun;

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

    /** Options that change figures, which {@code --like-run} takes from the run instead. */
    private static final List<String> RUN_SETTINGS = List.of("--sample-size", "--seed", "--reference",
            "--reference-model", "--vectors", "--no-semantic", "--no-syntax", "--hull-k", "--pretokenized");

    @Override
    public Integer call() {
        OfflineDefaults.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> fields = List.of(textField.split("\\+", -1));
        if (fields.stream().anyMatch(String::isBlank)) {
            err.println("metrics: --text-field " + textField + ": give a field name, or names joined with '+'");
            return 2;
        }
        if (likeRun != null) {
            for (String o : RUN_SETTINGS) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    err.println("metrics: --like-run takes the measurement's settings from the run; leave out " + o);
                    return 2;
                }
            }
            return likeRun(out, err, fields);
        }
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
            List<String> texts = readTexts(input, paragraphs, fields, err);
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
                builder.referenceTexts(readTexts(reference, paragraphs, List.of("text"), err));
            }
            if (referenceModel != null) {
                scorer = DjlLanguageModel.load(dev.symbiosis.djl.ModelSource.parse(referenceModel));
                builder.referenceScorer(scorer);
            }
            print(out, builder.build(), texts);
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

    /** A run's measured texts with the provenance the loop handed the measure with each. */
    private record Measured(List<String> texts, List<dev.symbiosis.core.text.Provenance> provenances) {}

    /**
     * The texts of a run's {@code measured.jsonl} with their {@code provenance} objects, read in one pass, so that
     * the measure groups them as the run did; null when the input is not such a file or a line has no provenance
     * (files written before the loop recorded it: the caller then reads the texts alone, and the figures that need
     * provenance are not reproduced).
     *
     * @throws IOException naming the file and line of a malformed line
     */
    private static @org.jspecify.annotations.Nullable Measured readMeasured(Path input, List<String> fields)
            throws IOException {
        if (!fields.equals(List.of("text")) || Files.isDirectory(input)
                || !input.getFileName().toString().endsWith(".jsonl")) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        List<dev.symbiosis.core.text.Provenance> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(input);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode o = dev.symbiosis.core.corpus.JsonLines.parseObject(lines.get(i), input, i + 1);
            if (!o.has("provenance") || !o.path("text").isTextual()) {
                return null;
            }
            if (o.path("text").asText().isBlank()) {
                continue; // skipped as readTexts skips it
            }
            texts.add(o.path("text").asText());
            out.add(dev.symbiosis.core.loop.TextsFile.provenanceOf(o.get("provenance"), input, i + 1));
        }
        return new Measured(texts, out);
    }

    private void print(PrintWriter out, dev.symbiosis.core.measure.TextSetMeasure measure, List<String> texts,
            @org.jspecify.annotations.Nullable List<dev.symbiosis.core.text.Provenance> provenances) {
        if (provenances == null) {
            print(out, measure, texts);
            return;
        }
        long t0 = System.nanoTime();
        SortedMap<String, Double> figures = measure.measure(texts, provenances);
        printFigures(out, figures, texts.size(), (System.nanoTime() - t0) / 1e9);
    }

    private void print(PrintWriter out, dev.symbiosis.core.measure.TextSetMeasure measure, List<String> texts) {
        long t0 = System.nanoTime();
        SortedMap<String, Double> figures = measure.measure(texts);
        printFigures(out, figures, texts.size(), (System.nanoTime() - t0) / 1e9);
    }

    private void printFigures(PrintWriter out, SortedMap<String, Double> figures, int texts, double seconds) {
        if (json) {
            out.println(toJson(figures));
        } else {
            printTable(out, figures);
            out.printf(Locale.ROOT, "(%d of %d texts measured in %.1f s)%n",
                    figures.get("panel.measured_texts").intValue(), texts, seconds);
        }
        out.flush();
    }

    /** {@code --like-run}: the run's own measurement of the texts. */
    private int likeRun(PrintWriter out, PrintWriter err, List<String> fields) {
        try {
            ExperimentConfig config = ExperimentConfig.ofRun(likeRun);
            JsonNode components = Json.reader().readTree(Files.readAllBytes(likeRun.resolve("run-config.json")))
                    .path("components");
            String measureType = components.path("measure").path("type").asText("");
            if (!measureType.startsWith(DefaultComponents.class.getName() + "$")) {
                err.println("metrics: " + likeRun + " was " + (measureType.isEmpty() ? "not measured"
                        : "measured by " + measureType) + "; --like-run reproduces the standard measurement only");
                return 1;
            }
            if (components.has("reference")) {
                err.println("metrics: " + likeRun + " used a reference model of its own ("
                        + components.path("reference").path("type").asText() + "); --like-run loads the configured"
                        + " one only");
                return 1;
            }
            Measured measured = readMeasured(input, fields);
            List<String> texts = measured != null ? measured.texts() : readTexts(input, paragraphs, fields, err);
            if (texts.isEmpty()) {
                err.println("metrics: " + input + ": no texts");
                return 1;
            }
            err.println("metrics: as in " + likeRun + ": " + Math.min(config.measureSample(), texts.size()) + " of "
                    + texts.size() + " texts drawn with seed " + config.seed() + "; reference texts: the first "
                    + config.measureReferenceTexts() + " of " + (config.data().fidelity() == null
                    ? "the embedded fidelity split" : config.data().fidelity()) + "; reference model: "
                    + (config.models().reference() == null ? "the embedded reference" : config.models().reference())
                    + "; semantic figures " + (config.semanticMetrics() ? "on" : "off"));
            try (DefaultComponents.CloseableMeasure m = DefaultComponents.reportMeasure(config)) {
                print(out, m, texts, measured == null ? null : measured.provenances());
            }
            return 0;
        } catch (IOException e) {
            err.println("metrics: " + describe(e));
            return 1;
        } catch (java.io.UncheckedIOException e) {
            err.println("metrics: " + describe(e.getCause()));
            return 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("metrics: " + e.getMessage());
            return 1;
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
        return readTexts(path, paragraphs, List.of("text"), null);
    }

    /**
     * Reads texts from a file or folder, JSONL texts from {@code fields} joined; a count of records with a blank
     * text (skipped) goes to {@code err} when given.
     */
    static List<String> readTexts(Path path, boolean paragraphs, List<String> fields, @Nullable PrintWriter err)
            throws IOException {
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
                readFile(f, paragraphs, fields, err, out);
            }
        } else {
            if (kind(path) == null) {
                throw new IOException(path + ": unknown format: expected .txt, .jsonl or .ndjson (optionally .gz)"
                        + " or a folder");
            }
            readFile(path, paragraphs, fields, err, out);
        }
        return out;
    }

    /** JSONL records: the text is the fields' string values joined; blank texts are skipped and counted. */
    private static void readJsonl(Path f, List<String> fields, @Nullable PrintWriter err, List<String> out)
            throws IOException {
        int records = 0;
        int blank = 0;
        try (Utf8LineReader r = Utf8LineReader.open(f, Utf8LineReader.DEFAULT_MAX_LINE_CHARS)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                records++;
                ObjectNode o = JsonLines.parseObject(line, f, r.lineNumber());
                StringBuilder text = new StringBuilder();
                for (String field : fields) {
                    JsonNode v = o.get(field);
                    if (v == null || !v.isTextual()) {
                        List<String> names = new ArrayList<>();
                        o.fieldNames().forEachRemaining(names::add);
                        throw CorpusFormatException.atLine(f, r.lineNumber(), (v == null || v.isNull()
                                ? "no field '" + field + "'" : "field '" + field + "' is " + JsonLines.describe(v)
                                + ", not a string") + "; the record's fields: " + String.join(", ", names)
                                + " (choose with --text-field, e.g. completion or prompt+completion)");
                    }
                    text.append(v.textValue());
                }
                if (text.toString().isBlank()) {
                    blank++;
                } else {
                    out.add(text.toString());
                }
            }
        }
        if (records == 0) {
            throw CorpusFormatException.ofFile(f, "no records (the file is empty or blank)");
        }
        if (blank > 0 && err != null) {
            err.println("metrics: " + f + ": " + blank + " of " + records + " records have a blank text; skipped");
        }
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

    private static void readFile(Path f, boolean paragraphs, List<String> fields, @Nullable PrintWriter err,
            List<String> out) throws IOException {
        if ("jsonl".equals(kind(f))) {
            readJsonl(f, fields, err, out);
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
