package dev.symbiosis.core.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs strategies through the same iterations, records and checkpoints (proposal Section 3.1; design: "one
 * symbiotic iteration"). Per strategy and iteration {@code t = 1..T}: {@link Strategy#prepare} (Step A or the
 * baseline's data), Student training (Step B), {@link Strategy#afterTraining} (Steps C and D), evaluation on the
 * held-out suite, measurement of the iteration's texts, the release files, a checkpoint, and one
 * {@link IterationRecord}. Iteration 0 records Student 0's evaluation.
 *
 * <p>Resumption: running again on the same run folder continues every strategy from its last iteration that has
 * both a record and a complete checkpoint; records past it are dropped and redone. A strategy with a record of
 * the last iteration (or one that stopped on a plateau) is finished and needs no checkpoint: the records of
 * finished strategies, copied into an empty run folder of the same configuration, are kept as they are. Every
 * random choice derives from {@link LoopConfig#seedFor}, so a resumed run gives the records of an uninterrupted
 * one (on CPU, given deterministic models).
 *
 * <p>Each record carries {@link IterationRecord.FeedbackAnalytics} (loss on earlier hard sets, overlap of
 * successive hard sets, composition of hard examples and synthetic data) and the number of samples the
 * curriculum's near-duplicate filter dropped; the filter's memory of accepted samples is part of the checkpoint.
 *
 * <p>Strategies may run concurrently, {@link Builder#optParallelism} at a time (default 1), and the strategies of
 * several loops together ({@link #runAll}), each on its own thread with its own Student 0, Generator 0 (loaded when
 * needed), strategy state and random streams, closed at its end. The files are those of a serial run: records
 * and timings are inserted in the order of the strategy list (then by iteration), each strategy writes only in its
 * own folder, and since every random choice derives from the seeds and not from timing, the records are the same
 * for every parallelism (given deterministic models). After a strategy fails, the others stop at the end of their
 * current iteration (with its checkpoint) and no further strategy starts; the first failure is thrown.
 *
 * <p>Generator samples are cached by content in the run folder ({@link GenerationCache}, option
 * {@link Builder#optGenerationCache}): strategies that ask the same Generator state the same prompt with the same
 * row seed (e.g. the ablations' Step A of iteration 1 from Generator 0), and a resumed run, share one generation.
 * Records are the same with and without the cache.
 *
 * <p>{@link #run} is not meant to be called by two threads at once on one loop, nor one loop given twice to
 * {@link #runAll}.
 */
public final class SymbiosisLoop {

    private final LoopConfig config;
    private final Supplier<LanguageModel> generator0;
    private final Supplier<LanguageModel> student0;
    private final StudentEvaluator evaluator;
    private final RunStore store;
    private final List<Document> pool;
    private final List<Document> realStream;
    private final Curriculum curriculum;
    private final FeedbackMiner miner;
    private final TextSetMeasure measure;
    private final List<LoopListener> listeners;
    private final int parallelism;
    private final boolean generationCache;
    /** Listeners get one event at a time, also when several loops run at once ({@link #runAll}). */
    private static final Object LISTENER_LOCK = new Object();
    private final Object sharedStateLock = new Object();
    /** Content identity of Generator 0, found once (by saving one) when the cache first needs it. */
    private String generator0State;
    private GenerationCache cache;
    /**
     * The evaluator's Generator figures by Generator state ({@link #GENERATOR_0_KEY} or a content identity), so that a
     * Generator that did not change (Generator 0 in most arms) is scored once per run, not once per arm and iteration.
     */
    private final Map<String, SortedMap<String, Double>> generatorFigures = new ConcurrentHashMap<>();
    private static final String GENERATOR_0_KEY = "generator-0";
    /** Student 0's evaluation, made by the first strategy that needs it ({@link #initialEvaluation}). */
    private Evaluation student0Evaluation; // guarded by student0Lock
    /** Held while Student 0 is evaluated, so concurrent units wait for the one evaluation instead of repeating it. */
    private final Object student0Lock = new Object();
    /** Prefix of the Generator's figures in every record ({@link StudentEvaluator#evaluateGenerator}). */
    public static final String GENERATOR_PREFIX = "generator.";

    /** The near-duplicate filter's accepted signatures inside a checkpoint. */
    static final String NEAR_DUPLICATES_FILE = "near-duplicates.bin";
    private static final String HARD_EXAMPLES_FILE = "hard-examples.jsonl";
    /**
     * The texts an iteration's measurement measured, in the order measured, in the iteration folder: one JSON
     * object per line with {@code text}, {@code origin} ({@code synthetic} or {@code real}), {@code truncated}
     * (the text the token budget cut) and {@code provenance} (what the measure was given with the text). Written only
     * when the loop has a measure.
     */
    public static final String MEASURED_FILE = "measured.jsonl";

    private SymbiosisLoop(Builder b) {
        this.config = b.config;
        this.generator0 = b.generator0;
        this.student0 = b.student0;
        this.evaluator = b.evaluator;
        this.store = b.store;
        this.pool = List.copyOf(b.pool);
        this.realStream = List.copyOf(b.realStream);
        this.curriculum = b.curriculum;
        this.miner = b.miner;
        this.measure = b.measure;
        this.listeners = List.copyOf(b.listeners);
        this.parallelism = b.parallelism;
        this.generationCache = b.generationCache;
    }

    /**
     * @param config sizes and seeds
     * @param generator0 loads a fresh Generator 0 (called once per strategy that needs one, from the strategy's
     *     thread: with a parallelism above one, from several threads at once)
     * @param student0 loads a fresh Student 0 (called once per strategy, from the strategy's thread)
     * @param evaluator the held-out evaluation
     * @param store the run folder
     */
    public static Builder builder(LoopConfig config, Supplier<LanguageModel> generator0,
            Supplier<LanguageModel> student0, StudentEvaluator evaluator, RunStore store) {
        return new Builder(config, generator0, student0, evaluator, store);
    }

    /**
     * Runs (or resumes) every strategy, {@link Builder#optParallelism} at a time, starting them in list order;
     * returns all records of the run folder afterwards (in list order, then by iteration). The same as
     * {@link #runAll runAll(List.of(new Run(this, strategies)), parallelism)}.
     *
     * @throws IllegalArgumentException if two strategies have the same name
     * @throws IOException the first failure of a strategy (others are added as suppressed), after the running
     *     strategies have stopped
     */
    public List<IterationRecord> run(List<? extends Strategy> strategies) throws IOException {
        return runAll(List.of(new Run(this, strategies)), parallelism).get(0);
    }

    /**
     * One run folder's share of {@link #runAll}: a loop and the strategies it runs, in their order.
     *
     * @param loop the loop (its run folder, models, evaluator and listeners)
     * @param strategies the strategies, copied; their names must be distinct
     */
    public record Run(SymbiosisLoop loop, List<? extends Strategy> strategies) {

        /** Copies the list. */
        public Run {
            Objects.requireNonNull(loop, "loop");
            strategies = List.copyOf(strategies);
        }
    }

    /**
     * Runs (or resumes) the strategies of several loops (e.g. one per run seed) as independent (strategy, loop)
     * units, {@code parallelism} at a time, each on its own thread with its own models (see the class comment);
     * units start in order: the first run's strategies in their order, then the second run's, and so on. With a
     * parallelism of 1 (or a single unit) every unit runs on the calling thread, one after the other. Every run
     * folder ends up with the files of a serial run of its strategies, whatever the parallelism.
     *
     * <p>After a unit fails, the running ones stop at the end of their current iteration (with its checkpoint) and
     * no further unit starts; the first failure is thrown, the others are added to it as suppressed. An interrupt of
     * the calling thread stops them the same way and then throws {@link java.io.InterruptedIOException}.
     *
     * @param runs the loops and their strategies; an empty list runs nothing
     * @param parallelism units at once, {@code >= 1}
     * @return every run's records afterwards (each in its strategy order, then by iteration), in the order of
     *     {@code runs}
     * @throws IllegalArgumentException if a run lists two strategies of one name, two runs share a loop, or
     *     {@code parallelism < 1}
     * @throws IOException the first failure of a unit
     */
    public static List<List<IterationRecord>> runAll(List<Run> runs, int parallelism) throws IOException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        Set<SymbiosisLoop> loops = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        record Unit(SymbiosisLoop loop, Strategy strategy, List<String> order) {}
        List<Unit> units = new ArrayList<>();
        for (Run r : runs) {
            if (!loops.add(r.loop())) {
                throw new IllegalArgumentException("a loop is given twice (its strategies belong in one Run)");
            }
            List<String> order = r.strategies().stream().map(Strategy::name).toList();
            if (new HashSet<>(order).size() != order.size()) {
                throw new IllegalArgumentException("strategy names must be distinct (each has its own folder): "
                        + order);
            }
            for (Strategy s : r.strategies()) {
                units.add(new Unit(r.loop(), s, order));
            }
        }
        int threads = Math.min(parallelism, units.size());
        if (threads <= 1) {
            for (Unit u : units) {
                u.loop().run(u.strategy(), u.order(), null);
            }
        } else {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger started = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
                Thread t = new Thread(task, "symbiosis-unit-" + started.incrementAndGet());
                t.setDaemon(false);
                return t;
            });
            List<Future<?>> running = new ArrayList<>();
            try {
                for (Unit u : units) {
                    running.add(pool.submit(() -> {
                        if (stop.get()) {
                            return null;
                        }
                        try {
                            u.loop().run(u.strategy(), u.order(), stop);
                        } catch (IOException | RuntimeException | Error e) {
                            stop.set(true);
                            throw e;
                        }
                        return null;
                    }));
                }
            } finally {
                pool.shutdown();
            }
            awaitAll(running, stop);
        }
        List<List<IterationRecord>> out = new ArrayList<>();
        for (Run r : runs) {
            out.add(r.loop().store.records());
        }
        return out;
    }

    /** Waits for every unit; throws the first failure (others suppressed into it) once all have ended. */
    private static void awaitAll(List<Future<?>> running, AtomicBoolean stop) throws IOException {
        Throwable failure = null;
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                    break;
                } catch (InterruptedException e) {
                    // stop the units at their next iteration and wait for their checkpoints
                    interrupted = true;
                    stop.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                throw new java.io.InterruptedIOException("interrupted: the strategies stopped after their current "
                        + "iteration; run again to resume");
            }
        }
        if (failure instanceof IOException e) {
            throw e;
        } else if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Runs (or resumes) one strategy on the calling thread; returns its records. */
    public List<IterationRecord> run(Strategy strategy) throws IOException {
        return run(strategy, List.of(strategy.name()), null);
    }

    /**
     * Runs (or resumes) one strategy.
     *
     * @param order the strategies of the run in list order (where its records go in results.jsonl)
     * @param stop when set (another strategy failed), the strategy ends after its current iteration
     */
    private List<IterationRecord> run(Strategy strategy, List<String> order, AtomicBoolean stop)
            throws IOException {
        String name = strategy.name();
        GenerationCache generations = generationCache();
        Path sdir = store.strategyDir(name);
        List<IterationRecord> all = store.records();
        List<IterationRecord> mine = new ArrayList<>(all.stream().filter(r -> r.strategy().equals(name)).toList());
        if (mine.stream().anyMatch(r -> r.stopped() != null || r.iteration() == config.iterations())) {
            // a finished strategy needs no checkpoint: its records are the product, a checkpoint only continues it
            // (so records restored without checkpoints, e.g. from a study's packed records, are not redone)
            notify(l -> l.strategyFinished(name, "resumed-complete"));
            return mine;
        }
        int resumeAt = 0;
        for (IterationRecord r : mine) {
            if (r.iteration() >= 1 && store.hasCheckpoint(name, r.iteration())) {
                resumeAt = Math.max(resumeAt, r.iteration());
            }
        }
        final int done = resumeAt;
        // records without a checkpoint behind them are redone; a strategy started again from its beginning also
        // evaluates Student 0 again, since a kept iteration-0 record may come from other weights (a folder written
        // before the checkpoints' SHA-256 were recorded takes the current ones: RunFingerprint)
        int keep = done == 0 ? -1 : done;
        boolean hasInitial = keep >= 0 && mine.stream().anyMatch(r -> r.iteration() == 0);
        if (mine.stream().anyMatch(r -> r.iteration() > keep)) {
            mine.removeIf(r -> r.iteration() > keep);
            store.dropRecordsAfter(name, keep);
        }
        notify(l -> l.strategyStarted(name, done + 1, config.iterations()));
        NearDuplicateFilter nearDuplicates = curriculum.nearDuplicateFilter(config.seedFor(0, "near-duplicates"))
                .orElse(null);
        try (LanguageModel student = student0.get();
                IterationContext.ModelSlot generator = new IterationContext.ModelSlot(generator0,
                        this::generator0State)) {
            Path initialStudent = sdir.resolve("initial-student");
            if (!Files.exists(initialStudent.resolve("COMPLETE"))) {
                Path tmp = sdir.resolve("initial-student.tmp");
                AtomicFiles.deleteTree(tmp);
                student.save(tmp);
                AtomicFiles.write(tmp.resolve("COMPLETE"), new byte[0]);
                AtomicFiles.deleteTree(initialStudent);
                Files.move(tmp, initialStudent, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            if (done >= 1) {
                Path ck = store.checkpointDir(name, done);
                student.restore(ck.resolve("student"));
                if (strategy.evolvesGenerator() && Files.exists(ck.resolve("generator"))) {
                    generator.model().restore(ck.resolve("generator"));
                    generator.setState(store.contentId(name, done, "generator"));
                }
                strategy.restoreState(ck.resolve("state"));
                Path nd = ck.resolve(NEAR_DUPLICATES_FILE);
                if (nearDuplicates != null && Files.exists(nd)) {
                    try (InputStream in = Files.newInputStream(nd)) {
                        nearDuplicates.restore(in, nd.toString());
                    }
                }
            } else {
                strategy.resetState();
            }
            if (!hasInitial) {
                Evaluation e = initialEvaluation(student, name);
                IterationRecord r0 = new IterationRecord(name, 0, e.headlineName(),
                        withGeneratorFigures(e.figures(), generator, name, 0), new TreeMap<>(),
                        null, TrainingReport.empty(), null, null, 0, 0, 0, false, null, null, 0, 0);
                store.insert(r0, order);
                mine.add(r0);
                notify(l -> l.iterationFinished(r0, new TreeMap<>()));
            }
            RealStream stream = new RealStream(realStream, config.seedFor(0, "real stream"), student::countTokens);
            for (int t = done + 1; t <= config.iterations(); t++) {
                if (stop != null && stop.get()) {
                    return mine;
                }
                IterationRecord r = iteration(strategy, t, student, generator, initialStudent, stream, mine,
                        nearDuplicates, order, generations);
                mine.add(r);
                if (r.stopped() != null) {
                    notify(l -> l.strategyFinished(name, "plateau"));
                    return mine;
                }
            }
        }
        notify(l -> l.strategyFinished(name, "done"));
        return mine;
    }

    private IterationRecord iteration(Strategy strategy, int t, LanguageModel student,
            IterationContext.ModelSlot generator, Path initialStudent, RealStream stream,
            List<IterationRecord> previous, NearDuplicateFilter nearDuplicates, List<String> order,
            GenerationCache generations) throws IOException {
        String name = strategy.name();
        SortedMap<String, Double> seconds = new TreeMap<>();
        IterationContext ctx = new IterationContext(t, config, student, generator, initialStudent, stream, pool,
                curriculum, miner, step -> sink(name, t, step), nearDuplicates, generations);

        long t0 = System.nanoTime();
        IterationData data = strategy.prepare(ctx);
        seconds.put("prepare", secondsSince(t0));

        t0 = System.nanoTime();
        sink(name, t, "train student").progress(0, 1);
        TrainingReport studentReport = MeteredModel.trained(student.train(data.trainingTexts()), ctx.compute(),
                ComputeMeter.STUDENT);
        sink(name, t, "train student").progress(1, 1);
        seconds.put("train_student", secondsSince(t0));

        t0 = System.nanoTime();
        strategy.afterTraining(ctx, data);
        seconds.put("feedback_and_generator", secondsSince(t0));

        t0 = System.nanoTime();
        IterationRecord.FeedbackAnalytics analytics = analytics(name, t, student, data);
        seconds.put("analytics", secondsSince(t0));

        t0 = System.nanoTime();
        Evaluation eval = evaluator.evaluate(student, new EvaluationContext(name, t, sink(name, t, "evaluate")));
        seconds.put("evaluate", secondsSince(t0));

        t0 = System.nanoTime();
        List<TrainingText> synthetic = data.trainingTexts().stream()
                .filter(x -> IterationContext.SYNTHETIC.equals(x.provenance().attributes().get(
                        IterationContext.ORIGIN)))
                .toList();
        boolean measuredSynthetic = !synthetic.isEmpty();
        List<TrainingText> measuredTexts = measuredSynthetic ? synthetic : data.trainingTexts();
        List<String> measured = measuredTexts.stream().map(TrainingText::text).toList();
        SortedMap<String, Double> figures = new TreeMap<>();
        if (measure != null && !measured.isEmpty()) {
            sink(name, t, "measure texts").progress(0, 1);
            // the measure may hold a model (e.g. a reference scorer), maybe shared by several loops
            synchronized (measure) {
                figures.putAll(measure.measure(measured, measuredTexts.stream().map(TrainingText::provenance)
                        .toList()));
            }
            sink(name, t, "measure texts").progress(1, 1);
        }
        seconds.put("measure", secondsSince(t0));

        long tokens = 0;
        long realTokens = 0;
        long realContextTokens = 0;
        boolean anyContext = false;
        for (TrainingText x : data.trainingTexts()) {
            int n = student.countTokens(x.text());
            tokens += n;
            if (IterationContext.REAL.equals(x.provenance().attributes().get(IterationContext.ORIGIN))) {
                realTokens += n;
            }
            if (x.hasContext()) {
                // the Student reads the context (the token budget counts it), so it counts as training tokens
                anyContext = true;
                int c = student.countTokens(x.context());
                tokens += c;
                if (IterationContext.REAL.equals(x.provenance().attributes().get(IterationContext.CONTEXT_ORIGIN))) {
                    realTokens += c;
                    realContextTokens += c;
                }
            }
        }

        writeRelease(name, t, data);
        if (measure != null && !measured.isEmpty()) {
            writeMeasured(name, t, measuredTexts);
        }

        t0 = System.nanoTime();
        boolean savesGenerator = strategy.evolvesGenerator() && generator.isLoaded();
        store.writeCheckpoint(name, t, dir -> {
            student.save(dir.resolve("student"));
            if (savesGenerator) {
                generator.model().save(dir.resolve("generator"));
            }
            Files.createDirectories(dir.resolve("state"));
            strategy.saveState(dir.resolve("state"));
            if (nearDuplicates != null) {
                try (OutputStream out = Files.newOutputStream(dir.resolve(NEAR_DUPLICATES_FILE))) {
                    nearDuplicates.save(out);
                }
            }
        });
        if (savesGenerator) {
            generator.setState(store.contentId(name, t, "generator"));
        }
        seconds.put("checkpoint", secondsSince(t0));

        t0 = System.nanoTime();
        SortedMap<String, Double> evalFigures = withGeneratorFigures(eval.figures(), generator, name, t);
        seconds.put("evaluate_generator", secondsSince(t0));

        String stopped = plateaued(previous, eval) ? "plateau" : null;
        IterationRecord r = new IterationRecord(name, t, eval.headlineName(), evalFigures, figures,
                measuredSynthetic ? IterationContext.SYNTHETIC : IterationContext.REAL, studentReport,
                data.generatorTraining(), summary(data.feedback()), data.trainingTexts().size(), tokens,
                tokens == 0 ? 0 : (double) realTokens / tokens, data.realStreamReused(), stopped, analytics,
                ctx.nearDuplicatesDropped(), ctx.nearDuplicatesAdmitted(), anyContext ? realContextTokens : null);
        store.insert(r, order);
        store.pruneCheckpoints(name, t);
        store.insertTiming(name, t, seconds, ctx.compute().figures(), order);
        notify(l -> l.iterationFinished(r, seconds));
        return r;
    }

    /**
     * Student 0's evaluation: made once per run (every strategy loads the same Student 0), then handed to the
     * evaluator's {@link StudentEvaluator#reuse} for each further strategy, which records it as its own.
     */
    private Evaluation initialEvaluation(LanguageModel student, String strategy) {
        Evaluation first;
        synchronized (student0Lock) {
            if (student0Evaluation == null) {
                student0Evaluation = evaluator.evaluate(student, new EvaluationContext(strategy, 0,
                        sink(strategy, 0, "evaluate student 0")));
                return student0Evaluation;
            }
            first = student0Evaluation;
        }
        return evaluator.reuse(first, new EvaluationContext(strategy, 0, sink(strategy, 0, "evaluate student 0")));
    }

    /**
     * {@code figures} plus the evaluator's figures of the slot's current Generator, prefixed {@link #GENERATOR_PREFIX}
     * (none when the evaluator does not score Generators). Called after the iteration's checkpoint, when an evolved
     * Generator's state has its content identity: a state already scored is taken from {@link #generatorFigures}.
     */
    private SortedMap<String, Double> withGeneratorFigures(SortedMap<String, Double> figures,
            IterationContext.ModelSlot generator, String strategy, int t) {
        if (!evaluator.evaluatesGenerator()) {
            return figures;
        }
        String key = generator.holdsFresh() ? GENERATOR_0_KEY : generator.state();
        Supplier<SortedMap<String, Double>> score = () -> evaluator.evaluateGenerator(generator.model(),
                new EvaluationContext(strategy, t, sink(strategy, t, "evaluate generator")));
        SortedMap<String, Double> g = key == null ? score.get() : generatorFigures.computeIfAbsent(key,
                k -> Collections.unmodifiableSortedMap(new TreeMap<>(score.get())));
        SortedMap<String, Double> out = new TreeMap<>(figures);
        g.forEach((k, v) -> out.put(GENERATOR_PREFIX + k, v));
        return out;
    }

    /** Whether the headline has not improved by minDelta for {@code patience} iterations, this one included. */
    private boolean plateaued(List<IterationRecord> previous, Evaluation now) {
        int patience = config.patience();
        if (patience == 0) {
            return false;
        }
        List<Double> history = new ArrayList<>();
        for (IterationRecord r : previous) {
            history.add(r.headlineValue());
        }
        history.add(now.headline());
        int n = history.size();
        if (n <= patience) {
            return false;
        }
        double best = Double.NaN;
        for (int i = 0; i < n - patience; i++) {
            double v = history.get(i);
            if (Double.isNaN(best) || (now.higherIsBetter() ? v > best : v < best)) {
                best = v;
            }
        }
        for (int i = n - patience; i < n; i++) {
            double v = history.get(i);
            if (now.higherIsBetter() ? v > best + config.minDelta() : v < best - config.minDelta()) {
                return false;
            }
        }
        return true;
    }

    private static IterationRecord.FeedbackSummary summary(Feedback f) {
        if (f == null) {
            return null;
        }
        double h = 0;
        double lp = 0;
        for (HardExample e : f.hardExamples()) {
            h += e.meanEntropy();
            lp += e.meanLogProb();
        }
        int k = f.hardExamples().size();
        return new IterationRecord.FeedbackSummary(f.poolSize(), k, f.poolMeanEntropy(), f.poolMeanLogProb(),
                k == 0 ? Double.NaN : h / k, k == 0 ? Double.NaN : lp / k);
    }

    /** One hard example as read back from an earlier iteration's release file. */
    private record PastHard(String id, String document, String text) {}

    /** The hard examples of an earlier iteration, or {@code null} when it wrote none. */
    private List<PastHard> pastHardSet(String strategy, int iteration) throws IOException {
        Path f = store.iterationDir(strategy, iteration).resolve(HARD_EXAMPLES_FILE);
        if (!Files.exists(f)) {
            return null;
        }
        List<PastHard> out = new ArrayList<>();
        TextsFile.readObjects(f, (o, line) -> {
            JsonNode id = o.get("id");
            JsonNode text = o.get("text");
            if (id == null || !id.isTextual() || text == null || !text.isTextual()) {
                throw new IOException(f + ":" + line + ": a hard example needs string fields 'id' and 'text'");
            }
            JsonNode prov = o.get("provenance");
            boolean windowed = prov != null && prov.path("attributes").has("window");
            out.add(new PastHard(id.asText(), documentOf(id.asText(), windowed), text.asText()));
        });
        return out;
    }

    /** The pool document a mined window came from: windows of long documents are named {@code <id>#<offset>}. */
    private static String documentOf(String windowId, boolean windowed) {
        int hash = windowId.lastIndexOf('#');
        return windowed && hash > 0 ? windowId.substring(0, hash) : windowId;
    }

    private IterationRecord.FeedbackAnalytics analytics(String strategy, int t, LanguageModel student,
            IterationData data) throws IOException {
        // Did the teaching fix them? The Student's loss now on every earlier hard set.
        SortedMap<Integer, Double> hardSetLoss = new TreeMap<>();
        List<PastHard> previous = null;
        for (int s = 1; s < t; s++) {
            List<PastHard> set = pastHardSet(strategy, s);
            if (s == t - 1) {
                previous = set;
            }
            if (set == null || set.isEmpty()) {
                continue;
            }
            double sum = 0;
            int n = 0;
            for (int from = 0; from < set.size(); from += 16) {
                List<String> texts = set.subList(from, Math.min(set.size(), from + 16)).stream()
                        .map(PastHard::text).toList();
                for (TokenScores sc : student.score(texts)) {
                    if (sc.predictedCount() > 0) {
                        sum -= sc.meanLogProb();
                        n++;
                    }
                }
            }
            if (n > 0) {
                hardSetLoss.put(s, sum / n);
            }
        }

        List<PastHard> current = null;
        SortedMap<String, Double> hardDomains = new TreeMap<>();
        if (data.feedback() != null) {
            current = new ArrayList<>();
            List<String> domains = new ArrayList<>();
            for (HardExample h : data.feedback().hardExamples()) {
                current.add(new PastHard(h.document().id(), documentOf(h.document().id(),
                        h.document().provenance().attributes().containsKey("window")), h.document().text()));
                domains.add(domainOf(h.document().provenance()));
            }
            hardDomains = shares(domains);
        }
        Double jaccard = null;
        Double jaccardDocuments = null;
        Double jaccardCommonPool = null;
        if (current != null && previous != null) {
            Set<String> a = ids(current, false);
            Set<String> b = ids(previous, false);
            jaccard = jaccard(a, b);
            jaccardDocuments = jaccard(ids(current, true), ids(previous, true));
            Set<String> common = new HashSet<>();
            for (Document d : IterationContext.poolSample(pool, config, t)) {
                common.add(d.id());
            }
            Set<String> before = new HashSet<>();
            for (Document d : IterationContext.poolSample(pool, config, t - 1)) {
                before.add(d.id());
            }
            common.retainAll(before);
            Set<String> ac = new HashSet<>();
            Set<String> bc = new HashSet<>();
            for (PastHard h : current) {
                if (common.contains(h.document())) {
                    ac.add(h.id());
                }
            }
            for (PastHard h : previous) {
                if (common.contains(h.document())) {
                    bc.add(h.id());
                }
            }
            jaccardCommonPool = ac.isEmpty() && bc.isEmpty() ? null : jaccard(ac, bc);
        }

        List<String> kinds = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<String> teachingDomains = new ArrayList<>();
        for (TrainingText x : data.trainingTexts()) {
            Map<String, String> a = x.provenance().attributes();
            if (!IterationContext.SYNTHETIC.equals(a.get(IterationContext.ORIGIN))) {
                continue;
            }
            String kind = a.getOrDefault("prompt_kind", "unknown");
            kinds.add(kind);
            if (kind.equals("teaching")) {
                teachingDomains.add(a.getOrDefault("source_of_example", "unknown"));
            } else {
                topics.add(a.getOrDefault("topic", "unknown"));
            }
        }
        return new IterationRecord.FeedbackAnalytics(hardSetLoss, jaccard, jaccardDocuments, jaccardCommonPool,
                hardDomains, shares(kinds), shares(topics), shares(teachingDomains));
    }

    private static Set<String> ids(List<PastHard> set, boolean documents) {
        Set<String> out = new HashSet<>();
        for (PastHard h : set) {
            out.add(documents ? h.document() : h.id());
        }
        return out;
    }

    /** Jaccard similarity; 1 for two empty sets (nothing changed). */
    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1.0;
        }
        Set<String> inter = new HashSet<>(a);
        inter.retainAll(b);
        return (double) inter.size() / (a.size() + b.size() - inter.size());
    }

    /** A document's domain: its provenance attribute {@code domain}, else its source. */
    static String domainOf(dev.symbiosis.core.text.Provenance p) {
        return p.attributes().getOrDefault("domain", p.source());
    }

    /** Share of each distinct value, by key. */
    static SortedMap<String, Double> shares(List<String> values) {
        SortedMap<String, Double> out = new TreeMap<>();
        if (values.isEmpty()) {
            return out;
        }
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (String v : values) {
            counts.merge(v, 1, Integer::sum);
        }
        counts.forEach((k, c) -> out.put(k, (double) c / values.size()));
        return out;
    }

    /** {@link #MEASURED_FILE}: what the measurement saw, so that it can be measured again from the run folder. */
    private void writeMeasured(String strategy, int t, List<TrainingText> texts) throws IOException {
        List<String> lines = new ArrayList<>();
        for (TrainingText x : texts) {
            ObjectNode o = Json.object();
            o.put("text", x.text());
            o.put("origin", x.provenance().attributes().getOrDefault(IterationContext.ORIGIN, IterationContext.REAL));
            o.put("truncated", "true".equals(x.provenance().attributes().get("truncated")));
            // the measure groups texts by it (fidelity per domain): metrics --like-run reads it back
            o.set("provenance", TextsFile.provenanceJson(x.provenance()));
            lines.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(store.iterationDir(strategy, t).resolve(MEASURED_FILE), lines);
    }

    private void writeRelease(String strategy, int t, IterationData data) throws IOException {
        Path dir = store.iterationDir(strategy, t);
        List<String> lines = new ArrayList<>();
        for (Sample s : data.synthetic()) {
            ObjectNode o = Json.object();
            o.put("prompt", s.prompt().text());
            o.put("completion", s.completion());
            o.put("new_tokens", s.newTokens());
            o.set("prompt_provenance", TextsFile.provenanceJson(s.prompt().provenance()));
            o.set("provenance", TextsFile.provenanceJson(s.provenance()));
            lines.add(Json.writer().writeValueAsString(o));
        }
        AtomicFiles.writeLines(dir.resolve("synthetic.jsonl"), lines);
        if (data.feedback() != null) {
            List<String> hard = new ArrayList<>();
            for (HardExample h : data.feedback().hardExamples()) {
                ObjectNode o = Json.object();
                o.put("id", h.document().id());
                o.put("text", h.document().text());
                o.put("mean_entropy", h.meanEntropy());
                o.put("mean_log_prob", h.meanLogProb());
                o.put("hardness", h.hardness());
                if (h.hasGeneratorComparison()) {
                    // teachable-gap mining: what the hardness is the difference of
                    o.put("student_bpb", h.studentBitsPerByte());
                    o.put("generator_bpb", h.generatorBitsPerByte());
                }
                ArrayNode spans = o.putArray("salient_spans");
                for (Span sp : h.salientSpans()) {
                    ObjectNode so = spans.addObject();
                    so.put("start", sp.start());
                    so.put("end", sp.end());
                    so.put("text", sp.of(h.document().text()));
                }
                if (!h.hints().isEmpty()) {
                    ArrayNode hints = o.putArray("hints");
                    for (TokenHint th : h.hints()) {
                        ObjectNode ho = hints.addObject();
                        ho.put("token_index", th.tokenIndex());
                        ho.put("start", th.span().start());
                        ho.put("end", th.span().end());
                        ho.put("text", th.tokenText(h.document().text()));
                        ho.put("saliency", th.saliency());
                        ArrayNode cands = ho.putArray("candidates");
                        th.candidates().forEach(cands::add);
                        ArrayNode scores = ho.putArray("scores");
                        th.scores().forEach(scores::add);
                    }
                }
                o.set("provenance", TextsFile.provenanceJson(h.document().provenance()));
                hard.add(Json.writer().writeValueAsString(o));
            }
            AtomicFiles.writeLines(dir.resolve(HARD_EXAMPLES_FILE), hard);
        }
    }

    private ProgressSink sink(String strategy, int iteration, String step) {
        return (done, total) -> notify(l -> l.stepProgress(strategy, iteration, step, done, total));
    }

    private void notify(java.util.function.Consumer<LoopListener> event) {
        synchronized (LISTENER_LOCK) {
            for (LoopListener l : listeners) {
                event.accept(l);
            }
        }
    }

    /** The run folder's generation cache, opened once; null when the option is off. */
    private GenerationCache generationCache() throws IOException {
        if (!generationCache) {
            return null;
        }
        synchronized (sharedStateLock) {
            if (cache == null) {
                cache = GenerationCache.open(store.dir());
            }
            return cache;
        }
    }

    /**
     * The content identity of Generator 0: the first time, {@code fresh} (a freshly loaded Generator 0 of some
     * strategy) is saved to a temporary folder of the run folder and hashed ({@link RunStore#contentId(Path)}).
     */
    private String generator0State(LanguageModel fresh) {
        synchronized (sharedStateLock) {
            if (generator0State == null) {
                Path tmp = store.dir().resolve(".generator-0.staging-" + java.util.UUID.randomUUID());
                try {
                    try {
                        fresh.save(tmp);
                        generator0State = RunStore.contentId(tmp);
                    } finally {
                        AtomicFiles.deleteTree(tmp);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot save Generator 0 to " + tmp
                            + " to find its content identity for the generation cache", e);
                }
            }
            return generator0State;
        }
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Options of {@link SymbiosisLoop}. */
    public static final class Builder {
        private final LoopConfig config;
        private final Supplier<LanguageModel> generator0;
        private final Supplier<LanguageModel> student0;
        private final StudentEvaluator evaluator;
        private final RunStore store;
        private List<Document> pool = List.of();
        private List<Document> realStream = List.of();
        private Curriculum curriculum = TemplateCurriculum.create();
        private FeedbackMiner miner = UncertaintyFeedbackMiner.create();
        private TextSetMeasure measure;
        private final List<LoopListener> listeners = new ArrayList<>();
        private int parallelism = 1;
        private boolean generationCache = true;

        private Builder(LoopConfig config, Supplier<LanguageModel> generator0, Supplier<LanguageModel> student0,
                StudentEvaluator evaluator, RunStore store) {
            this.config = Objects.requireNonNull(config, "config");
            this.generator0 = Objects.requireNonNull(generator0, "generator0");
            this.student0 = Objects.requireNonNull(student0, "student0");
            this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The unlabeled pool mined in Step C. Default empty (Symbiosis then gets no feedback). */
        public Builder optPool(List<Document> value) {
            this.pool = Objects.requireNonNull(value);
            return this;
        }

        /** The real-data stream of the real-data baselines. Default empty (they then fail with a clear error). */
        public Builder optRealStream(List<Document> value) {
            this.realStream = Objects.requireNonNull(value);
            return this;
        }

        /** Default {@link TemplateCurriculum#create()}. */
        public Builder optCurriculum(Curriculum value) {
            this.curriculum = Objects.requireNonNull(value);
            return this;
        }

        /** Default {@link UncertaintyFeedbackMiner#create()}. */
        public Builder optMiner(FeedbackMiner value) {
            this.miner = Objects.requireNonNull(value);
            return this;
        }

        /** Measurement of each iteration's texts (diversity, fidelity). Default none. */
        public Builder optMeasure(TextSetMeasure value) {
            this.measure = value;
            return this;
        }

        /**
         * How many strategies {@link #run(List)} runs at the same time, each on its own thread with its own models
         * (see {@link #runAll}, which also shares threads among several loops). Default 1: one after the other on
         * the calling thread (the experiment runner chooses one per core). Every parallelism gives the same
         * records, timings lines, strategy folders and resumption (see the class comment).
         *
         * <p>With more than one, the parts the strategies share are used from several threads: the model suppliers
         * are called concurrently, the evaluator is called concurrently (each call with its strategy's own Student)
         * and must be thread-safe, a measure is called by one strategy at a time (the loop locks the measure
         * object), and listeners receive one event at a time (from the strategies' threads). Memory grows with the
         * models of the running strategies. On DJL's PyTorch engine give each strategy one intra-op thread
         * ({@code -Dai.djl.pytorch.num_threads=1}, as the command line does; the experiment runner sets it): PyTorch
         * keeps that setting per process and applies it to every thread.
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
         * Whether Generator samples are cached by content in the run folder ({@link GenerationCache#FILE}), shared
         * by the strategies and by a resumed run. Default true. The records are the same either way.
         */
        public Builder optGenerationCache(boolean value) {
            this.generationCache = value;
            return this;
        }

        /** Adds a listener. Default none. */
        public Builder addListener(LoopListener value) {
            this.listeners.add(Objects.requireNonNull(value));
            return this;
        }

        public SymbiosisLoop build() {
            return new SymbiosisLoop(this);
        }
    }
}
