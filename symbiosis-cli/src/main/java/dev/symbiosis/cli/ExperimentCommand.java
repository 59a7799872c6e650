package dev.symbiosis.cli;

import dev.symbiosis.experiment.ExperimentConfig;
import dev.symbiosis.experiment.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code symbiosis experiment}: Symbiosis against the baselines on the embedded default (or a JSON config), into
 * one output folder with results.jsonl, timings.jsonl, the synthetic data, hard examples, per-item evaluation
 * results, checkpoints and report.html (with {@code --seeds N > 1}: one such folder per run seed and the aggregate
 * statistics). Running it again on the same folder resumes.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run Symbiosis and the baselines and write a report. Re-running on the same --out resumes.")
public final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "default",
            description = "smoke (about a minute), default (the README main job), full. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--config", description = "A JSON experiment configuration (see --print-config for the format;"
            + " keys left out take the default preset's values, relative paths resolve against the file's folder);"
            + " replaces --preset.")
    Path config;

    @Option(names = "--out", description = "Output folder. Default: runs/<preset>.")
    Path out;

    @Option(names = "--seeds", description = "Run seeds (seed, seed+1, ...): every strategy runs once per seed, paired"
            + " within a seed; with more than one, OUT/seed-<s>/ per seed and mean, 95%% intervals and paired tests in"
            + " OUT/report.html and OUT/stats.json. Default: the configuration's seeds (1 in the smoke and default"
            + " presets).")
    Integer seeds;

    @Option(names = "--only-seed", description = "Run only this run seed's folder (repeatable), without the "
            + "aggregate: several processes can share the seeds of one --out, one seed each; a last run without it "
            + "aggregates.")
    List<Long> onlySeeds;

    @Option(names = "--parallelism", description = "(strategy, run seed) units run at once, each on its own thread with"
            + " one PyTorch intra-op thread; 1 runs them one after the other. The records are the same for every value."
            + " Default: the configuration's parallelism (0: one per available processor).")
    Integer parallelism;

    @Option(names = "--report-only", description = "Write the report and statistics from the run folders as they "
            + "are (a run in progress or interrupted) without running anything.")
    boolean reportOnly;

    @Option(names = "--print-config", description = "Print the resolved configuration as JSON and exit.")
    boolean printConfig;

    @Option(names = "--reuse-units-from", paramLabel = "DIR", description = "Take the (strategy, run seed) units that"
            + " the run folder DIR finished, with the same settings but other arms, instead of running them again"
            + " (records, timings and contamination findings are copied; a difference other than the arms is refused,"
            + " naming the fields).")
    Path reuseUnitsFrom;

    @Override
    public Integer call() throws IOException {
        ExperimentConfig cfg = config != null ? ExperimentConfig.read(config) : ExperimentConfig.preset(preset);
        if (config != null && !printConfig && !cfg.missingPaths().isEmpty()) {
            throw new IOException(config + ": " + cfg.missingPaths().get(0) + ": no such file"
                    + " or folder (relative paths resolve against the configuration file's folder)");
        }
        if (seeds != null) {
            if (seeds < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--seeds must be >= 1, got " + seeds);
            }
            cfg = cfg.withSeeds(seeds);
        }
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--parallelism must be >= 1, got " + parallelism);
            }
            cfg = cfg.toBuilder().optParallelism(parallelism).build();
        }
        if (printConfig) {
            System.out.print(cfg.toJson());
            return 0;
        }
        Path dir = out != null ? out : Path.of("runs", cfg.preset());
        System.err.println("experiment '" + cfg.preset() + "' into " + dir.toAbsolutePath());
        System.err.println("PyTorch intra-op threads: " + System.getProperty("ai.djl.pytorch.num_threads",
                "PyTorch's default") + " (set with java -Dai.djl.pytorch.num_threads=N)");
        ExperimentRunner.Builder runner = ExperimentRunner.builder(cfg).optOutput(dir).optLog(System.err);
        if (onlySeeds != null && !onlySeeds.isEmpty()) {
            if (cfg.seeds() == 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--only-seed needs a run with more than one seed (--seeds)");
            }
            runner.optOnlySeeds(onlySeeds);
        }
        runner.optReportOnly(reportOnly);
        if (reuseUnitsFrom != null) {
            runner.optReuseUnitsFrom(reuseUnitsFrom);
        }
        ExperimentRunner built;
        try {
            built = runner.build(); // refuses unknown strategy names and run seeds, naming the known ones
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        built.run();
        return 0;
    }
}
