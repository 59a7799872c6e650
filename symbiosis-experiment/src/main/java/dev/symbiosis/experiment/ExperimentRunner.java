package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.assets.EmbeddedAssets;
import dev.symbiosis.core.Describable;
import dev.symbiosis.core.Numerics;
import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.dedup.ContaminationIndex;
import dev.symbiosis.core.eval.EvalResult;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.GenerativeItem;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.eval.TaskResult;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.ConsoleProgress;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.loop.LoopListener;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.loop.SymbiosisLoop;
import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.TorchEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs an experiment into an output folder: every strategy of an {@link ExperimentConfig} once per run seed
 * through one {@link SymbiosisLoop} per seed, the held-out evaluation with per-item results, the statistics over the
 * seeds and the report. Running it again on the same folder resumes; a folder started with other settings is
 * refused with the differing fields named.
 *
 * <p>The (strategy, run seed) units are independent: they run concurrently, {@link Builder#optParallelism} at a
 * time (by default one per available processor), each on its own thread with its own models and one PyTorch
 * intra-op thread, and every run folder ends with the records of a serial run. Generator samples are cached by
 * content in each run folder ({@link Builder#optGenerationCache}), so that strategies asking Generator 0 the same
 * prompt with the same row seed share one generation. A run may be limited to some units
 * ({@link Builder#optOnlySeeds}, {@link Builder#optOnlyStrategies}), e.g. to spread them over processes.
 *
 * <p>Everything the harness wires by default can be replaced through the {@link #builder builder}: strategies (by
 * name from a {@link StrategyRegistry}, or as factories), the Generator, Student and reference models, the
 * evaluator, the feedback miner, the curriculum, the measurement, and every data set (from files, the embedded
 * default, or in-memory lists). Each replaced component is described in the run folder's {@code run-config.json}
 * by its class and {@link Describable#settings() settings}, next to the configuration, the numerics version
 * ({@link Numerics#VERSION}) and the fingerprints of the data.
 *
 * <p>Not thread-safe: one runner, one {@link #run()} at a time.
 */
public final class ExperimentRunner {

    /** Loads a language model from a checkpoint folder with a trainer configuration. */
    @FunctionalInterface
    public interface ModelLoader {

        /**
         * @param checkpoint the checkpoint folder
         * @param trainer fine-tuning and engine settings
         * @param seed seed of the model's randomness (LoRA initialisation, dropout, sampling)
         */
        LanguageModel load(Path checkpoint, ExperimentConfig.Trainer trainer, long seed);
    }

    /** Opens a fresh model of one role (Generator 0, Student 0 or the reference) for a run seed. */
    @FunctionalInterface
    public interface ModelSource extends Describable {

        /** A fresh model; the caller closes it. */
        LanguageModel open(long runSeed);
    }

    /** Builds the measurement of each iteration's texts. */
    @FunctionalInterface
    public interface MeasureFactory extends Describable {

        /**
         * @param config the configuration
         * @param referenceTexts the held-out fidelity texts
         * @param reference the reference model (fidelity scorer)
         * @return the measure; closed by the runner at the end if it is {@link AutoCloseable}
         */
        TextSetMeasure create(ExperimentConfig config, List<String> referenceTexts, LanguageModel reference);

        /**
         * As {@link #create(ExperimentConfig, List, LanguageModel)}, knowing the held-out fidelity documents with
         * their domains and the domain of each derived Step A topic, for like-with-like figures (per domain, and of
         * real text measured as the iterations' texts are). The runner calls this one; by default it passes the
         * documents' texts to the three-argument method.
         *
         * @param fidelity the held-out fidelity documents, in file order
         * @param topicDomains the domain of each Step A topic derived from the seed split; empty when the topics
         *     are listed in the configuration
         */
        default TextSetMeasure create(ExperimentConfig config, List<Document> fidelity,
                Map<String, String> topicDomains, LanguageModel reference) {
            return create(config, fidelity.stream().map(Document::text).toList(), reference);
        }
    }

    /** Builds the held-out evaluator of a run seed. */
    @FunctionalInterface
    public interface EvaluatorFactory extends Describable {

        /**
         * @param config the configuration
         * @param suite the multiple-choice items (the configuration's seeded sample)
         * @param heldOut the held-out documents (the seeded sample per domain)
         * @param headlineTasks the tasks Generator 0 beats chance on
         */
        StudentEvaluator create(ExperimentConfig config, EvalSuite suite, List<Document> heldOut,
                Set<String> headlineTasks);

        /**
         * As {@link #create(ExperimentConfig, EvalSuite, List, Set)}, also given the token frequencies of the run's
         * seed split under the Student's tokenizer (for {@link HeldOutEvaluator.Builder#optTokenFrequencies}),
         * counted on first use (a run that evaluates nothing loads no model for them) and then remembered; null when
         * the Student does not expose its tokenizer. The runner calls this one. By default they are not used.
         */
        default StudentEvaluator create(ExperimentConfig config, EvalSuite suite, List<Document> heldOut,
                Set<String> headlineTasks, Supplier<@Nullable TokenFrequencies> frequencies) {
            return create(config, suite, heldOut, headlineTasks);
        }
    }

    /** The standard evaluator: {@link HeldOutEvaluator} with the configuration's {@code evaluator} sizes. */
    public static final EvaluatorFactory HELD_OUT = new HeldOutFactory();

    /** {@link #HELD_OUT}: a named class, so that run folders record a stable type. */
    private static final class HeldOutFactory implements EvaluatorFactory {
        @Override
        public StudentEvaluator create(ExperimentConfig config, EvalSuite suite, List<Document> heldOut,
                Set<String> headlineTasks) {
            return builder(config, suite, heldOut, headlineTasks).build();
        }

        @Override
        public StudentEvaluator create(ExperimentConfig config, EvalSuite suite, List<Document> heldOut,
                Set<String> headlineTasks, Supplier<@Nullable TokenFrequencies> frequencies) {
            return builder(config, suite, heldOut, headlineTasks).optTokenFrequencies(frequencies).build();
        }

        private static HeldOutEvaluator.Builder builder(ExperimentConfig config, EvalSuite suite,
                List<Document> heldOut, Set<String> headlineTasks) {
            return HeldOutEvaluator.builder(suite, heldOut)
                    .optHeadlineTasks(headlineTasks)
                    .optBatchSize(config.evaluator().batchSize())
                    .optMultipleChoice(config.evaluator().multipleChoice())
                    .optGenerativeItems(generativeItems(config))
                    .optGenerativeMaxNewTokens(config.evaluator().generativeMaxNewTokens())
                    .optTasksEvery(config.evaluator().tasksEvery(), config.iterations());
        }
    }

    /**
     * The embedded generative items the configuration evaluates: none when {@code evaluator.generative} is false,
     * else the first {@code generativeItemsPerTask} of every task {@code evaluator.skipTasks} does not name.
     */
    public static List<GenerativeItem> generativeItems(ExperimentConfig config) {
        ExperimentConfig.Evaluator e = config.evaluator();
        if (!e.generative()) {
            return List.of();
        }
        return HeldOutEvaluator.embeddedGenerativeTasks(e.generativeItemsPerTask()).stream()
                .filter(item -> !e.skips(item.task())).toList();
    }

    /** File in a run folder naming the headline tasks. */
    public static final String HEADLINE_TASKS_FILE = "headline-tasks.json";

    /** DJL's system property of PyTorch's intra-op thread count. */
    private static final String INTRA_OP_THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private final ExperimentConfig config;
    private final Path out;
    private final PrintStream log;
    private final StrategyRegistry registry;
    private final ModelLoader loader;
    private final @Nullable ModelSource generator;
    private final @Nullable ModelSource student;
    private final @Nullable ModelSource reference;
    private final EvaluatorFactory evaluatorFactory;
    private final @Nullable FeedbackMiner miner;
    private final @Nullable Curriculum curriculum;
    private final @Nullable MeasureFactory measures;
    private final Map<String, List<Document>> givenData;
    private final @Nullable EvalSuite givenTasks;
    private final @Nullable Set<Long> onlySeeds;
    private final @Nullable Set<String> onlyStrategies;
    private final boolean reportOnly;
    private final int parallelism;
    private final boolean generationCache;
    private final @Nullable Path reuseUnitsFrom;
    /** Checkpoint folder (absolute) to its {@link CheckpointFingerprint}: hashed once per runner. */
    private final Map<String, String> checkpointHashes = new java.util.concurrent.ConcurrentHashMap<>();
    private @Nullable Curriculum derivedCurriculum;
    private @Nullable TokenFrequencies frequencies;
    private boolean frequenciesCounted;
    private @Nullable ContaminationIndex contaminationIndex;
    /** The domain of each Step A topic derived from the seed split; empty while (or when) none is derived. */
    private Map<String, String> derivedTopicDomains = Map.of();

    private ExperimentRunner(Builder b) {
        this.config = b.config;
        this.out = b.out != null ? b.out : Path.of("runs", config.preset());
        this.log = b.log;
        this.registry = b.registry;
        this.loader = b.loader;
        this.generator = b.generator;
        this.student = b.student;
        this.reference = b.reference;
        this.evaluatorFactory = b.evaluatorFactory;
        this.miner = b.miner;
        this.curriculum = b.curriculum;
        this.measures = b.measures;
        this.givenData = Map.copyOf(b.givenData);
        this.givenTasks = b.givenTasks;
        this.onlySeeds = b.onlySeeds;
        this.onlyStrategies = b.onlyStrategies;
        this.reportOnly = b.reportOnly;
        this.parallelism = b.parallelism != null ? b.parallelism : config.unitsAtOnce();
        this.generationCache = b.generationCache;
        this.reuseUnitsFrom = b.reuseUnitsFrom;
    }

    /**
     * A builder of a runner of {@code config}.
     *
     * @param config the experiment; its strategy names must be known to the registry at {@link Builder#build()}
     */
    public static Builder builder(ExperimentConfig config) {
        return new Builder(config);
    }

    /** The configuration run (with the strategies added through the builder). */
    public ExperimentConfig config() {
        return config;
    }

    /** The output folder. */
    public Path output() {
        return out;
    }

    /** The data of one run: read once, shared by every run seed. */
    private record Inputs(List<Document> pool, List<Document> stream, List<Document> evalDocuments,
            List<Document> heldOut,
            List<String> referenceTexts, List<Document> fidelity, EvalSuite suite, StrategyContextData seedDocuments,
            SortedMap<String, Object> dataFingerprints) {}

    /** The real seed documents, read on first use. */
    private final class StrategyContextData {
        private List<Document> docs;

        synchronized List<Document> get() {
            if (docs == null) {
                try {
                    docs = data("seed", config.data().seed());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return docs;
        }

        synchronized boolean loaded() {
            return docs != null;
        }
    }

    /**
     * Runs (or resumes) the experiment: every strategy once per run seed (the units concurrently, see
     * {@link Builder#optParallelism}), then the report and the statistics.
     * With one seed the output folder is the run folder; with several, each run seed {@code s} has its own run
     * folder {@code seed-<s>/} (its own run-config.json check, records, checkpoints and report) and the output
     * folder gets the aggregate (report.html, stats.json, stats-figures.csv, stats-paired.csv), recomputed from
     * the seed folders on every run, so an interrupted multi-seed run resumes where it stopped.
     *
     * @return the records of every run seed, the statistics and the report
     * @throws IOException if a run folder holds other settings (naming the fields), or on bad data (naming the
     *     file)
     */
    public ExperimentResult run() throws IOException {
        List<Long> seeds = config.runSeeds();
        boolean multi = seeds.size() > 1;
        if (multi && Files.exists(out.resolve(RunFingerprint.FILE))) {
            throw new IOException(out + " holds a one-seed run (" + out.resolve(RunFingerprint.FILE) + "); a run with "
                    + seeds.size() + " seeds needs another output folder");
        }
        checkPaths();
        Inputs in = inputs();
        List<SeedStatistics.SeedRun> runs = new ArrayList<>();
        Set<String> headlineTasks = Set.of();
        if (reportOnly) {
            for (long runSeed : seeds) {
                Path dir = runFolder(runSeed);
                if (!Files.exists(dir.resolve("results.jsonl"))) {
                    log.println("report only: " + dir + " has no records yet");
                    continue;
                }
                RunFingerprint.check(dir, fingerprint(runSeed, in, strategies(runSeed, in)));
                runs.add(new SeedStatistics.SeedRun(runSeed, dir, readRecords(dir)));
            }
            if (runs.isEmpty()) {
                throw new IOException(out + ": no run seed has records yet");
            }
            Path hf = runs.get(0).dir().resolve(HEADLINE_TASKS_FILE);
            if (Files.exists(hf)) {
                headlineTasks = readHeadlineTasks(hf);
            }
            return aggregate(runs, headlineTasks, in.suite(), seeds);
        }
        LazyMeasure measure = measures == null ? null : new LazyMeasure(measures, in.fidelity());
        ConsoleProgress console = new ConsoleProgress(log);
        try {
            List<SeedSetup> setups = new ArrayList<>();
            for (int i = 0; i < seeds.size(); i++) {
                long runSeed = seeds.get(i);
                if (onlySeeds != null && !onlySeeds.contains(runSeed)) {
                    continue;
                }
                if (multi) {
                    log.printf("run seed %d (%d of %d) into %s%n", runSeed, i + 1, seeds.size(), runFolder(runSeed));
                }
                setups.add(setUpSeed(runSeed, in, measure, multi ? console.labelled("seed " + runSeed + " ")
                        : console));
            }
            int units = setups.stream().mapToInt(u -> u.toRun().size()).sum();
            int atOnce = Math.max(1, Math.min(parallelism, units));
            log.printf("%d units (strategy, run seed), %d at a time%n", units, atOnce);
            if (atOnce > 1) {
                oneIntraOpThreadPerUnit();
            }
            List<SymbiosisLoop.Run> loops = new ArrayList<>();
            for (SeedSetup u : setups) {
                loops.add(new SymbiosisLoop.Run(u.loop(), u.toRun()));
            }
            List<List<IterationRecord>> records = SymbiosisLoop.runAll(loops, atOnce);
            for (int i = 0; i < setups.size(); i++) {
                SeedSetup u = setups.get(i);
                if (u.toRun().size() < u.strategies().size()) {
                    // the loop placed the lines among those of its own strategies only
                    records.set(i, inStrategyOrder(u.store()));
                }
                checkContamination(u.dir(), u.strategies(), in);
                if (config.seeds() > 1) {
                    Report.write(u.dir(), records.get(i), "Generative Data Symbiosis: " + config.preset()
                            + " run, run seed " + u.runSeed(), preamble(u.headlineTasks(), in.suite(),
                            "run seed " + u.runSeed()));
                }
                runs.add(new SeedStatistics.SeedRun(u.runSeed(), u.dir(), records.get(i)));
                headlineTasks = u.headlineTasks();
            }
        } finally {
            if (measure != null) {
                measure.close();
            }
        }
        boolean someStrategies = onlyStrategies != null && !onlyStrategies.containsAll(config.strategies());
        if (runs.size() < seeds.size() || someStrategies) {
            log.println("ran only run seeds " + (onlySeeds == null ? "(all)" : new TreeSet<>(onlySeeds))
                    + " and strategies " + (onlyStrategies == null ? "(all)" : config.strategies().stream()
                    .filter(onlyStrategies::contains).toList()) + "; run again without --only-seed (and without a"
                    + " strategy filter) to write the aggregate");
            return new ExperimentResult(runs, null, null, headlineTasks);
        }
        return aggregate(runs, headlineTasks, in.suite(), seeds);
    }

    /**
     * One run seed's run folder, ready to run: its store, loop, strategies (all of the configuration), the ones to
     * run now ({@link Builder#optOnlyStrategies}) and headline tasks.
     */
    private record SeedSetup(long runSeed, Path dir, RunStore store, SymbiosisLoop loop, List<Strategy> strategies,
            List<Strategy> toRun, Set<String> headlineTasks) {}

    /**
     * Puts results.jsonl and timings.jsonl of a run folder in the configuration's strategy order (each strategy's
     * lines kept in their order), as a serial run of every strategy leaves them: a run of some strategies inserts
     * its lines in the order of the strategies it runs, after lines of strategies it does not know.
     *
     * @return the records, in that order
     */
    private List<IterationRecord> inStrategyOrder(RunStore store) throws IOException {
        java.util.Comparator<String> rank = java.util.Comparator.comparingInt(config.strategies()::indexOf);
        List<IterationRecord> records = store.records();
        List<IterationRecord> sorted = records.stream()
                .sorted(java.util.Comparator.comparing(IterationRecord::strategy, rank)).toList();
        if (!sorted.equals(records)) {
            store.writeRecords(sorted);
        }
        store.sortTimings(config.strategies());
        return sorted;
    }

    /**
     * Prepares one run seed's run folder (refusing other settings, naming them), chooses its headline tasks and
     * builds its loop: every strategy of the seed is a unit that {@link SymbiosisLoop#runAll} may run next to the
     * units of other seeds.
     *
     * @param measure the measurement shared by every seed, or null for none
     * @param progress the seed's view of the shared console
     */
    private SeedSetup setUpSeed(long runSeed, Inputs in, @Nullable TextSetMeasure measure, LoopListener progress)
            throws IOException {
        Path dir = runFolder(runSeed);
        // the fingerprint names every strategy, so that runs of some strategies share the run folder
        List<Strategy> strategies = strategies(runSeed, in);
        List<Strategy> toRun = onlyStrategies == null ? strategies
                : strategies.stream().filter(s -> onlyStrategies.contains(s.name())).toList();
        String fingerprint = fingerprint(runSeed, in, strategies);
        RunFingerprint.check(dir, fingerprint);
        RunStore store = new RunStore(dir, fingerprint);
        if (reuseUnitsFrom != null) {
            List<String> names = strategies.stream().map(Strategy::name).toList();
            UnitReuse.copyFinished(reuseUnitsFrom, runSeed, store, fingerprint, names,
                    toRun.stream().map(Strategy::name).toList(), config.iterations(), log);
        }
        RunProvenance.current(runSeed).write(dir);
        Set<String> headlineTasks = headlineTasks(store, in, runSeed);
        StudentEvaluator evaluator = new ItemRecordingEvaluator(
                evaluatorFactory.create(config, in.suite(), in.heldOut(), headlineTasks, () -> tokenFrequencies(runSeed)),
                store);
        ModelSource g = generatorSource();
        ModelSource s = studentSource();
        SymbiosisLoop loop = SymbiosisLoop.builder(config.loopConfig(runSeed), () -> g.open(runSeed),
                        () -> s.open(runSeed), evaluator, store)
                .optPool(in.pool())
                .optCurriculum(curriculum(in))
                .optRealStream(in.stream())
                .optMiner(miner())
                .optMeasure(measure)
                .optGenerationCache(generationCache)
                .addListener(progress)
                .addListener(contaminationOnFinish(dir, strategies, in))
                .addListener(unitProvenance(dir, runSeed))
                .build();
        return new SeedSetup(runSeed, dir, store, loop, strategies, toRun, headlineTasks);
    }

    /**
     * The token frequencies of the seed split under Student 0's tokenizer, counted once per runner (every run seed
     * starts from the same Student 0 checkpoint, so from the same tokenizer); null when Student 0 does not expose its
     * tokenizer ({@link LanguageModel#tokenIds}), and then there are no {@code bpb.freq} figures. The split is read
     * apart from {@link Inputs#seedDocuments()}, whose loading would add the split to the run fingerprint.
     */
    private synchronized @Nullable TokenFrequencies tokenFrequencies(long runSeed) {
        if (!frequenciesCounted) {
            try {
                List<Document> seedDocs = data("seed", config.data().seed());
                try (LanguageModel s0 = studentSource().open(runSeed)) {
                    frequencies = TokenFrequencies.count(s0, seedDocs);
                    log.println("token frequencies of the seed split (" + seedDocs.size() + " documents, "
                            + frequencies.total() + " tokens) for bpb.freq.*");
                } catch (UnsupportedOperationException e) {
                    log.println("no bpb.freq figures: " + e.getMessage());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            frequenciesCounted = true;
        }
        return frequencies;
    }

    /**
     * Gives every concurrent unit one PyTorch intra-op thread (the count is the process's, taken by every new
     * thread), unless the JVM was told a count ({@code -Dai.djl.pytorch.num_threads}, which is then kept). Without
     * PyTorch's natives there is nothing to set: the models are not DJL's.
     */
    private void oneIntraOpThreadPerUnit() {
        String given = System.getProperty(INTRA_OP_THREADS_PROPERTY);
        if (given != null) {
            log.println("PyTorch intra-op threads per unit: " + given + " (" + INTRA_OP_THREADS_PROPERTY + ")");
            return;
        }
        try {
            TorchEngine.setIntraOpThreads(1);
            log.println("PyTorch intra-op threads per unit: 1");
        } catch (IllegalStateException e) {
            log.println("PyTorch is not available (" + e.getMessage() + "): no intra-op threads to set");
        }
    }

    /**
     * Checks a unit's released samples when it finishes: a run folder packed before its other units finish (a study
     * stopped part way, whose packed records leave the released data out) keeps the unit's findings.
     */
    private LoopListener contaminationOnFinish(Path dir, List<Strategy> strategies, Inputs in) {
        List<String> names = strategies.stream().map(Strategy::name).toList();
        return new LoopListener() {
            @Override
            public void strategyFinished(String strategy, String reason) {
                if (!"resumed-complete".equals(reason)) {
                    try {
                        ContaminationCheck.update(dir, names, strategy, contaminationIndex(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }

    /**
     * Records in each strategy's folder what built and ran it ({@link RunProvenance}) when the unit starts from its
     * first iteration: the run folder's own {@code provenance.json} names the last process that opened the folder,
     * and units of one folder may come from several (a study spanning machines, units taken from another folder).
     * A unit resumed from a checkpoint keeps the record of the process that started it.
     */
    private static LoopListener unitProvenance(Path dir, long runSeed) {
        return new LoopListener() {
            @Override
            public void strategyStarted(String strategy, int fromIteration, int iterations) {
                Path unit = dir.resolve(strategy);
                if (fromIteration == 1 || !Files.exists(unit.resolve(RunProvenance.FILE))) {
                    try {
                        RunProvenance.current(runSeed).write(Files.createDirectories(unit));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }

    /** The evaluation split's contamination index, built once per runner (every run seed has the same split). */
    private synchronized ContaminationIndex contaminationIndex(Inputs in) {
        if (contaminationIndex == null) {
            contaminationIndex = ContaminationIndex.of(in.evalDocuments());
        }
        return contaminationIndex;
    }

    /** Checks every arm's released samples against the evaluation split ({@link ContaminationCheck}). */
    private void checkContamination(Path dir, List<Strategy> strategies, Inputs in) throws IOException {
        List<com.fasterxml.jackson.databind.node.ObjectNode> contamination = ContaminationCheck.write(dir,
                strategies.stream().map(Strategy::name).toList(), contaminationIndex(in));
        contamination.stream()
                .filter(c -> c.get("textsWithNgramOverlap").asInt() + c.get("nearDuplicates").asInt() > 0)
                .forEach(c -> log.printf("contamination: %s iteration %d: %d of %d samples share a 13-gram with the"
                        + " evaluation split, %d near duplicates (see %s)%n", c.get("strategy").asText(),
                        c.get("iteration").asInt(), c.get("textsWithNgramOverlap").asInt(), c.get("texts").asInt(),
                        c.get("nearDuplicates").asInt(), ContaminationCheck.FILE));
    }

    private Path runFolder(long runSeed) {
        return config.seeds() > 1 ? out.resolve(seedFolder(runSeed)) : out;
    }

    /** Name of the run folder of one run seed inside a multi-seed output folder. */
    public static String seedFolder(long runSeed) {
        return "seed-" + runSeed;
    }

    private List<Strategy> strategies(long runSeed, Inputs in) {
        StrategyContext ctx = new StrategyContext(config, runSeed, in.seedDocuments()::get);
        List<Strategy> out = new ArrayList<>();
        for (String name : config.strategies()) {
            out.add(registry.create(name, ctx));
        }
        return out;
    }

    /**
     * The curriculum: the builder's, else the configuration's, with its topics derived from the seed split (once
     * per runner) when {@code prompting.topicsFromSeed} asks for it.
     */
    private Curriculum curriculum(Inputs in) {
        if (curriculum != null) {
            return curriculum;
        }
        ExperimentConfig.TopicsFromSeed from = config.prompting().topicsFromSeed();
        if (from == null) {
            return config.curriculum();
        }
        if (derivedCurriculum == null) {
            List<Document> seedDocs = in.seedDocuments().get();
            Map<String, String> topicDomains = from.deriver().topicDomains(seedDocs);
            List<String> topics = List.copyOf(topicDomains.keySet());
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("prompting.topicsFromSeed: the seed split (" + seedDocs.size()
                        + " documents) has no common noun of at least " + from.minLetters() + " letters to take as"
                        + " a topic; list the topics in prompting.topics instead");
            }
            log.println("Step A topics from the seed split (" + topics.size() + "): " + topics);
            derivedCurriculum = config.curriculum(topics);
            derivedTopicDomains = Map.copyOf(topicDomains);
        }
        return derivedCurriculum;
    }

    private FeedbackMiner miner() {
        return miner != null ? miner : config.feedbackMiner();
    }

    private ModelSource generatorSource() throws IOException {
        return generator != null ? generator : checkpoint(config.models().generator(), "generator-0",
                config.generator());
    }

    private ModelSource studentSource() throws IOException {
        return student != null ? student : checkpoint(config.models().student(), "student-0", config.student());
    }

    private ModelSource referenceSource() throws IOException {
        // the reference scores with the Student's engine settings and the master seed, whatever the run seed
        return reference != null ? reference : checkpoint(config.models().reference(), "reference",
                config.student());
    }

    private ModelSource checkpoint(@Nullable String given, String embedded, ExperimentConfig.Trainer trainer)
            throws IOException {
        Path path = given == null ? EmbeddedAssets.open().model(embedded) : Path.of(given);
        return seed -> loader.load(path, trainer, seed);
    }

    /**
     * What a run folder's {@code run-config.json} holds: the configuration (with one seed: a seed folder resumes
     * when the run is extended to more seeds), the run seed, the numerics version and every component's
     * description (class and settings), including the fingerprints of the data.
     */
    private String fingerprint(long runSeed, Inputs in, List<Strategy> strategies) throws IOException {
        ObjectNode o = Json.object();
        ObjectNode components = o.putObject("components");
        components.set("curriculum", describe(curriculum(in)));
        SortedMap<String, Object> data = new java.util.TreeMap<>(in.dataFingerprints());
        if (in.seedDocuments().loaded()) {
            data.put("seed", documents(in.seedDocuments().get()));
        }
        components.set("data", Json.tree(data));
        components.set("evaluator", describe(evaluatorFactory));
        if (generator != null) {
            components.set("generator", describe(generator));
        }
        if (measures != null) {
            components.set("measure", describe(measures));
            if (reference != null) {
                components.set("reference", describe(reference));
            }
        }
        components.set("miner", describe(miner()));
        ObjectNode models = checkpointFingerprints();
        if (!models.isEmpty()) {
            components.set("models", models);
        }
        ObjectNode strategyNodes = components.putObject("strategies");
        for (Strategy s : strategies) {
            strategyNodes.set(s.name(), describe(s));
        }
        if (student != null) {
            components.set("student", describe(student));
        }
        o.set("experiment", config.withSeeds(1).recordSettings());
        o.put("numericsVersion", Numerics.VERSION);
        o.put("runSeed", runSeed);
        return Json.prettyWriter().writeValueAsString(o) + "\n";
    }

    /**
     * The SHA-256 of each checkpoint folder the configuration opens (Generator 0, Student 0, the reference; the
     * embedded ones included), so that a run folder refuses to resume on other weights under the same path. Roles
     * given as {@link ModelSource}s describe themselves instead, and a name that is not a folder (a hub id the
     * loader resolves) is left out. Computed once per runner: the models do not change during a run.
     */
    private ObjectNode checkpointFingerprints() throws IOException {
        ObjectNode o = Json.object();
        if (generator == null) {
            putFingerprint(o, "generator", config.models().generator(), "generator-0");
        }
        if (student == null) {
            putFingerprint(o, "student", config.models().student(), "student-0");
        }
        if (reference == null) {
            putFingerprint(o, "reference", config.models().reference(), "reference");
        }
        return o;
    }

    private void putFingerprint(ObjectNode o, String role, @Nullable String given, String embedded)
            throws IOException {
        Path path = given == null ? EmbeddedAssets.open().model(embedded) : Path.of(given);
        if (!Files.isDirectory(path)) {
            return;
        }
        String key = path.toAbsolutePath().normalize().toString();
        String sha = checkpointHashes.get(key);
        if (sha == null) {
            sha = CheckpointFingerprint.of(path);
            checkpointHashes.put(key, sha);
        }
        o.putObject(role).put("sha256", sha);
    }

    /** A component's class (a lambda's enclosing class) and settings. */
    private static JsonNode describe(Object component) {
        ObjectNode o = Json.object();
        String type = component.getClass().getName();
        int lambda = type.indexOf("$$Lambda"); // a lambda's class name ends in a per-process counter and address
        o.put("type", lambda < 0 ? type : type.substring(0, lambda + "$$Lambda".length()));
        if (component instanceof Describable d) {
            o.set("settings", Json.tree(d.settings()));
        }
        return o;
    }

    private static Map<String, Object> documents(List<Document> docs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documents", docs.size());
        m.put("sha256", ExperimentData.fingerprint(docs));
        return m;
    }

    private Inputs inputs() throws IOException {
        List<Document> pool = data("pool", config.data().pool());
        List<Document> stream = data("stream", config.data().stream());
        List<Document> evalDocs = data("eval", config.data().evalText());
        List<Document> fidelity = data("fidelity", config.data().fidelity());
        // the evaluation sample depends on the master seed only: every run seed is evaluated on the same items
        List<Document> heldOut = ExperimentData.heldOutByDomain(evalDocs, config.heldOutDocsPerDomain(),
                config.seed());
        EvalSuite tasks = givenTasks != null ? givenTasks : ExperimentData.readTasks(
                config.data().tasks() == null ? EmbeddedAssets.open().tasks() : Path.of(config.data().tasks()));
        EvalSuite suite = ExperimentData.sampleTasks(skipTasks(tasks), task -> task.startsWith(
                ExperimentConfig.Evaluator.MINIMAL_PAIRS_PREFIX) ? config.evaluator().minimalPairsPerKind()
                : config.evalItemsPerTask(), config.seed());
        log.printf("data: pool %d docs, stream %d docs, eval suite %d items in %d tasks, held-out %d docs%n",
                pool.size(), stream.size(), suite.size(), suite.taskNames().size(), heldOut.size());
        List<String> referenceTexts = fidelity.stream().map(Document::text).toList();
        SortedMap<String, Object> fingerprints = new java.util.TreeMap<>();
        fingerprints.put("pool", documents(pool));
        fingerprints.put("stream", documents(stream));
        fingerprints.put("evalText", documents(evalDocs));
        fingerprints.put("fidelity", documents(fidelity));
        fingerprints.put("tasks", Map.of("items", tasks.size(), "sha256", ExperimentData.fingerprint(tasks)));
        return new Inputs(pool, stream, evalDocs, heldOut, referenceTexts, fidelity, suite, new StrategyContextData(),
                fingerprints);
    }

    /**
     * The suite without the tasks {@code evaluator.skipTasks} names, after checking that every entry names a task
     * of either family and that a family that is on keeps a task.
     */
    private EvalSuite skipTasks(EvalSuite tasks) {
        ExperimentConfig.Evaluator e = config.evaluator();
        if (e.skipTasks().isEmpty()) {
            return tasks;
        }
        List<String> generative = HeldOutEvaluator.embeddedGenerativeTasks(1).stream().map(GenerativeItem::task)
                .distinct().toList();
        List<String> all = new ArrayList<>(tasks.taskNames());
        all.addAll(generative);
        for (String pattern : e.skipTasks()) {
            if (all.stream().noneMatch(t -> ExperimentConfig.Evaluator.matches(pattern, t))) {
                throw new IllegalArgumentException("evaluator.skipTasks: '" + pattern + "' matches no task; tasks: "
                        + String.join(", ", all));
            }
        }
        List<MultipleChoiceItem> kept = tasks.items().stream().filter(i -> !e.skips(i.task())).toList();
        if (e.multipleChoice() && kept.isEmpty()) {
            throw new IllegalArgumentException("evaluator.skipTasks leaves no multiple-choice task; to switch the"
                    + " family off set evaluator.multipleChoice to false");
        }
        if (e.generative() && !generative.isEmpty() && generative.stream().allMatch(e::skips)) {
            throw new IllegalArgumentException("evaluator.skipTasks leaves no generative task; to switch the family"
                    + " off set evaluator.generative to false");
        }
        return kept.isEmpty() ? tasks : EvalSuite.of(kept);
    }

    /**
     * Refuses a configured model or data path that does not exist (and that no builder option replaces), naming
     * the key, before any work starts.
     */
    private void checkPaths() throws IOException {
        for (String missing : config.missingPaths()) {
            String field = missing.substring(0, missing.indexOf(':'));
            boolean replaced = switch (field) {
                case "models.generator" -> generator != null;
                case "models.student" -> student != null;
                case "models.reference" -> reference != null || measures == null;
                case "data.tasks" -> givenTasks != null;
                case "data.evalText" -> givenData.containsKey("eval");
                default -> givenData.containsKey(field.substring("data.".length()));
            };
            if (!replaced) {
                throw new IOException(missing + ": no such file or folder (a relative path in"
                        + " a configuration file is resolved against the file's folder)");
            }
        }
    }

    /** A data set: given to the builder, else the configuration's file, else the embedded split. */
    private List<Document> data(String split, @Nullable String path) throws IOException {
        List<Document> given = givenData.get(split);
        if (given != null) {
            return given;
        }
        return ExperimentData.read(path == null ? EmbeddedAssets.open().split(split) : Path.of(path));
    }

    private ExperimentResult aggregate(List<SeedStatistics.SeedRun> runs, Set<String> headlineTasks,
            EvalSuite suite, List<Long> seeds) throws IOException {
        boolean multi = seeds.size() > 1;
        log.println("statistics over " + runs.size() + " run seed(s)");
        SeedStatistics stats = SeedStatistics.compute(runs, config.strategies(), config.iterations(), log);
        stats.write(out);
        String headline = gainRecovered(runs) + computePerArm(runs);
        Path report = Report.writeAggregate(out, stats, runs, "Generative Data Symbiosis: " + config.preset() + " run"
                + (multi ? ", " + runs.size() + " seeds" : ""), headline + preamble(headlineTasks, suite,
                multi ? "run seeds " + runs.stream().map(SeedStatistics.SeedRun::seed).toList()
                        + (runs.size() < seeds.size() ? " (report of the seeds that have records, of " + seeds + ")"
                        : "") : "seed " + config.seed()) + studentZeroAndRetention(runs));
        log.println("report: " + report);
        return new ExperimentResult(runs, stats, report, headlineTasks);
    }

    /**
     * The headline table (fraction of the real-data gain each arm recovers at the last iteration) as HTML, also
     * written to {@code gain-recovered.csv}; empty when the run has no {@code real-upper-bound} arm.
     */
    private String gainRecovered(List<SeedStatistics.SeedRun> runs) throws IOException {
        if (!config.strategies().contains(GainRecovered.REFERENCE)) {
            return "";
        }
        List<GainRecovered.Row> rows;
        try {
            rows = GainRecovered.compute(runs.stream().map(SeedStatistics.SeedRun::dir).toList(),
                    config.strategies(), config.iterations(), config.seed());
        } catch (IllegalArgumentException e) {
            return "<p>Fraction of the real-data gain recovered: not computed (" + e.getMessage() + ").</p>\n";
        }
        List<String> csv = new ArrayList<>();
        csv.add("strategy,iteration,runs,gain,reference_gain,ratio,lower95,upper95");
        StringBuilder html = new StringBuilder("<h2>Fraction of the real-data gain recovered</h2>\n<p>(bpb<sub>0"
                + "</sub> &minus; bpb<sub>T</sub>(arm)) / (bpb<sub>0</sub> &minus; bpb<sub>T</sub>(real-upper-bound))"
                + " of the held-out <code>bpb.macro</code> at iteration T = " + config.iterations() + ", ratio of means"
                + " over " + runs.size() + " run(s), 95% hierarchical bootstrap interval (runs, then documents within"
                + " domains). A positive gain means the arm improved the Student.</p>\n<table><tr><th>arm</th>"
                + "<th>gain</th><th>real-data gain</th><th>recovered</th><th>95% interval</th></tr>\n");
        for (GainRecovered.Row r : rows) {
            csv.add(String.format(java.util.Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f", r.strategy(),
                    r.iteration(), r.runs(), r.gain(), r.referenceGain(), r.ratio(), r.lower95(), r.upper95()));
            html.append(String.format(java.util.Locale.ROOT, "<tr><td>%s</td><td>%+.4f</td><td>%+.4f</td>"
                    + "<td>%.2f</td><td>[%.2f, %.2f]</td></tr>%n", r.strategy(), r.gain(), r.referenceGain(),
                    r.ratio(), r.lower95(), r.upper95()));
        }
        AtomicFiles.writeLines(out.resolve("gain-recovered.csv"), csv);
        return html.append("</table>\n").toString();
    }

    /**
     * Compute per arm ({@link ComputePerArm}) as a folded HTML table, also written to {@code compute.csv}: what a
     * comparison at matched compute needs. Empty when no run has timing lines.
     */
    private String computePerArm(List<SeedStatistics.SeedRun> runs) throws IOException {
        List<ComputePerArm.Row> rows = ComputePerArm.of(runs.stream().map(SeedStatistics.SeedRun::dir).toList());
        if (rows.isEmpty()) {
            return "";
        }
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        rows.forEach(r -> keys.addAll(r.tokens().keySet()));
        List<String> csv = new ArrayList<>();
        csv.add("strategy,runs," + String.join(",", keys) + ",tokens_total,seconds");
        StringBuilder html = new StringBuilder("<details><summary><b>Compute per arm</b> (mean per run over"
                + " iterations 1.." + config.iterations() + ", millions of token positions; seconds of wall clock)"
                + "</summary>\n<p>Counted where the loop hands work to a model: scoring forward, saliency and"
                + " training forward and backward, generation the prompt plus the sampled tokens (also when the run's"
                + " generation cache served them). The held-out evaluation is not counted. Seconds depend on the"
                + " machine and on what ran beside.</p>\n<table><tr><th>arm</th>");
        keys.forEach(k -> html.append("<th>").append(k.substring("tokens.".length())).append("</th>"));
        html.append("<th>all</th><th>seconds</th></tr>\n");
        for (ComputePerArm.Row r : rows) {
            StringBuilder line = new StringBuilder(r.strategy() + "," + r.runs());
            html.append("<tr><td>").append(r.strategy()).append("</td>");
            for (String k : keys) {
                double v = r.tokens().getOrDefault(k, 0.0);
                line.append(String.format(java.util.Locale.ROOT, ",%.1f", v));
                html.append(String.format(java.util.Locale.ROOT, "<td>%.3f</td>", v / 1e6));
            }
            line.append(String.format(java.util.Locale.ROOT, ",%.1f,%.1f", r.totalTokens(), r.seconds()));
            html.append(String.format(java.util.Locale.ROOT, "<td>%.3f</td><td>%.0f</td></tr>%n",
                    r.totalTokens() / 1e6, r.seconds()));
            csv.add(line.toString());
        }
        AtomicFiles.writeLines(out.resolve("compute.csv"), csv);
        return html.append("</table></details>\n").toString();
    }

    /**
     * Student 0's pooled minimal-pairs accuracy ({@link MinimalPairsAccuracy}) and the retention of what it gets
     * right ({@link Retention}) as HTML, also written to their files; empty parts when there are no such items.
     */
    private String studentZeroAndRetention(List<SeedStatistics.SeedRun> runs) throws IOException {
        List<MinimalPairsAccuracy.Row> pairs = MinimalPairsAccuracy.compute(runs, config.strategies());
        if (!pairs.isEmpty()) {
            MinimalPairsAccuracy.writeCsv(out.resolve(MinimalPairsAccuracy.FILE), pairs);
        }
        List<Retention.Row> retention = Retention.compute(runs.stream().map(SeedStatistics.SeedRun::dir).toList(),
                config.strategies(), config.iterations());
        if (!retention.isEmpty()) {
            Retention.writeCsv(out.resolve(Retention.FILE), retention);
        }
        return "\n" + MinimalPairsAccuracy.html(pairs) + Retention.html(retention, config.iterations());
    }

    /**
     * The records of a run folder, read without opening it as a {@link RunStore} (which would tidy the folder
     * under a process that may still be writing it).
     */
    static List<IterationRecord> readRecords(Path dir) throws IOException {
        List<IterationRecord> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("results.jsonl"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(Json.reader().forType(IterationRecord.class).readValue(lines.get(i)));
            } catch (IOException e) {
                throw new IOException(dir.resolve("results.jsonl") + ":" + (i + 1) + ": not an iteration record: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Set<String> readHeadlineTasks(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        if (Files.exists(file)) {
            Json.reader().readTree(Files.readAllBytes(file)).path("tasks")
                    .forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    /** Tasks on which Generator 0 beats chance (Wilson lower bound above chance), decided once per run folder. */
    private Set<String> headlineTasks(RunStore store, Inputs in, long runSeed) throws IOException {
        Path file = store.dir().resolve(HEADLINE_TASKS_FILE);
        if (Files.exists(file)) {
            return readHeadlineTasks(file);
        }
        if (!config.evaluator().multipleChoice()) {
            ObjectNode o = Json.object();
            o.putArray("tasks");
            o.put("rule", "none: the multiple-choice tasks are switched off (evaluator.multipleChoice false)");
            AtomicFiles.write(file, Json.prettyWriter().writeValueAsBytes(o));
            return Set.of();
        }
        log.println("choosing headline tasks: evaluating Generator 0 on the suite");
        EvalResult r;
        try (LanguageModel g0 = generatorSource().open(runSeed)) {
            r = HeldOutEvaluator.builder(in.suite(), in.heldOut()).optBatchSize(config.evaluator().batchSize())
                    .optGenerativeItems(List.of()).build().multipleChoice(g0, (d, t) -> { });
        }
        ObjectNode o = Json.object();
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
        AtomicFiles.write(file, Json.prettyWriter().writeValueAsBytes(o));
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
                + ". Headline: held-out bits per byte (<code>bpb.macro</code>, lower is better). "
                + (config.evaluator().multipleChoice() ? "Multiple-choice tasks: " + suite.taskNames()
                        + "; tasks counted in <code>mc.headline_acc</code> (Generator 0 beats chance): "
                        + headlineTasks : "Multiple-choice tasks: switched off")
                + (config.evaluator().generative() ? "" : "; generative tasks: switched off") + ".</p>";
    }

    /**
     * The measurement, made with the reference model on first use: a run that only resumes complete strategies
     * loads no model. Closes what it opened. Thread-safe.
     */
    private final class LazyMeasure implements TextSetMeasure, AutoCloseable {
        private final MeasureFactory factory;
        private final List<Document> fidelity;
        private @Nullable LanguageModel reference;
        private @Nullable TextSetMeasure measure;

        LazyMeasure(MeasureFactory factory, List<Document> fidelity) {
            this.factory = factory;
            this.fidelity = fidelity;
        }

        @Override
        public synchronized SortedMap<String, Double> measure(List<String> texts) {
            return opened().measure(texts);
        }

        @Override
        public synchronized SortedMap<String, Double> measure(List<String> texts,
                List<dev.symbiosis.core.text.Provenance> provenances) {
            return opened().measure(texts, provenances);
        }

        /** The measure, made on first use: by then the loops have derived the Step A topics, if they do. */
        private TextSetMeasure opened() {
            if (measure == null) {
                try {
                    reference = referenceSource().open(config.seed());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                measure = factory.create(config, fidelity, derivedTopicDomains, reference);
            }
            return measure;
        }

        @Override
        public synchronized void close() {
            for (Object r : new Object[] {measure, reference}) {
                if (r instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        log.println("warning: closing " + r + ": " + e);
                    }
                }
            }
            measure = null;
            reference = null;
        }
    }

    /**
     * Options of {@link ExperimentRunner}; every option's default is named on it. Not thread-safe.
     */
    public static final class Builder {
        private ExperimentConfig config;
        private @Nullable Path out;
        private PrintStream log = System.err;
        private StrategyRegistry registry = StrategyRegistry.standard();
        private ModelLoader loader = DefaultComponents::loadModel;
        private @Nullable ModelSource generator;
        private @Nullable ModelSource student;
        private @Nullable ModelSource reference;
        private EvaluatorFactory evaluatorFactory = HELD_OUT;
        private @Nullable FeedbackMiner miner;
        private @Nullable Curriculum curriculum;
        private @Nullable MeasureFactory measures = DefaultComponents.MEASURE;
        private final Map<String, List<Document>> givenData = new LinkedHashMap<>();
        private @Nullable EvalSuite givenTasks;
        private @Nullable Set<Long> onlySeeds;
        private @Nullable Set<String> onlyStrategies;
        private boolean reportOnly;
        private @Nullable Integer parallelism;
        private boolean generationCache = true;
        private @Nullable Path reuseUnitsFrom;

        private Builder(ExperimentConfig config) {
            this.config = Objects.requireNonNull(config, "config").validate();
        }

        /** The output folder. Default {@code runs/<preset>}. */
        public Builder optOutput(Path value) {
            this.out = Objects.requireNonNull(value, "output");
            return this;
        }

        /** Where progress and warnings go. Default {@code System.err}. */
        public Builder optLog(PrintStream value) {
            this.log = Objects.requireNonNull(value, "log");
            return this;
        }

        /** The registry the configuration's strategy names are resolved in. Default {@link StrategyRegistry#standard()}. */
        public Builder optRegistry(StrategyRegistry value) {
            this.registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        /**
         * Adds a strategy of one's own: registers {@code factory} under {@code name} in this builder's registry and
         * appends the name to the configuration's strategies (the run order). The factory is called once per run
         * seed and must return a fresh strategy named {@code name}.
         */
        public Builder addStrategy(String name, StrategyRegistry.StrategyFactory factory) {
            registry.register(name, factory);
            if (!config.strategies().contains(name)) {
                List<String> names = new ArrayList<>(config.strategies());
                names.add(name);
                config = config.withStrategies(names);
            }
            return this;
        }

        /**
         * How checkpoint folders of the configuration's {@code models} are loaded. Default
         * {@link DefaultComponents#loadModel} (DJL, LoRA per the trainer settings).
         */
        public Builder optModelLoader(ModelLoader value) {
            this.loader = Objects.requireNonNull(value, "loader");
            return this;
        }

        /** Generator 0, opened fresh per strategy and run seed. Default the configuration's checkpoint. */
        public Builder optGenerator(ModelSource value) {
            this.generator = Objects.requireNonNull(value, "generator");
            return this;
        }

        /** Student 0, opened fresh per strategy and run seed. Default the configuration's checkpoint. */
        public Builder optStudent(ModelSource value) {
            this.student = Objects.requireNonNull(value, "student");
            return this;
        }

        /** The reference model of the fidelity figures (opened once). Default the configuration's checkpoint. */
        public Builder optReference(ModelSource value) {
            this.reference = Objects.requireNonNull(value, "reference");
            return this;
        }

        /** The held-out evaluator. Default {@link #HELD_OUT}. Per-item results it returns are filed and tested. */
        public Builder optEvaluator(EvaluatorFactory value) {
            this.evaluatorFactory = Objects.requireNonNull(value, "evaluator");
            return this;
        }

        /**
         * Step C's miner. Default the configuration's ({@link ExperimentConfig#feedbackMiner()}). The Symbiosis
         * ablations derive their variants from it, so they need an {@code UncertaintyFeedbackMiner}.
         */
        public Builder optMiner(FeedbackMiner value) {
            this.miner = Objects.requireNonNull(value, "miner");
            return this;
        }

        /**
         * The curriculum of Steps A and D. Default the configuration's ({@link ExperimentConfig#curriculum()}), with
         * its topics derived from the seed split when {@code prompting.topicsFromSeed} is set.
         */
        public Builder optCurriculum(Curriculum value) {
            this.curriculum = Objects.requireNonNull(value, "curriculum");
            return this;
        }

        /** The measurement of each iteration's texts. Default {@link DefaultComponents#MEASURE}. */
        public Builder optMeasure(MeasureFactory value) {
            this.measures = Objects.requireNonNull(value, "measure");
            return this;
        }

        /** No measurement of the iterations' texts (and no reference model). Default: measured. */
        public Builder optNoMeasure() {
            this.measures = null;
            return this;
        }

        /** The unlabeled pool of Step C. Default the configuration's {@code data.pool} (or the embedded split). */
        public Builder optPool(List<Document> value) {
            givenData.put("pool", List.copyOf(value));
            return this;
        }

        /** The real-data stream of the real-data baselines. Default {@code data.stream}. */
        public Builder optRealStream(List<Document> value) {
            givenData.put("stream", List.copyOf(value));
            return this;
        }

        /** The real seed documents of {@code recursive-accumulate}. Default {@code data.seed}. */
        public Builder optSeedDocuments(List<Document> value) {
            givenData.put("seed", List.copyOf(value));
            return this;
        }

        /** The held-out documents sampled for bits per byte. Default {@code data.evalText}. */
        public Builder optHeldOutText(List<Document> value) {
            givenData.put("eval", List.copyOf(value));
            return this;
        }

        /** The held-out fidelity texts of the measurement. Default {@code data.fidelity}. */
        public Builder optFidelityText(List<Document> value) {
            givenData.put("fidelity", List.copyOf(value));
            return this;
        }

        /** The multiple-choice tasks (sampled per {@code evalItemsPerTask}). Default {@code data.tasks}. */
        public Builder optTasks(EvalSuite value) {
            this.givenTasks = Objects.requireNonNull(value, "tasks");
            return this;
        }

        /**
         * Runs only the given run seeds of a multi-seed experiment (their seed folders), without the aggregate: lets
         * several processes or machines share the seeds of one output folder, one seed each; a last run without this
         * option then finds every seed complete and writes the aggregate. Default: every seed.
         */
        public Builder optOnlySeeds(Collection<Long> seeds) {
            this.onlySeeds = Set.copyOf(seeds);
            return this;
        }

        /**
         * Runs only the named strategies of each run seed (of the seeds {@link #optOnlySeeds} selects), without the
         * aggregate: lets several processes or machines share the (strategy, run seed) units of one output folder,
         * e.g. one unit each; a last run without this option then finds every unit complete and writes the
         * aggregate. The run folder's {@code run-config.json} still names every strategy of the configuration, so
         * runs of different strategies agree on it, and results.jsonl and timings.jsonl are put back in the
         * configuration's strategy order afterwards, as a serial run leaves them. Default: every strategy.
         *
         * <p>Runs of different strategies must not write one run folder <b>at the same time</b> from different
         * processes: a run folder belongs to one process at a time ({@link RunStore}: opening it deletes temporaries,
         * results.jsonl is rewritten whole, the generation cache appends at the end it read). Concurrent processes
         * give each unit its own output folder and merge them afterwards (as {@code symbiosis-spark}'s
         * {@code ExperimentGrid} does). Within one process the units run concurrently anyway
         * ({@link #optParallelism}).
         *
         * @param names strategy names of the configuration, copied; checked by {@link #build()}
         */
        public Builder optOnlyStrategies(Collection<String> names) {
            this.onlyStrategies = Set.copyOf(names);
            return this;
        }

        /**
         * Writes the aggregate from the run folders as they are (a run in progress or an interrupted one), without
         * running or loading any model: figures average over the seeds that have them, and a paired test is left
         * out where a seed lacks one of the two strategies' per-item results. Default: off.
         */
        public Builder optReportOnly(boolean value) {
            this.reportOnly = value;
            return this;
        }

        /**
         * How many (strategy, run seed) units run at once, each on its own thread with its own models and one
         * PyTorch intra-op thread (see {@link SymbiosisLoop#runAll}); 1 runs them one after the other on the
         * calling thread. Default the configuration's {@link ExperimentConfig#parallelism() parallelism}, whose 0
         * means one per available processor. Every value gives the same records and run folders (timings aside);
         * memory grows with the models of the running units. With a component of one's own, the evaluator is then
         * called from several threads at once, and the model sources too.
         *
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder optParallelism(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("parallelism must be >= 1, got " + value);
            }
            this.parallelism = value;
            return this;
        }

        /**
         * Whether Generator samples are cached by content in each run folder
         * ({@link dev.symbiosis.core.loop.GenerationCache}), shared by the strategies of the run seed and by a
         * resumed run. Default true. The records are the same either way.
         */
        public Builder optGenerationCache(boolean value) {
            this.generationCache = value;
            return this;
        }

        /**
         * Takes finished (strategy, run seed) units from another run folder instead of running them again: a run that
         * adds arms to a finished one, or an ablation sharing arms with a main run, computes only what is new. For
         * each run seed {@code s}, the other folder's run of that seed ({@code folder/seed-<s>/}, or {@code folder}
         * itself when it is a one-seed run of {@code s}) lends every strategy it finished that this run folder has
         * no record of: the strategy's per-iteration files, records, timing lines and contamination findings are
         * copied (not its checkpoints). The two runs must have the same settings but for their arms (the preset's
         * name, the number of run seeds, the strategy list and the other strategies' settings may differ; anything
         * else, models' SHA-256 included, is refused naming the fields): a unit's records do not depend on the
         * other arms of its run. Not part of the run folder's fingerprint. Default: none.
         */
        public Builder optReuseUnitsFrom(Path folder) {
            this.reuseUnitsFrom = folder;
            return this;
        }

        /**
         * The runner.
         *
         * @throws IllegalArgumentException if a strategy name is not in the registry, an only-seed is not one of
         *     the configuration's run seeds, or the only-strategies are empty or name a strategy the configuration
         *     does not run
         */
        public ExperimentRunner build() {
            registry.checkKnown(config.strategies());
            if (onlyStrategies != null) {
                if (onlyStrategies.isEmpty()) {
                    throw new IllegalArgumentException("only-strategies is empty: name at least one of the"
                            + " configuration's strategies " + config.strategies());
                }
                for (String s : new TreeSet<>(onlyStrategies)) {
                    if (!config.strategies().contains(s)) {
                        throw new IllegalArgumentException("strategy '" + s + "' is not one of the configuration's"
                                + " strategies " + config.strategies());
                    }
                }
            }
            if (onlySeeds != null) {
                for (long s : onlySeeds) {
                    if (!config.runSeeds().contains(s)) {
                        throw new IllegalArgumentException("run seed " + s + " is not one of the configuration's run "
                                + "seeds " + config.runSeeds());
                    }
                }
            }
            return new ExperimentRunner(this);
        }
    }
}
