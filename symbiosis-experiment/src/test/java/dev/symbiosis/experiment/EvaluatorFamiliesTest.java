package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.testing.CharBigramModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation task families switched off, or single tasks skipped, through the configuration's evaluator. */
class EvaluatorFamiliesTest {

    private static List<IterationRecord> run(Path out, ExperimentConfig.Evaluator evaluator) throws IOException {
        return run(out, evaluator, "The sea is wide.");
    }

    private static List<IterationRecord> run(Path out, ExperimentConfig.Evaluator evaluator, String studentText)
            throws IOException {
        ExperimentConfig cfg = ExperimentConfig.builder("smoke").optPreset("families").optIterations(1)
                .optTokenBudget(128).optStrategies(List.of("static-synthetic")).optEvalItemsPerTask(2)
                .optHeldOutDocsPerDomain(1).optEvaluator(evaluator).build();
        return ExperimentRunner.builder(cfg).optOutput(out).optNoMeasure()
                .optGenerator(seed -> CharBigramModel.trainedOn("g", List.of("The law of the land is old.")))
                .optStudent(seed -> CharBigramModel.trainedOn("s", List.of(studentText)))
                .build().run().records();
    }

    @Test
    void bothFamiliesOnGiveMultipleChoiceAndGenerativeFigures(@TempDir Path out) throws IOException {
        IterationRecord r = run(out, ExperimentConfig.Evaluator.DEFAULTS).get(1);
        assertTrue(r.evaluation().containsKey("mc.acc.macro") && r.evaluation().containsKey("gen.em.quiz-gen")
                && r.evaluation().containsKey("bpb.macro"), r.evaluation().keySet().toString());
        // compute per arm beside the records: the Student trained on the 128-token budget, forward and backward
        List<String> compute = Files.readAllLines(out.resolve("compute.csv"));
        assertEquals(2, compute.size(), compute.toString());
        assertTrue(compute.get(0).startsWith("strategy,runs,tokens.backward.student,tokens.forward.generator,"),
                compute.get(0));
        assertTrue(compute.get(1).startsWith("static-synthetic,1,"), compute.get(1));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Compute per arm"));
    }

    @Test
    void everyRecordCarriesTheGeneratorsBitsPerByteAsTheStudentRouteScoresIt(@TempDir Path out) throws IOException {
        List<IterationRecord> records = run(out.resolve("a"), ExperimentConfig.Evaluator.DEFAULTS);
        // the same model as Student 0: its bpb.macro at iteration 0, by the Student's route, is Generator 0's
        double generator0 = run(out.resolve("b"), ExperimentConfig.Evaluator.DEFAULTS, "The law of the land is old.")
                .get(0).evaluation().get("bpb.macro");
        assertEquals(2, records.size());
        for (IterationRecord r : records) {
            assertEquals(generator0, r.evaluation().get("generator.bpb.macro"), 0.0, r.evaluation().toString());
        }
        assertTrue(records.get(0).evaluation().get("bpb.macro") != generator0, "the Student is another model");
    }

    @Test
    void tasksEvaluatedEveryKIterationsAndAtTheLastWhileBitsPerByteEveryIteration(@TempDir Path out)
            throws IOException {
        ExperimentConfig cfg = ExperimentConfig.builder("smoke").optPreset("every").optIterations(3)
                .optTokenBudget(128).optStrategies(List.of("static-synthetic")).optEvalItemsPerTask(2)
                .optHeldOutDocsPerDomain(1).optEvaluator(ExperimentConfig.Evaluator.DEFAULTS.withTasksEvery(2))
                .build();
        List<IterationRecord> records = ExperimentRunner.builder(cfg).optOutput(out).optNoMeasure()
                .optGenerator(seed -> CharBigramModel.trainedOn("g", List.of("The law of the land is old.")))
                .optStudent(seed -> CharBigramModel.trainedOn("s", List.of("The sea is wide.")))
                .build().run().records();
        assertEquals(4, records.size());
        for (IterationRecord r : records) {
            boolean tasks = r.iteration() == 0 || r.iteration() == 2 || r.iteration() == 3;
            assertTrue(r.evaluation().containsKey("bpb.macro"));
            assertEquals(tasks, r.evaluation().containsKey("mc.acc.macro"), r.iteration() + ": " + r.evaluation());
            assertEquals(tasks, r.evaluation().containsKey("gen.em.quiz-gen"), r.iteration() + ": " + r.evaluation());
        }
        String items1 = Files.readString(out.resolve("static-synthetic/iter-1/items.jsonl"));
        assertTrue(items1.contains("\"kind\":\"bpb\"") && !items1.contains("\"kind\":\"mc\""));
        assertTrue(Files.exists(out.resolve("report.html")), "the report copes with figures missing at iteration 1");
    }

    @Test
    void familiesSwitchedOffLeaveOnlyBitsPerByte(@TempDir Path out) throws IOException {
        List<IterationRecord> records = run(out, new ExperimentConfig.Evaluator(16, 24, 8, false, false,
                List.of()));
        for (IterationRecord r : records) {
            assertTrue(r.evaluation().containsKey("bpb.macro"));
            assertFalse(r.evaluation().keySet().stream().anyMatch(k -> k.startsWith("mc.") || k.startsWith("gen.")),
                    r.evaluation().keySet().toString());
        }
        String items = Files.readString(out.resolve("static-synthetic/iter-1/items.jsonl"));
        assertTrue(items.contains("\"kind\":\"bpb\"") && !items.contains("\"kind\":\"mc\""));
        assertTrue(Files.readString(out.resolve(ExperimentRunner.HEADLINE_TASKS_FILE)).contains("switched off"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Multiple-choice tasks: switched off"));
    }

    @Test
    void skippedTasksAreLeftOutAndAnUnknownOneIsRefused(@TempDir Path out) throws IOException {
        IterationRecord r = run(out.resolve("a"), new ExperimentConfig.Evaluator(16, 24, 8, true, true,
                List.of("cloze", "entity-cloze", "quiz*"))).get(1);
        assertTrue(r.evaluation().containsKey("mc.acc.definition"), r.evaluation().keySet().toString());
        assertFalse(r.evaluation().keySet().stream().anyMatch(k -> k.contains("cloze") || k.contains("quiz")),
                r.evaluation().keySet().toString());
        assertTrue(r.evaluation().containsKey("gen.em.arithmetic-gen"), "quiz-gen skipped, arithmetic-gen kept");

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> run(out.resolve("b"),
                new ExperimentConfig.Evaluator(16, 24, 8, true, true, List.of("no-such-task-*"))));
        assertTrue(unknown.getMessage().contains("'no-such-task-*' matches no task; tasks: arithmetic, cloze"),
                unknown.getMessage());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> run(out.resolve("c"),
                new ExperimentConfig.Evaluator(16, 24, 8, true, true, List.of("*-gen"))));
        assertTrue(all.getMessage().contains("'*-gen' is not a task name"), all.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> run(out.resolve("d"),
                new ExperimentConfig.Evaluator(16, 24, 8, true, true, List.of("arithmetic-gen", "quiz-gen"))));
        assertTrue(none.getMessage().contains("evaluator.generative to false"), none.getMessage());
    }
}
