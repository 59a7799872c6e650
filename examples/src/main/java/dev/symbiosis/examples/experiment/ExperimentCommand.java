package dev.symbiosis.examples.experiment;

import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.metrics.MetricsPanel;
import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import dev.symbiosis.metrics.syntax.SyntacticPanel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--config", description = "A JSON experiment configuration (see --print-config for the format);"
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

    @Option(names = "--report-only", description = "Write the report and statistics from the run folders as they "
            + "are (a run in progress or interrupted) without running anything.")
    boolean reportOnly;

    @Option(names = "--print-config", description = "Print the resolved configuration as JSON and exit.")
    boolean printConfig;

    @Override
    public Integer call() throws IOException {
        ExperimentConfig cfg = config != null ? ExperimentConfig.read(config) : ExperimentConfig.preset(preset);
        if (seeds != null) {
            if (seeds < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--seeds must be >= 1, got " + seeds);
            }
            cfg = cfg.withSeeds(seeds);
        }
        if (printConfig) {
            System.out.print(cfg.toJson());
            return 0;
        }
        Path dir = out != null ? out : Path.of("runs", cfg.preset());
        System.err.println("experiment '" + cfg.preset() + "' into " + dir.toAbsolutePath());
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            ExperimentRunner runner = new ExperimentRunner(cfg, dir, ExperimentCommand::loadModel,
                    (c, referenceTexts, reference) -> measure(c, referenceTexts, reference, resources), System.err);
            if (onlySeeds != null && !onlySeeds.isEmpty()) {
                if (cfg.seeds() == 1) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "--only-seed needs a run with more than one seed (--seeds)");
                }
                runner.onlySeeds(onlySeeds);
            }
            if (reportOnly) {
                runner.reportOnly();
            }
            runner.run();
        } finally {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("warning: closing " + r + ": " + e);
                }
            }
        }
        return 0;
    }

    /**
     * A DJL model with the configuration's trainer (LoRA unless loraRank is 0) and engine settings (0 keeps the
     * engine's default).
     */
    static LanguageModel loadModel(Path checkpoint, ExperimentConfig.Trainer t, long seed) {
        try {
            DjlLanguageModel.Builder b = DjlLanguageModel.builder(checkpoint)
                    .optLora(t.loraRank() == 0 ? null : new LoraConfig(t.loraRank(), t.loraAlpha(), 0.0,
                            LoraConfig.ALL_TARGETS))
                    .optTrainer(new TrainerConfig(t.learningRate(), 2, 0.01, t.batchSize(), t.epochs(), 1.0, seed))
                    .optName(checkpoint.getFileName().toString());
            if (t.contextLength() > 0) {
                b.optContextLength(t.contextLength());
            }
            if (t.generationRows() > 0) {
                b.optGenerationRows(t.generationRows());
            }
            if (t.maxBatchTokens() > 0) {
                b.optMaxBatchTokens(t.maxBatchTokens());
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The diversity/fidelity panel: lexical and syntactic (POS n-grams, JSD and surprisal against held-out fidelity
     * text) always, MiniLM semantic figures on request, fidelity under the reference model.
     */
    static TextSetMeasure measure(ExperimentConfig c, List<String> referenceTexts, LanguageModel reference,
            List<AutoCloseable> resources) {
        List<String> heldOutText = referenceTexts.subList(0, Math.min(128, referenceTexts.size()));
        MetricsPanel.Builder b = MetricsPanel.builder()
                .lexical(LexicalPanel.create())
                .syntactic(SyntacticPanel.create().withReference(heldOutText))
                .sampleSize(c.measureSample())
                .seed(c.seed());
        if (reference != null) {
            b.referenceScorer(reference);
        }
        if (c.semanticMetrics()) {
            try {
                MiniLmEncoder encoder = MiniLmEncoder.create();
                resources.add(encoder);
                b.encoder(encoder).referenceTexts(heldOutText);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.build();
    }
}
