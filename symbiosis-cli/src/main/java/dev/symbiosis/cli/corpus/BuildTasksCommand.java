package dev.symbiosis.cli.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.experiment.ExperimentData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Builds evaluation tasks (minimal pairs per kind, entity cloze) from held-out corpus files, as
 * {@code prepare-corpus} does for the corpus it splits: for a corpus already split, and for the embedded default,
 * whose {@code minimal-pairs-*} and {@code entity-cloze} tasks are this command's output on the bundle's eval and
 * fidelity splits with the default options (a test rebuilds them and compares byte for byte).
 *
 * <p>Writes {@code DIR/<task>.jsonl} and {@code DIR/TASKS.json} (options, inputs, candidates found per kind, kinds
 * dropped, items written); refuses a folder holding other files. Exit codes: 0 done, 1 bad input (naming the file
 * and line), 2 bad options.
 */
@Command(name = "build-tasks", mixinStandardHelpOptions = true,
        description = "Build evaluation tasks (minimal pairs, entity cloze) from held-out corpus files (JSONL with"
                + " text and source, or .txt; gzip allowed). Use text no model trains on.")
public final class BuildTasksCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Held-out corpus files, read in the order given.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder of the task files.")
    Path out;

    @Option(names = "--seed", defaultValue = "20260101", description = "Seed of the sampling and the choice order."
            + " Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    TaskOptions tasks = new TaskOptions();

    /** Default of {@code --seed}. */
    public static final long DEFAULT_SEED = 20260101L;

    /**
     * The tasks {@code build-tasks} writes with its defaults from {@code heldOut} (prepare-data builds the embedded
     * default's minimal-pair and cloze tasks this way).
     */
    public static void writeDefaultTasks(List<Document> heldOut, Path tasks, ObjectNode node,
            java.util.function.Consumer<String> log)
            throws IOException {
        PrepareCorpusCommand.writeTasks(heldOut, tasks, node, DEFAULT_SEED, TaskOptions.DEFAULT_MAX_PAIRS,
                TaskOptions.DEFAULT_MIN_PAIRS, TaskOptions.DEFAULT_CLOZE_PER_DOMAIN, log, "build-tasks");
    }

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (tasks.problem() != null) {
            err.println("build-tasks: " + tasks.problem());
            return 2;
        }
        try {
            if (Files.isDirectory(out)) {
                try (var files = Files.list(out)) {
                    List<String> foreign = files.map(f -> f.getFileName().toString())
                            .filter(n -> !n.endsWith(".jsonl") && !n.equals("TASKS.json")).sorted().toList();
                    if (!foreign.isEmpty()) {
                        err.println("build-tasks: " + out + " holds " + foreign + ", which build-tasks does not"
                                + " write: choose an empty or new folder");
                        return 2;
                    }
                }
            }
            List<Document> heldOut = new ArrayList<>();
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode manifest = json.createObjectNode();
            ObjectNode options = manifest.putObject("options");
            options.put("seed", seed).put("maxPairs", tasks.maxPairs).put("minPairs", tasks.minPairs)
                    .put("clozePerDomain", tasks.clozePerDomain);
            ObjectNode in = manifest.putObject("inputs");
            for (Path p : inputs) {
                List<Document> docs = ExperimentData.read(p);
                heldOut.addAll(docs);
                in.putObject(p.getFileName().toString()).put("documents", docs.size())
                        .put("sha256", PrepareCorpusCommand.sha256(p));
            }
            PrepareCorpusCommand.writeTasks(heldOut, out, manifest, seed, tasks.maxPairs, tasks.minPairs,
                    tasks.clozePerDomain,
                    System.out::println, "build-tasks");
            AtomicFiles.write(out.resolve("TASKS.json"), (json.writeValueAsString(manifest) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return 0;
        } catch (IOException e) { // a CorpusFormatException names the file and line
            err.println("build-tasks: " + e.getMessage());
            return 1;
        }
    }
}
