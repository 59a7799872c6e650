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
import java.util.SortedMap;

/** The experiment's standard parts: DJL language models and the metrics panel, as the command line wires them. */
public final class DefaultComponents {

    private DefaultComponents() {}

    /**
     * The standard measurement ({@link #measure}); the runner closes the MiniLM encoder it opens.
     */
    public static final ExperimentRunner.MeasureFactory MEASURE = new StandardMeasure();

    /** {@link #MEASURE}: a named class, so that run folders record a stable type. */
    private static final class StandardMeasure implements ExperimentRunner.MeasureFactory {
        @Override
        public TextSetMeasure create(ExperimentConfig config, List<String> referenceTexts, LanguageModel reference) {
            return measure(config, referenceTexts, reference);
        }
    }

    /**
     * A DJL model with the configuration's trainer (LoRA on every GPT-2 target unless loraRank is 0; warm-up,
     * weight decay, clip and LoRA dropout as configured) and engine settings (0 keeps the engine's default).
     *
     * @throws UncheckedIOException naming the checkpoint if it cannot be loaded
     */
    public static LanguageModel loadModel(Path checkpoint, ExperimentConfig.Trainer t, long seed) {
        try {
            DjlLanguageModel.Builder b = DjlLanguageModel.builder(checkpoint)
                    .optLora(t.loraRank() == 0 ? null : new LoraConfig(t.loraRank(), t.loraAlpha(), t.loraDropout(),
                            LoraConfig.ALL_TARGETS))
                    .optTrainer(new TrainerConfig(t.learningRate(), t.warmupSteps(), t.weightDecay(), t.batchSize(),
                            t.epochs(), t.gradientClip(), seed))
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
     * The diversity/fidelity panel: lexical and syntactic (POS n-grams, JSD and surprisal against the first
     * {@code measureReferenceTexts} held-out fidelity texts) always, MiniLM semantic figures when
     * {@code semanticMetrics}, fidelity under the reference model; {@code measureSample} texts measured, seeded by
     * the master seed. The result is {@link AutoCloseable} (it holds the MiniLM encoder when it has one).
     *
     * @throws UncheckedIOException if the MiniLM encoder cannot be opened
     */
    public static TextSetMeasure measure(ExperimentConfig c, List<String> referenceTexts, LanguageModel reference) {
        List<String> heldOutText = referenceTexts.subList(0, Math.min(c.measureReferenceTexts(),
                referenceTexts.size()));
        MetricsPanel.Builder b = MetricsPanel.builder()
                .lexical(LexicalPanel.create())
                .syntactic(SyntacticPanel.create().withReference(heldOutText))
                .sampleSize(c.measureSample())
                .seed(c.seed());
        if (reference != null) {
            b.referenceScorer(reference);
        }
        MiniLmEncoder encoder = null;
        if (c.semanticMetrics()) {
            try {
                encoder = MiniLmEncoder.create();
                b.encoder(encoder).referenceTexts(heldOutText);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClosingMeasure(b.build(), encoder);
    }

    /**
     * The measurement a run with this configuration made with the standard components ({@link #MEASURE} and the
     * default model loader): {@link #measure} with the configuration's fidelity texts ({@code data.fidelity}, or
     * the embedded split) as reference texts and its reference model ({@code models.reference}, or the embedded
     * one) loaded by {@link #loadModel} with the Student's trainer settings and the master seed, as the runner loads
     * it. Measuring an iteration's {@code measured.jsonl} texts with it gives the figures of that iteration's record.
     * Closing the result closes the model and the encoder.
     *
     * @throws IOException naming the file if the fidelity texts cannot be read
     */
    public static CloseableMeasure reportMeasure(ExperimentConfig config) throws IOException {
        List<String> fidelity = ExperimentData.read(config.data().fidelity() == null
                ? dev.symbiosis.assets.EmbeddedAssets.open().split("fidelity") : Path.of(config.data().fidelity()))
                .stream().map(dev.symbiosis.core.text.Document::text).toList();
        Path checkpoint = config.models().reference() == null
                ? dev.symbiosis.assets.EmbeddedAssets.open().model("reference") : Path.of(config.models().reference());
        LanguageModel reference = loadModel(checkpoint, config.student(), config.seed());
        try {
            TextSetMeasure m = measure(config, fidelity, reference);
            return new CloseableMeasure() {
                @Override
                public SortedMap<String, Double> measure(List<String> texts) {
                    return m.measure(texts);
                }

                @Override
                public void close() {
                    ((ClosingMeasure) m).close();
                    reference.close();
                }
            };
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
    }

    /** A measure that holds models and closes them. */
    public interface CloseableMeasure extends TextSetMeasure, AutoCloseable {
        @Override
        void close();
    }

    /** A measure that closes the encoder it uses. */
    private record ClosingMeasure(TextSetMeasure measure, MiniLmEncoder encoder) implements TextSetMeasure,
            AutoCloseable {

        @Override
        public SortedMap<String, Double> measure(List<String> texts) {
            return measure.measure(texts);
        }

        @Override
        public SortedMap<String, Object> settings() {
            return measure.settings();
        }

        @Override
        public void close() {
            if (encoder != null) {
                encoder.close();
            }
        }
    }
}
