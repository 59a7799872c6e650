package dev.symbiosis.experiment;

import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.metrics.MatchedSample;
import dev.symbiosis.metrics.MetricsPanel;
import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import dev.symbiosis.metrics.syntax.SyntacticPanel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

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

        @Override
        public TextSetMeasure create(ExperimentConfig config, List<Document> fidelity,
                Map<String, String> topicDomains, LanguageModel reference) {
            return measure(config, fidelity, topicDomains, reference);
        }
    }

    /** Real documents of each domain of the fidelity split that the like-with-like figures compare against. */
    public static final int REAL_DOCUMENTS_PER_DOMAIN = 16;

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
        return measure(c, referenceTexts, null, Map.of(), reference);
    }

    /**
     * {@link #measure(ExperimentConfig, List, LanguageModel)} with the fidelity documents' texts as reference texts
     * (its figures unchanged), plus the like-with-like figures of {@link MetricsPanel}:
     * <ul>
     *   <li>{@code matched.*}: the lexical, syntactic and semantic figures of a {@link MatchedSample} of
     *       {@link #matchedCount} texts cut to {@link #matchedLength} code points, seeded by the master seed;</li>
     *   <li>{@code real.matched.*}: the same figures of the real documents: the first
     *       {@value #REAL_DOCUMENTS_PER_DOMAIN} documents of each domain of the fidelity split, in file order;</li>
     *   <li>from {@link TextSetMeasure#measure(List, List)} (texts with provenance): fidelity per domain against
     *       the same real documents ({@code fidelity.bpb.<domain>}, {@code fidelity.real_bpb.<domain>},
     *       {@code fidelity.*.domain_macro}), a topic's domain taken from {@code topicDomains}.</li>
     * </ul>
     *
     * @throws UncheckedIOException if the MiniLM encoder cannot be opened
     */
    public static TextSetMeasure measure(ExperimentConfig c, List<Document> fidelity, Map<String, String> topicDomains,
            LanguageModel reference) {
        return measure(c, fidelity.stream().map(Document::text).toList(), realDocuments(fidelity), topicDomains,
                reference);
    }

    /**
     * Texts per matched sample: a quarter of the configuration's {@code measureSample} (at least 2), so that the
     * synthetic part of {@code real-mixing}'s training set (its smallest synthetic set) has enough texts.
     */
    public static int matchedCount(ExperimentConfig c) {
        return Math.max(2, c.measureSample() / 4);
    }

    /**
     * Code points of every matched text: twice the sampler's {@code maxNewTokens}, so that most samples (a full
     * completion has about three characters per token) are long enough to be drawn.
     */
    public static int matchedLength(ExperimentConfig c) {
        return 2 * c.sampling().maxNewTokens();
    }

    /** The first {@value #REAL_DOCUMENTS_PER_DOMAIN} documents of every domain ({@link MetricsPanel#domainOf}), in order. */
    static List<Document> realDocuments(List<Document> fidelity) {
        Map<String, Integer> taken = new HashMap<>();
        List<Document> out = new ArrayList<>();
        for (Document d : fidelity) {
            if (taken.merge(MetricsPanel.domainOf(d.provenance(), Map.of()), 1, Integer::sum)
                    <= REAL_DOCUMENTS_PER_DOMAIN) {
                out.add(d);
            }
        }
        return out;
    }

    private static TextSetMeasure measure(ExperimentConfig c, List<String> referenceTexts,
            @Nullable List<Document> real, Map<String, String> topicDomains, LanguageModel reference) {
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
        if (real != null) {
            b.matched(matchedCount(c), matchedLength(c)).realDocuments(real).topicDomains(topicDomains);
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
        List<Document> fidelity = ExperimentData.read(config.data().fidelity() == null
                ? dev.symbiosis.assets.EmbeddedAssets.open().split("fidelity") : Path.of(config.data().fidelity()));
        Path checkpoint = config.models().reference() == null
                ? dev.symbiosis.assets.EmbeddedAssets.open().model("reference") : Path.of(config.models().reference());
        // the run's Step A topics with their domains, derived again from the same seed split as the run derived them
        ExperimentConfig.TopicsFromSeed from = config.prompting().topicsFromSeed();
        Map<String, String> topicDomains = from == null ? Map.of() : from.deriver().topicDomains(ExperimentData.read(
                config.data().seed() == null ? dev.symbiosis.assets.EmbeddedAssets.open().split("seed")
                        : Path.of(config.data().seed())));
        LanguageModel reference = loadModel(checkpoint, config.student(), config.seed());
        try {
            TextSetMeasure m = measure(config, fidelity, topicDomains, reference);
            return new CloseableMeasure() {
                @Override
                public SortedMap<String, Double> measure(List<String> texts) {
                    return m.measure(texts);
                }

                @Override
                public SortedMap<String, Double> measure(List<String> texts, List<Provenance> provenances) {
                    return m.measure(texts, provenances);
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
        public SortedMap<String, Double> measure(List<String> texts, List<Provenance> provenances) {
            return measure.measure(texts, provenances);
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
