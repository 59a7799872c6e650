package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.testkit.RunFolders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExperimentRunner.Builder#optReuseUnitsFrom}: a unit's records do not depend on the other arms of its run,
 * so a run of other arms takes the finished ones it shares with another run folder and ends with the files it would
 * have written by running them. Test-double models: fast.
 */
class UnitReuseTest {

    private static ExperimentConfig config(String preset, List<String> strategies, int seeds, int tokenBudget) {
        return ExperimentConfig.builder("smoke").optPreset(preset).optIterations(2).optSeeds(seeds)
                .optTokenBudget(tokenBudget).optEarlyStopping(0, 0.0).optStrategies(strategies)
                .optEvalItemsPerTask(2).optHeldOutDocsPerDomain(1).build();
    }

    private static ExperimentRunner.Builder runner(ExperimentConfig config, Path out, AtomicInteger opened,
            PrintStream log) {
        return TestDoubleRuns.runner(config, out, opened).optLog(log);
    }

    /** Checkpoints and the initial Student continue a unit; they are not its records and are not copied. */
    private static boolean notARecord(String path) {
        return path.matches("(.*/)?checkpoint-\\d+/.*") || path.matches("(.*/)?initial-student/.*");
    }

    @Test
    void aRunOfOtherArmsTakesTheSharedFinishedUnitAndEndsWithTheFilesOfRunningIt(@TempDir Path main,
            @TempDir Path fresh, @TempDir Path reusing) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // the main run: two run seeds (42, 43), two arms
        runner(config("main", List.of("static-synthetic", "real-upper-bound"), 2, 128), main, new AtomicInteger(),
                quiet).build().run();
        // the ablation: run seed 42 only, one arm shared (at another place in the list), one new
        ExperimentConfig ablation = config("ablation", List.of("recursive-replace", "real-upper-bound"), 1, 128);
        AtomicInteger openedFresh = new AtomicInteger();
        runner(ablation, fresh, openedFresh, quiet).build().run();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AtomicInteger openedReusing = new AtomicInteger();
        runner(ablation, reusing, openedReusing, new PrintStream(log, true, StandardCharsets.UTF_8))
                .optReuseUnitsFrom(main).build().run();

        List<String> files = RunFolders.assertSameRecords(fresh, reusing, UnitReuseTest::notARecord);
        assertTrue(files.contains("real-upper-bound/iter-2/items.jsonl"), files.toString());
        assertTrue(files.contains("results.jsonl") && files.contains("contamination.jsonl"), files.toString());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("reuse: real-upper-bound (run seed 42) taken from " + main.resolve("seed-42")),
                printed);
        assertFalse(printed.contains("reuse: recursive-replace"), printed);
        assertTrue(openedReusing.get() < openedFresh.get(), "the reused unit opens no model: " + openedReusing
                + " vs " + openedFresh);
        assertFalse(Files.exists(reusing.resolve("real-upper-bound/checkpoint-2")), "checkpoints are not copied");
        assertTrue(Files.exists(reusing.resolve(ExperimentRunner.HEADLINE_TASKS_FILE)));
        assertTrue(Arrays.equals(Files.readAllBytes(main.resolve("seed-42/real-upper-bound/provenance.json")),
                Files.readAllBytes(reusing.resolve("real-upper-bound/provenance.json"))), "a unit keeps its origin");
        assertEquals(42L, RunProvenance.read(reusing.resolve("recursive-replace")).seed(), "a unit run here");

        // running again takes nothing more and changes nothing
        runner(ablation, reusing, new AtomicInteger(), quiet).optReuseUnitsFrom(main).build().run();
        RunFolders.assertSameRecords(fresh, reusing, UnitReuseTest::notARecord);
    }

    @Test
    void aFolderOfOtherSettingsIsRefusedNamingTheFieldsAndLosesNothing(@TempDir Path main, @TempDir Path other)
            throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        runner(config("main", List.of("real-upper-bound"), 1, 128), main, new AtomicInteger(), quiet).build().run();
        byte[] results = Files.readAllBytes(main.resolve("results.jsonl"));

        ExperimentRunner larger = runner(config("larger", List.of("real-upper-bound", "static-synthetic"), 1, 256),
                other, new AtomicInteger(), quiet).optReuseUnitsFrom(main).build();
        IOException e = assertThrows(IOException.class, larger::run);
        assertTrue(e.getMessage().contains("experiment.tokenBudget: 128 -> 256")
                && e.getMessage().contains("'real-upper-bound'"), e.getMessage());
        assertFalse(Files.exists(other.resolve("results.jsonl")), "nothing was copied");
        assertTrue(Arrays.equals(results, Files.readAllBytes(main.resolve("results.jsonl"))),
                "the other folder is only read");

        Path chosenElsewhere = Files.createDirectories(other.resolve("own-headline"));
        Files.writeString(chosenElsewhere.resolve(ExperimentRunner.HEADLINE_TASKS_FILE), "{\"tasks\": []}\n");
        IOException headline = assertThrows(IOException.class, () -> runner(config("larger",
                List.of("static-synthetic", "real-upper-bound"), 1, 128), chosenElsewhere, new AtomicInteger(), quiet)
                .optReuseUnitsFrom(main).build().run());
        assertTrue(headline.getMessage().contains("headline tasks"), headline.getMessage());

        IOException missing = assertThrows(IOException.class, () -> runner(config("larger",
                List.of("real-upper-bound"), 1, 128), other.resolve("x"), new AtomicInteger(), quiet)
                .optReuseUnitsFrom(main.resolve("absent")).build().run());
        assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    }
}
