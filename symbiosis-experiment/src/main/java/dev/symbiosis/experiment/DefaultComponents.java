package dev.symbiosis.experiment;

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
import java.util.List;

/** The experiment's standard parts: DJL language models and the metrics panel, as the command line wires them. */
public final class DefaultComponents {

    private DefaultComponents() {}

    /**
     * A DJL model with the configuration's trainer (LoRA unless loraRank is 0) and engine settings (0 keeps the
     * engine's default).
     */
    public static LanguageModel loadModel(Path checkpoint, ExperimentConfig.Trainer t, long seed) {
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
    public static TextSetMeasure measure(ExperimentConfig c, List<String> referenceTexts, LanguageModel reference,
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
