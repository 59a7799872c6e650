package dev.symbiosis.experiment;

import dev.symbiosis.assets.EmbeddedAssets;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.eval.EvalResult;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.eval.TaskResult;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.ConsoleProgress;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.SymbiosisLoop;
import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.strategy.RealMixing;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.RecursiveCollapse;
import dev.symbiosis.core.strategy.StaticSynthetic;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs the experiment of an {@link ExperimentConfig} into an output folder: resolves the models and data (the
 * embedded default for null paths), fixes the headline tasks with Generator 0, runs every strategy through one
 * {@link SymbiosisLoop}, and writes the report. Running it again on the same folder resumes.
 */
public final class ExperimentRunner {

    /** Loads a language model from a checkpoint folder with a trainer configuration. */
    @FunctionalInterface
    public interface ModelLoader {
        LanguageModel load(Path checkpoint, ExperimentConfig.Trainer trainer, long seed);
    }

    /** Builds the measurement of each iteration's texts (may return null for none). */
    @FunctionalInterface
    public interface MeasureFactory {
        TextSetMeasure create(ExperimentConfig config, List<String> referenceTexts, LanguageModel reference);
    }

    private final ExperimentConfig config;
    private final Path out;
    private final ModelLoader loader;
    private final MeasureFactory measures;
    private final PrintStream log;
    private Set<Long> onlySeeds;
    private boolean reportOnly;

    public ExperimentRunner(ExperimentConfig config, Path out, ModelLoader loader, MeasureFactory measures,
            PrintStream log) {
        this.config = config.validate();
        this.out = out;
        this.loader = loader;
        this.measures = measures;
        this.log = log;
    }

    /**
     * Runs only the given run seeds of a multi-seed experiment (their seed folders), without the aggregate: lets
     * several processes or machines share the seeds of one output folder, one seed each; a last run without this
     * option then finds every seed complete and writes the aggregate. Default: every seed.
     *
     * @throws IllegalArgumentException if a seed is not one of the configuration's run seeds
     */
    public ExperimentRunner onlySeeds(java.util.Collection<Long> seeds) {
        for (long s : seeds) {
            if (!config.runSeeds().contains(s)) {
                throw new IllegalArgumentException("run seed " + s + " is not one of the configuration's run seeds "
                        + config.runSeeds());
            }
        }
        this.onlySeeds = Set.copyOf(seeds);
        return this;
    }

    /**
     * Writes the aggregate from the run folders as they are (a run in progress or an interrupted one), without
     * running or loading any model: figures average over the seeds that have them, and a paired test is left out
     * where a seed lacks one of the two strategies' per-item results. Default: off.
     */
    public ExperimentRunner reportOnly() {
        this.reportOnly = true;
        return this;
    }

    /**
     * Runs (or resumes) the experiment: every strategy once per run seed, then the report and the statistics.
     * With one seed the output folder is the run folder; with several, each run seed {@code s} has its own run
     * folder {@code seed-<s>/} (its own run-config.json check, records, checkpoints and report) and the output
     * folder gets the aggregate (report.html, stats.json, stats.csv), recomputed from the seed folders on every
     * run, so an interrupted multi-seed run resumes where it stopped.
     *
     * @return every record of every run seed, seed after seed
     */
    public List<IterationRecord> run() throws IOException {
        List<Long> seeds = config.runSeeds();
        boolean multi = seeds.size() > 1;
        if (multi && Files.exists(out.resolve("run-config.json"))) {
            throw new IOException(out + " holds a one-seed run (" + out.resolve("run-config.json") + "); a run with "
                    + seeds.size() + " seeds needs another output folder");
        }
        EmbeddedAssets assets = EmbeddedAssets.open();
        Path generator = modelPath(config.models().generator(), assets, "generator-0");
        Path student = modelPath(config.models().student(), assets, "student-0");
        Path referencePath = modelPath(config.models().reference(), assets, "reference");

        List<Document> pool = read(dataPath(config.data().pool(), assets, "pool"));
        List<Document> stream = read(dataPath(config.data().stream(), assets, "stream"));
        List<Document> evalDocs = read(dataPath(config.data().evalText(), assets, "eval"));
        List<Document> fidelity = read(dataPath(config.data().fidelity(), assets, "fidelity"));
        // the evaluation sample depends on the master seed only: every run seed is evaluated on the same items
        List<Document> heldOut = heldOutByDomain(evalDocs, config.heldOutDocsPerDomain(), config.seed());
        EvalSuite suite = sample(readTasks(config.data().tasks() == null ? assets.tasks()
                : Path.of(config.data().tasks())), config.evalItemsPerTask(), config.seed());
        log.printf("data: pool %d docs, stream %d docs, eval suite %d items in %d tasks, held-out %d docs%n",
                pool.size(), stream.size(), suite.size(), suite.taskNames().size(), heldOut.size());
        List<Document> seedDocs = config.strategies().contains("recursive-accumulate")
                ? read(dataPath(config.data().seed(), assets, "seed")) : List.of();

        List<String> referenceTexts = new ArrayList<>();
        for (Document d : fidelity) {
            referenceTexts.add(d.text());
        }
        List<IterationRecord> all = new ArrayList<>();
        List<SeedStatistics.SeedRun> runs = new ArrayList<>();
        Set<String> headlineTasks = Set.of();
        if (reportOnly) {
            for (long runSeed : seeds) {
                Path dir = multi ? out.resolve(seedFolder(runSeed)) : out;
                if (!Files.exists(dir.resolve("results.jsonl"))) {
                    log.println("report only: " + dir + " has no records yet");
                    continue;
                }
                List<IterationRecord> records = readRecords(dir, multi ? seedConfigJson(runSeed)
                        : config.toJson());
                runs.add(new SeedStatistics.SeedRun(runSeed, dir, records));
                all.addAll(records);
            }
            if (runs.isEmpty()) {
                throw new IOException(out + ": no run seed has records yet");
            }
            Path hf = runs.get(0).dir().resolve("headline-tasks.json");
            if (Files.exists(hf)) {
                List<String> names = new ArrayList<>();
                Json.MAPPER.readTree(hf.toFile()).path("tasks").forEach(n -> names.add(n.asText()));
                headlineTasks = new TreeSet<>(names);
            }
            return aggregate(runs, all, headlineTasks, suite, seeds, multi);
        }
        try (LanguageModel reference = measures != null
                ? loader.load(referencePath, config.student(), config.seed()) : null) {
            TextSetMeasure measure = measures == null ? null : measures.create(config, referenceTexts, reference);
            for (int i = 0; i < seeds.size(); i++) {
                final long runSeed = seeds.get(i);
                if (onlySeeds != null && !onlySeeds.contains(runSeed)) {
                    continue;
                }
                Path dir = multi ? out.resolve(seedFolder(runSeed)) : out;
                if (multi) {
                    log.printf("run seed %d (%d of %d) into %s%n", runSeed, i + 1, seeds.size(), dir);
                }
                RunStore store = new RunStore(dir, multi ? seedConfigJson(runSeed) : config.toJson());
                writeProvenance(dir, runSeed);
                headlineTasks = headlineTasks(store, suite, heldOut, generator, runSeed);
                ItemRecordingEvaluator evaluator = new ItemRecordingEvaluator(
                        new HeldOutEvaluator(suite, heldOut, headlineTasks, 16), heldOut, store);
                SymbiosisLoop loop = SymbiosisLoop.builder(config.loopConfig(runSeed),
                                () -> loader.load(generator, config.generator(), runSeed),
                                () -> loader.load(student, config.student(), runSeed), evaluator, store)
                        .optPool(pool)
                        .optCurriculum(config.curriculum())
                        .optRealStream(stream)
                        .optMiner(UncertaintyFeedbackMiner.builder().optTopK(config.hardExamples()).build())
                        .optMeasure(measure)
                        .addListener(evaluator)
                        .addListener(new ConsoleProgress(log))
                        .build();
                List<Strategy> strategies = new ArrayList<>();
                for (String name : config.strategies()) {
                    strategies.add(strategy(name, seedDocs));
                }
                List<IterationRecord> records = loop.run(strategies);
                if (multi) {
                    Report.write(dir, records, "Generative Data Symbiosis: " + config.preset() + " run, run seed "
                            + runSeed, preamble(headlineTasks, suite, "run seed " + runSeed));
                }
                runs.add(new SeedStatistics.SeedRun(runSeed, dir, records));
                all.addAll(records);
            }
        }
        if (runs.size() < seeds.size()) {
            log.println("ran run seeds " + onlySeeds + " only; run again without --only-seed to write the aggregate");
            return all;
        }
        return aggregate(runs, all, headlineTasks, suite, seeds, multi);
    }

    private List<IterationRecord> aggregate(List<SeedStatistics.SeedRun> runs, List<IterationRecord> all,
            Set<String> headlineTasks, EvalSuite suite, List<Long> seeds, boolean multi) throws IOException {
        log.println("statistics over " + runs.size() + " run seed(s)");
        SeedStatistics stats = SeedStatistics.compute(runs, config.strategies(), config.iterations(), log);
        stats.write(out);
        Path report = Report.writeAggregate(out, stats, "Generative Data Symbiosis: " + config.preset() + " run"
                + (multi ? ", " + runs.size() + " seeds" : ""), preamble(headlineTasks, suite,
                multi ? "run seeds " + runs.stream().map(SeedStatistics.SeedRun::seed).toList()
                        + (runs.size() < seeds.size() ? " (report of the seeds that have records, of " + seeds + ")"
                        : "") : "seed " + config.seed()));
        log.println("report: " + report);
        return all;
    }

    /**
     * The records of a run folder, read without opening it as a {@link RunStore} (which would tidy the folder
     * under a process that may still be writing it).
     */
    private static List<IterationRecord> readRecords(Path dir, String configJson) throws IOException {
        Path cfg = dir.resolve("run-config.json");
        if (!Files.exists(cfg) || !Files.readString(cfg, StandardCharsets.UTF_8).equals(configJson)) {
            throw new IOException(dir + " holds a run of another configuration (see " + cfg + ")");
        }
        List<IterationRecord> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("results.jsonl"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(Json.MAPPER.readValue(lines.get(i), IterationRecord.class));
            } catch (IOException e) {
                throw new IOException(dir.resolve("results.jsonl") + ":" + (i + 1) + ": not an iteration record: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Name of the run folder of one run seed inside a multi-seed output folder. */
    static String seedFolder(long runSeed) {
        return "seed-" + runSeed;
    }

    /**
     * What a seed folder's run-config.json holds: the experiment's configuration with one seed, plus the folder's
     * run seed (so extending a run to more seeds resumes the seed folders it already has).
     */
    private String seedConfigJson(long runSeed) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("experiment", Json.MAPPER.readTree(config.withSeeds(1).toJson()));
        o.put("runSeed", runSeed);
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
    }

    private Strategy strategy(String name, List<Document> seed) {
        return switch (name) {
            case "symbiosis" -> SymbiosisStrategy.create();
            case "symbiosis-frozen-generator" -> SymbiosisStrategy.frozenGenerator();
            case "symbiosis-no-saliency", "symbiosis-random-pool", "symbiosis-hard-to-student",
                    "symbiosis-hotflip-hints" -> dev.symbiosis.core.strategy.Strategies.symbiosis(name);
            case "recursive-replace" -> RecursiveCollapse.replace();
            case "recursive-replace-from-initial" -> RecursiveCollapse.replaceFromInitialWeights();
            case "recursive-accumulate" -> RecursiveCollapse.accumulate(subsample(seed, 400, config.seed()));
            case "static-synthetic" -> new StaticSynthetic(config.iterations());
            case "real-mixing" -> RealMixing.golden();
            case "real-upper-bound" -> new RealUpperBound();
            default -> throw new IllegalArgumentException("unknown strategy " + name);
        };
    }

    /** Tasks on which Generator 0 beats chance (Wilson lower bound above chance), decided once per run folder. */
    private Set<String> headlineTasks(RunStore store, EvalSuite suite, List<Document> heldOut,
            Path generator, long runSeed) throws IOException {
        Path file = store.dir().resolve("headline-tasks.json");
        if (Files.exists(file)) {
            List<String> names = new ArrayList<>();
            Json.MAPPER.readTree(file.toFile()).path("tasks").forEach(n -> names.add(n.asText()));
            return new TreeSet<>(names);
        }
        log.println("choosing headline tasks: evaluating Generator 0 on the suite");
        EvalResult r;
        try (LanguageModel g0 = loader.load(generator, config.generator(), runSeed)) {
            r = new HeldOutEvaluator(suite, heldOut, Set.of(), 16).multipleChoice(g0, (d, t) -> { });
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        Set<String> chosen = new TreeSet<>();
        ObjectNode per = o.putObject("generator0");
        for (TaskResult t : r.tasks()) {
            per.put(t.task(), t.accuracy().value());
            if (t.accuracy().lower() > t.chance()) {
                chosen.add(t.task());
            }
        }
        var arr = o.putArray("tasks");
        chosen.forEach(arr::add);
        o.put("rule", "Generator 0's 95% Wilson lower bound of accuracy is above chance");
        AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        log.println("headline tasks: " + chosen);
        return chosen;
    }

    private String preamble(Set<String> headlineTasks, EvalSuite suite, String seeds) {
        return "<p>Preset <b>" + config.preset() + "</b>: " + config.iterations() + " iterations, "
                + config.tokenBudget() + " training tokens per iteration for every strategy, " + seeds
                + ". Within a run seed every strategy starts from the same Generator 0 and Student 0 checkpoints "
                + "(fixed files; with the embedded default, the bundled models) and the seed drives the data order, "
                + "sampling and LoRA initialisation identically for every strategy, so strategies are compared in "
                + "pairs; every seed is evaluated on the same held-out documents and items"
                + ". Headline: held-out bits per byte (<code>bpb.macro</code>, lower is better). Multiple-choice "
                + "tasks: " + suite.taskNames() + "; tasks counted in <code>mc.headline_acc</code> (Generator 0 "
                + "beats chance): " + headlineTasks + ".</p>";
    }

    private void writeProvenance(Path dir, long runSeed) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        String v = ExperimentRunner.class.getPackage().getImplementationVersion();
        o.put("symbiosis_version", v == null ? "development build" : v);
        o.put("java_version", System.getProperty("java.version"));
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        o.put("git_commit", gitCommit());
        o.put("seed", runSeed);
        AtomicFiles.write(dir.resolve("provenance.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(o));
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? s : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static Path modelPath(String given, EmbeddedAssets assets, String embedded) throws IOException {
        return given == null ? assets.model(embedded) : Path.of(given);
    }

    private static Path dataPath(String given, EmbeddedAssets assets, String split) throws IOException {
        return given == null ? assets.split(split) : Path.of(given);
    }

    static List<Document> read(Path file) throws IOException {
        try (CorpusReader r = Corpora.open(file)) {
            return r.readAll();
        }
    }

    private static EvalSuite readTasks(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException(folder + ": no task .jsonl files");
        }
        return EvalSuiteReader.read(files.toArray(Path[]::new));
    }

    /** A seeded sample of {@code perTask} items of every task (all when 0 or when the task is smaller). */
    static EvalSuite sample(EvalSuite suite, int perTask, long seed) {
        if (perTask == 0) {
            return suite;
        }
        List<MultipleChoiceItem> items = new ArrayList<>();
        for (String task : suite.taskNames()) {
            List<MultipleChoiceItem> all = new ArrayList<>(suite.task(task).orElseThrow().items());
            Collections.shuffle(all, new Random(seed ^ task.hashCode()));
            items.addAll(all.subList(0, Math.min(perTask, all.size())));
        }
        return EvalSuite.of(items);
    }

    /**
     * A seeded sample of {@code perDomain} documents of every domain (provenance source): the held-out documents
     * of {@code bpb.macro}. Public so that tools outside the run (the {@code bpb} command) draw the same sample.
     */
    public static List<Document> heldOutByDomain(List<Document> docs, int perDomain, long seed) {
        Map<String, List<Document>> by = new TreeMap<>();
        for (Document d : docs) {
            by.computeIfAbsent(d.provenance().source(), k -> new ArrayList<>()).add(d);
        }
        List<Document> out = new ArrayList<>();
        for (List<Document> domain : by.values()) {
            out.addAll(subsample(domain, perDomain, seed));
        }
        return out;
    }

    static List<Document> subsample(List<Document> docs, int n, long seed) {
        List<Document> copy = new ArrayList<>(docs);
        Collections.shuffle(copy, new Random(seed));
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }
}
