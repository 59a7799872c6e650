package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.strategy.RealMixing;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.RecursiveCollapse;
import dev.symbiosis.core.strategy.StaticSynthetic;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbiosisLoopTest {

    private static final String[] WORDS = ("the cat sat on a mat while the dog ran to the park and a bird sang in "
            + "the old tree by the river where children played with a red ball").split(" ");

    private static List<Document> corpus(String prefix, int n, int seed) {
        List<Document> out = new ArrayList<>();
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                sb.append(WORDS[r.nextInt(WORDS.length)]).append(w % 9 == 8 ? ". " : " ");
            }
            out.add(new Document(prefix + "-" + i, sb.toString().strip(), Provenance.of(prefix)));
        }
        return out;
    }

    private static final List<Document> SEED = corpus("seed", 20, 1);
    private static final List<Document> POOL = corpus("pool", 30, 2);
    private static final List<Document> STREAM = corpus("stream", 40, 3);
    private static final List<String> HELD_OUT = corpus("eval", 5, 4).stream().map(Document::text).toList();

    private static Supplier<LanguageModel> model(String name) {
        return () -> CharBigramModel.trainedOn(name, SEED.subList(0, name.equals("g0") ? 20 : 5).stream()
                .map(Document::text).toList());
    }

    /** Mean NLL per character of the held-out texts: lower is better. */
    static final StudentEvaluator EVAL = (student, context) -> {
        double nll = 0;
        int n = 0;
        for (TokenScores s : student.score(HELD_OUT)) {
            nll -= s.sumLogProb();
            n += s.predictedCount();
        }
        context.progress().progress(1, 1);
        return new Evaluation("heldout.nll", false, ImmutableSortedMap.of("heldout.nll", nll / n));
    };

    private static LoopConfig config(int iterations) {
        return LoopConfig.builder().optIterations(iterations).optTokenBudget(1200).optGenerationBatch(4)
                .optSampling(dev.symbiosis.core.model.SamplingConfig.defaults().withMaxNewTokens(60))
                .optPoolSample(10).optSeed(7).build();
    }

    private static SymbiosisLoop loop(Path dir, LoopConfig cfg, Supplier<LanguageModel> student) throws IOException {
        return loop(dir, cfg, student, Runtime.getRuntime().availableProcessors());
    }

    private static SymbiosisLoop loop(Path dir, LoopConfig cfg, Supplier<LanguageModel> student, int parallelism)
            throws IOException {
        return SymbiosisLoop.builder(cfg, model("g0"), student, EVAL, new RunStore(dir, "{\"test\": 1}"))
                .optPool(POOL).optRealStream(STREAM)
                .optMiner(UncertaintyFeedbackMiner.builder().optTopK(4).optWindowChars(120).build())
                .optMeasure(texts -> new TreeMap<>(Map.of("count", (double) texts.size())))
                .optParallelism(parallelism)
                .build();
    }

    private static List<dev.symbiosis.core.loop.Strategy> strategies() {
        return List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace(), RecursiveCollapse.accumulate(SEED),
                new StaticSynthetic(3), RealMixing.golden(), new RealUpperBound());
    }

    @Test
    void everyStrategyRunsTheSameBudgetAndWritesItsRecords(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = loop(dir, config(2), model("s0")).run(strategies());
        assertEquals(6 * 3, records.size());
        for (IterationRecord r : records) {
            if (r.iteration() == 0) {
                assertEquals(records.get(0).headlineValue(), r.headlineValue(), 0.0, "all start from student 0");
                continue;
            }
            assertTrue(r.trainingTokens() <= 1200 && r.trainingTokens() >= 1000,
                    r.strategy() + " trained on " + r.trainingTokens() + " tokens");
            assertTrue(r.studentTraining().steps() > 0);
            assertTrue(Files.exists(dir.resolve(r.strategy()).resolve("iter-" + r.iteration())
                    .resolve("synthetic.jsonl")));
            switch (r.strategy()) {
                case "symbiosis" -> {
                    assertNotNull(r.feedback());
                    assertEquals(4, r.feedback().hardExamples());
                    assertTrue(r.feedback().hardMeanEntropy() >= r.feedback().poolMeanEntropy());
                    assertNotNull(r.generatorTraining());
                    assertEquals(0.0, r.realShare());
                    assertTrue(Files.exists(dir.resolve("symbiosis/iter-" + r.iteration() + "/hard-examples.jsonl")));
                }
                case "real-mixing" -> assertEquals(RealMixing.GOLDEN_REAL_SHARE, r.realShare(), 0.08);
                case "real-upper-bound" -> {
                    assertEquals(1.0, r.realShare());
                    assertEquals("real", r.measuredOrigin());
                }
                case "recursive-accumulate" -> assertTrue(r.realShare() > 0 && r.realShare() < 1);
                default -> {
                    assertEquals(0.0, r.realShare());
                    assertNull(r.feedback());
                }
            }
        }
    }

    @Test
    void theSameSeedGivesIdenticalResults(@TempDir Path a, @TempDir Path b) throws IOException {
        loop(a, config(2), model("s0")).run(strategies());
        loop(b, config(2), model("s0")).run(strategies());
        assertEquals(Files.readString(a.resolve("results.jsonl")), Files.readString(b.resolve("results.jsonl")));
    }

    @Test
    void oneStrategyObjectRunTwiceGivesTheRecordsOfNewObjects(@TempDir Path a, @TempDir Path b, @TempDir Path c)
            throws IOException {
        // every stateful strategy: Symbiosis keeps its teaching prompts, accumulation its pool, static its set
        List<dev.symbiosis.core.loop.Strategy> reused = List.of(SymbiosisStrategy.create(),
                RecursiveCollapse.accumulate(SEED), new StaticSynthetic(3));
        loop(a, config(2), model("s0"), 1).run(reused);
        loop(b, config(2), model("s0"), 1).run(reused);
        loop(c, config(2), model("s0"), 1).run(List.of(SymbiosisStrategy.create(),
                RecursiveCollapse.accumulate(SEED), new StaticSynthetic(3)));
        assertEquals(Files.readString(c.resolve("results.jsonl")), Files.readString(b.resolve("results.jsonl")));
        assertEquals(Files.readString(a.resolve("results.jsonl")), Files.readString(b.resolve("results.jsonl")));
    }

    /** A Student that crashes on its n-th training call, as a killed process would stop there. */
    private static Supplier<LanguageModel> crashingOnTrainCall(int n) {
        return () -> new DelegatingModel((LanguageModel) model("s0").get(), n);
    }

    @Test
    void anInterruptedRunResumesToTheSameResults(@TempDir Path whole, @TempDir Path broken) throws IOException {
        List<dev.symbiosis.core.loop.Strategy> s = List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace());
        loop(whole, config(3), model("s0")).run(s);
        for (int crashAt : new int[] {2, 3, 1}) {
            // calls are counted per student instance: each strategy loads its own, so this crashes the first
            // strategy that reaches the crashAt-th training call (one strategy at a time: see ConcurrentLoopTest
            // for interrupted concurrent runs)
            assertThrows(IllegalStateException.class, () -> loop(broken, config(3), crashingOnTrainCall(crashAt), 1)
                    .run(List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace())));
        }
        loop(broken, config(3), model("s0")).run(List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace()));
        assertEquals(Files.readString(whole.resolve("results.jsonl")),
                Files.readString(broken.resolve("results.jsonl")));
        assertFalse(Files.exists(broken.resolve("symbiosis/checkpoint-2")), "old checkpoints are pruned");
    }

    @Test
    void finishedStrategiesRestoredWithoutCheckpointsAreKeptAndUnfinishedOnesRedone(@TempDir Path whole,
            @TempDir Path restored) throws IOException {
        // fresh strategy objects for every run, as a new process has (a strategy object keeps its state)
        Supplier<List<dev.symbiosis.core.loop.Strategy>> s =
                () -> List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace());
        loop(whole, config(3), model("s0")).run(s.get());
        String results = Files.readString(whole.resolve("results.jsonl"));
        // the records of a study's packed run folder: every file but checkpoints and the initial Student
        try (var files = Files.walk(whole)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = whole.relativize(f).toString();
                if (!rel.contains("checkpoint-") && !rel.contains("initial-student")) {
                    Files.createDirectories(restored.resolve(rel).getParent());
                    Files.copy(f, restored.resolve(rel));
                }
            }
        }
        // a Student that cannot train: finished strategies must not be run again
        loop(restored, config(3), crashingOnTrainCall(1)).run(s.get());
        assertEquals(results, Files.readString(restored.resolve("results.jsonl")));

        // without its last record, a strategy is unfinished: with no checkpoint behind its records it is redone
        List<String> lines = new ArrayList<>(Files.readAllLines(restored.resolve("results.jsonl")));
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"symbiosis\"") && lines.get(i).contains("\"iteration\":3")) {
                last = i;
            }
        }
        assertTrue(last >= 0, "the record of symbiosis at iteration 3");
        lines.remove(last);
        Files.write(restored.resolve("results.jsonl"), lines);
        assertThrows(IllegalStateException.class,
                () -> loop(restored, config(3), crashingOnTrainCall(1), 1).run(s.get()));
        loop(restored, config(3), model("s0")).run(s.get());
        assertEquals(results, Files.readString(restored.resolve("results.jsonl")));
    }

    @Test
    void aStrategyRedoneFromItsBeginningEvaluatesStudent0AgainAndKeepsOneTimingLinePerIteration(
            @TempDir Path first, @TempDir Path other) throws IOException {
        Supplier<LanguageModel> otherStudent0 = () -> CharBigramModel.trainedOn("s1",
                SEED.subList(5, 10).stream().map(Document::text).toList());
        loop(first, config(3), model("s0")).run(List.of(SymbiosisStrategy.create()));
        loop(other, config(3), otherStudent0).run(List.of(SymbiosisStrategy.create()));
        // records without checkpoints, the last one missing: the strategy is redone from its beginning, here on
        // another Student 0 (as in a folder written before the checkpoints' SHA-256 were recorded)
        try (var files = Files.list(first.resolve("symbiosis"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList()) {
                AtomicFiles.deleteTree(p);
            }
        }
        AtomicFiles.deleteTree(first.resolve("symbiosis").resolve("initial-student"));
        List<String> lines = new ArrayList<>(Files.readAllLines(first.resolve("results.jsonl")));
        lines.removeIf(l -> l.contains("\"iteration\":3"));
        Files.write(first.resolve("results.jsonl"), lines);
        loop(first, config(3), otherStudent0).run(List.of(SymbiosisStrategy.create()));

        List<String> redone = Files.readAllLines(first.resolve("results.jsonl"));
        List<String> expected = Files.readAllLines(other.resolve("results.jsonl"));
        assertEquals(expected.get(0), redone.get(0), "iteration 0 is the Student 0 the strategy trained from");
        assertEquals(expected, redone);
        List<String> timings = Files.readAllLines(first.resolve("timings.jsonl")).stream()
                .filter(l -> !l.isBlank()).toList();
        assertEquals(3, timings.size(), "one timing line per iteration 1..3, the redo's: " + timings);
    }

    @Test
    void aRunFolderOfAnotherConfigurationIsNotResumed(@TempDir Path dir) throws IOException {
        new RunStore(dir, "{\"a\": 1}");
        IOException e = assertThrows(IOException.class, () -> new RunStore(dir, "{\"a\": 2}"));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    }

    @Test
    void aPlateauStopsTheStrategy(@TempDir Path dir) throws IOException {
        LoopConfig cfg = LoopConfig.builder().optIterations(6).optTokenBudget(400).optGenerationBatch(4)
                .optPatience(1).optMinDelta(1e9).optSeed(1).build();
        List<IterationRecord> r = loop(dir, cfg, model("s0")).run(new RealUpperBound());
        assertEquals(2, r.size(), "iteration 1 cannot beat iteration 0 by 1e9: stop after it");
        assertEquals("plateau", r.get(1).stopped());
        // resuming a stopped strategy does nothing
        assertEquals(2, loop(dir, cfg, model("s0")).run(new RealUpperBound()).size());
    }

    @Test
    void tokenBudgetCutsTheLastTextAtAWord() {
        TokenBudget b = new TokenBudget(10, String::length);
        assertTrue(b.offer(TrainingText.of("abcdef", Provenance.of("x"))));
        assertTrue(b.offer(TrainingText.of("ghi jkl mno", Provenance.of("x"))));
        assertTrue(b.isFull());
        assertEquals(List.of("abcdef", "ghi"), b.texts().stream().map(TrainingText::text).toList());
        assertFalse(b.offer(TrainingText.of("more", Provenance.of("x"))));
    }

    @net.jqwik.api.Property(tries = 200)
    void aBudgetIsNeverExceededEvenWhenCutsReTokenizeLonger(
            @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 2, max = 60) int budget,
            @net.jqwik.api.ForAll("sentences") List<String> texts) {
        // a counter for which shorter text can count more tokens per character: words of 1-2 letters count double
        java.util.function.ToIntFunction<String> counter = s -> {
            int c = 0;
            for (String w : s.split(" ")) {
                c += w.isEmpty() ? 0 : w.length() <= 2 ? 2 : 1;
            }
            return c;
        };
        TokenBudget b = new TokenBudget(budget, counter);
        for (String t : texts) {
            b.offer(TrainingText.of(t, Provenance.of("x")));
        }
        int total = b.texts().stream().mapToInt(x -> counter.applyAsInt(x.text())).sum();
        assertTrue(total <= budget, total + " > " + budget);
        assertEquals(total, b.tokens());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<String>> sentences() {
        return net.jqwik.api.Arbitraries.strings().withChars("abcdefg").ofMinLength(1).ofMaxLength(6)
                .list().ofMinSize(1).ofMaxSize(20).map(words -> String.join(" ", words))
                .list().ofMinSize(1).ofMaxSize(8);
    }

    /** Delegates to a model and throws on the n-th call of train. */
    static final class DelegatingModel implements LanguageModel {
        private final LanguageModel m;
        private final int failAt;
        private int calls;

        DelegatingModel(LanguageModel m, int failAt) {
            this.m = m;
            this.failAt = failAt;
        }

        @Override
        public TrainingReport train(List<TrainingText> texts) {
            if (++calls == failAt) {
                throw new IllegalStateException("simulated crash");
            }
            return m.train(texts);
        }

        @Override
        public int countTokens(String text) {
            return m.countTokens(text);
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            return m.score(texts);
        }

        @Override
        public List<dev.symbiosis.core.model.SaliencyMap> saliency(List<String> texts) {
            return m.saliency(texts);
        }

        @Override
        public List<dev.symbiosis.core.model.Sample> generate(List<dev.symbiosis.core.model.Prompt> prompts,
                dev.symbiosis.core.model.SamplingConfig sampling) {
            return m.generate(prompts, sampling);
        }

        @Override
        public TrainingReport fineTune(List<dev.symbiosis.core.model.PromptCompletion> examples) {
            return m.fineTune(examples);
        }

        @Override
        public void save(Path dir) throws IOException {
            m.save(dir);
        }

        @Override
        public void restore(Path dir) throws IOException {
            m.restore(dir);
        }
    }
}
