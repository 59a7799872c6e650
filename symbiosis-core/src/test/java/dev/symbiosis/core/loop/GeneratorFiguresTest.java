package dev.symbiosis.core.loop;

import static dev.symbiosis.core.testing.TinyLoop.EVAL;
import static dev.symbiosis.core.testing.TinyLoop.HELD_OUT;
import static dev.symbiosis.core.testing.TinyLoop.config;
import static dev.symbiosis.core.testing.TinyLoop.loop;
import static dev.symbiosis.core.testing.TinyLoop.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.StaticSynthetic;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The current Generator's held-out figures in every record ({@link StudentEvaluator#evaluateGenerator}). */
class GeneratorFiguresTest {

    /** {@link TinyLoop#EVAL} that also scores Generators (mean NLL per character) and counts those calls. */
    private static final class ScoringGenerators implements StudentEvaluator {
        final AtomicInteger generatorCalls = new AtomicInteger();

        @Override
        public Evaluation evaluate(Student student, EvaluationContext context) {
            return EVAL.evaluate(student, context);
        }

        @Override
        public SortedMap<String, Double> evaluateGenerator(TextScorer generator, EvaluationContext context) {
            generatorCalls.incrementAndGet();
            return new TreeMap<>(java.util.Map.of("nll", nll(generator)));
        }

        @Override
        public boolean evaluatesGenerator() {
            return true;
        }
    }

    private static double nll(TextScorer model) {
        double nll = 0;
        int n = 0;
        for (TokenScores s : model.score(HELD_OUT)) {
            nll -= s.sumLogProb();
            n += s.predictedCount();
        }
        return nll / n;
    }

    private static List<Strategy> strategies() {
        return List.of(SymbiosisStrategy.create(), new StaticSynthetic(3), new RealUpperBound());
    }

    private static SymbiosisLoop loopWith(Path dir, StudentEvaluator evaluator) throws IOException {
        return SymbiosisLoop.builder(config(3), model("g0"), model("s0"), evaluator,
                new RunStore(dir, "{\"test\": 1}")).optPool(TinyLoop.POOL).optRealStream(TinyLoop.STREAM)
                .optMiner(dev.symbiosis.core.feedback.UncertaintyFeedbackMiner.builder().optTopK(4)
                        .optWindowChars(120).build())
                .build();
    }

    @Test
    void everyRecordCarriesTheCurrentGeneratorsFigures(@TempDir Path dir) throws IOException {
        ScoringGenerators evaluator = new ScoringGenerators();
        List<IterationRecord> records = loopWith(dir, evaluator).run(strategies());
        double generator0 = nll(model("g0").get());
        String key = SymbiosisLoop.GENERATOR_PREFIX + "nll";
        for (IterationRecord r : records) {
            assertTrue(r.evaluation().containsKey(key), r.strategy() + " " + r.iteration() + ": " + r.evaluation());
            if (r.iteration() == 0 || !r.strategy().equals("symbiosis")) {
                // Generator 0 unchanged: iteration 0 of every arm, and every iteration of arms that never train it
                assertEquals(generator0, r.evaluation().get(key), 0.0, r.strategy() + " " + r.iteration());
            } else {
                assertNotEquals(generator0, r.evaluation().get(key), r.strategy() + " " + r.iteration()
                        + ": Step D fine-tuned the Generator");
            }
        }
        // the last symbiosis Generator, read back from its checkpoint, scores exactly as recorded
        IterationRecord last = records.stream().filter(r -> r.strategy().equals("symbiosis") && r.iteration() == 3)
                .findFirst().orElseThrow();
        Path saved = new RunStore(dir, "{\"test\": 1}").checkpointDir("symbiosis", 3).resolve("generator");
        assertTrue(Files.isDirectory(saved), saved.toString());
        CharBigramModel reread = (CharBigramModel) model("g0").get();
        reread.restore(saved);
        assertEquals(nll(reread), last.evaluation().get(key), 1e-12);
        // Generator 0 once for the whole run, then each of symbiosis's three fine-tuned states once
        assertEquals(1 + 3, evaluator.generatorCalls.get());
    }

    @Test
    void anEvaluatorWithoutGeneratorFiguresRecordsNoneAndScoresNoGenerator(@TempDir Path dir) throws IOException {
        AtomicInteger loads = new AtomicInteger();
        SymbiosisLoop loop = SymbiosisLoop.builder(config(1), () -> {
            loads.incrementAndGet();
            return model("g0").get();
        }, model("s0"), EVAL, new RunStore(dir, "{\"test\": 1}")).optPool(TinyLoop.POOL)
                .optRealStream(TinyLoop.STREAM).build();
        List<IterationRecord> records = loop.run(List.of(new RealUpperBound()));
        assertFalse(records.stream().anyMatch(r -> r.evaluation().keySet().stream()
                .anyMatch(k -> k.startsWith(SymbiosisLoop.GENERATOR_PREFIX))));
        assertEquals(0, loads.get(), "fresh real data needs no Generator, and none is loaded to score it");
    }

    @Test
    void aResumedRunRecordsTheSameGeneratorFigures(@TempDir Path whole, @TempDir Path broken) throws IOException {
        loopWith(whole, new ScoringGenerators()).run(List.of(SymbiosisStrategy.create()));
        assertThrows(IllegalStateException.class, () -> SymbiosisLoop.builder(config(3), model("g0"),
                TinyLoop.crashingOnTrainCall(3), new ScoringGenerators(), new RunStore(broken, "{\"test\": 1}"))
                .optPool(TinyLoop.POOL).optRealStream(TinyLoop.STREAM)
                .optMiner(dev.symbiosis.core.feedback.UncertaintyFeedbackMiner.builder().optTopK(4)
                        .optWindowChars(120).build())
                .build().run(List.of(SymbiosisStrategy.create())));
        // the resumed process restores the iteration-2 Generator from its checkpoint and scores it afresh
        loopWith(broken, new ScoringGenerators()).run(List.of(SymbiosisStrategy.create()));
        assertEquals(Files.readString(whole.resolve("results.jsonl")), Files.readString(broken.resolve("results.jsonl")));
    }

    @Test
    void studentZeroIsEvaluatedOncePerRunAndEveryStrategyRecordsIt(@TempDir Path dir) throws IOException {
        AtomicInteger evaluations = new AtomicInteger();
        AtomicInteger reuses = new AtomicInteger();
        StudentEvaluator counting = new StudentEvaluator() {
            @Override
            public Evaluation evaluate(Student student, EvaluationContext context) {
                if (context.iteration() == 0) {
                    evaluations.incrementAndGet();
                }
                return EVAL.evaluate(student, context);
            }

            @Override
            public Evaluation reuse(Evaluation evaluation, EvaluationContext context) {
                assertEquals(0, context.iteration());
                reuses.incrementAndGet();
                return evaluation;
            }
        };
        List<IterationRecord> records = loopWith(dir, counting).run(strategies());
        assertEquals(1, evaluations.get());
        assertEquals(strategies().size() - 1, reuses.get());
        List<IterationRecord> initial = records.stream().filter(r -> r.iteration() == 0).toList();
        assertEquals(strategies().size(), initial.size());
        initial.forEach(r -> assertEquals(initial.get(0).evaluation(), r.evaluation()));
    }
}
