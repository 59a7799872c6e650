package dev.symbiosis.core.testing;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.LoopConfig;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.loop.SymbiosisLoop;
import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A small loop on {@link CharBigramModel}s for strategy tests: word-salad corpora over a few domains, a held-out
 * NLL evaluation, and Students that can crash on a chosen training call (to test resumption) or hide their
 * {@link GradientHints} capability.
 */
public final class TinyLoop {

    private static final String[] WORDS = ("the cat sat on a mat while the dog ran to the park and a bird sang in "
            + "the old tree by the river where children played with a red ball").split(" ");
    private static final String[] OTHER = ("ship sails north over cold grey water as sailors haul ropes and the "
            + "captain shouts orders into wind and rain").split(" ");

    /** {@code n} documents of 40 words; even ones from the park vocabulary, odd ones from the sea vocabulary. */
    public static List<Document> corpus(String prefix, int n, int seed) {
        List<Document> out = new ArrayList<>();
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            String[] words = i % 2 == 0 ? WORDS : OTHER;
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                sb.append(words[r.nextInt(words.length)]).append(w % 9 == 8 ? ". " : " ");
            }
            out.add(new Document(prefix + "-" + i, sb.toString().strip(),
                    Provenance.of(i % 2 == 0 ? "real:park" : "real:sea")));
        }
        return out;
    }

    public static final List<Document> SEED = corpus("seed", 20, 1);
    public static final List<Document> POOL = corpus("pool", 30, 2);
    public static final List<Document> STREAM = corpus("stream", 40, 3);
    public static final List<String> HELD_OUT = corpus("eval", 5, 4).stream().map(Document::text).toList();

    private TinyLoop() {}

    /** Generator 0 ("g0", trained on the seed data) or a Student 0 (trained on a quarter of it). */
    public static Supplier<LanguageModel> model(String name) {
        return () -> CharBigramModel.trainedOn(name, SEED.subList(0, name.equals("g0") ? 20 : 5).stream()
                .map(Document::text).toList());
    }

    /** Mean NLL per character of the held-out texts: lower is better. */
    public static final StudentEvaluator EVAL = (student, context) -> {
        double nll = 0;
        int n = 0;
        for (TokenScores s : student.score(HELD_OUT)) {
            nll -= s.sumLogProb();
            n += s.predictedCount();
        }
        context.progress().progress(1, 1);
        return new Evaluation("heldout.nll", false, ImmutableSortedMap.of("heldout.nll", nll / n));
    };

    public static LoopConfig config(int iterations) {
        return LoopConfig.builder().optIterations(iterations).optTokenBudget(1200).optGenerationBatch(4)
                .optSampling(SamplingConfig.defaults().withMaxNewTokens(60)).optPoolSample(10).optSeed(7).build();
    }

    /** The loop on {@code dir} with a top-4 miner on 120-character windows. */
    public static SymbiosisLoop.Builder loop(Path dir, LoopConfig cfg, Supplier<LanguageModel> student)
            throws IOException {
        return SymbiosisLoop.builder(cfg, model("g0"), student, EVAL, new RunStore(dir, "{\"test\": 1}"))
                .optPool(POOL).optRealStream(STREAM)
                .optMiner(UncertaintyFeedbackMiner.builder().optTopK(4).optWindowChars(120).build())
                .optMeasure(texts -> new TreeMap<>(Map.of("count", (double) texts.size())));
    }

    /** As {@link #loop(Path, LoopConfig, Supplier)} with a curriculum. */
    public static SymbiosisLoop loop(Path dir, LoopConfig cfg, Supplier<LanguageModel> student, Curriculum c)
            throws IOException {
        return loop(dir, cfg, student).optCurriculum(c).build();
    }

    /** The default curriculum. */
    public static Curriculum curriculum() {
        return TemplateCurriculum.create();
    }

    /**
     * Student 0 (with gradient hints) that throws on its {@code n}-th training call, as a killed process would stop
     * there.
     */
    public static Supplier<LanguageModel> crashingOnTrainCall(int n) {
        return () -> new CrashingHintingModel((CharBigramModel) model("s0").get(), n);
    }

    /** Generator 0 ("g0") counting the rows it generates into {@code rows}. */
    public static Supplier<LanguageModel> countingRows(java.util.concurrent.atomic.AtomicInteger rows) {
        return () -> countingRows(model("g0").get(), rows);
    }

    /**
     * {@code model} behind a wrapper that counts the rows it generates ({@code generate} and {@code generateSeeded})
     * into {@code rows}, forwards every call (also {@code close}) and implements no optional capability.
     */
    public static LanguageModel countingRows(LanguageModel model, java.util.concurrent.atomic.AtomicInteger rows) {
        return new CrashingModel(model, -1, rows);
    }

    /** Student 0 behind a wrapper that does not implement {@link GradientHints}. */
    public static Supplier<LanguageModel> withoutGradientHints() {
        return () -> new CrashingModel((CharBigramModel) model("s0").get(), -1);
    }

    /**
     * Delegates to a model, throws on the n-th call of train (never when n < 1) and counts the rows it generates
     * (when given a counter).
     */
    static class CrashingModel implements LanguageModel {
        private final LanguageModel m;
        private final int failAt;
        private final java.util.concurrent.atomic.AtomicInteger rows;
        private int calls;

        CrashingModel(LanguageModel m, int failAt) {
            this(m, failAt, null);
        }

        CrashingModel(LanguageModel m, int failAt, java.util.concurrent.atomic.AtomicInteger rows) {
            this.m = m;
            this.failAt = failAt;
            this.rows = rows;
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
        public List<SaliencyMap> saliency(List<String> texts) {
            return m.saliency(texts);
        }

        @Override
        public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
            if (rows != null) {
                rows.addAndGet(prompts.size());
            }
            return m.generate(prompts, sampling);
        }

        @Override
        public List<Sample> generateSeeded(List<Prompt> prompts, SamplingConfig sampling, long[] rowSeeds) {
            if (rows != null) {
                rows.addAndGet(prompts.size());
            }
            return m.generateSeeded(prompts, sampling, rowSeeds);
        }

        @Override
        public TrainingReport fineTune(List<PromptCompletion> examples) {
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

        @Override
        public void close() {
            m.close();
        }
    }

    /** A crashing model that keeps the bigram model's gradient hints. */
    static final class CrashingHintingModel extends CrashingModel implements GradientHints {
        private final CharBigramModel hinting;

        CrashingHintingModel(CharBigramModel m, int failAt) {
            super(m, failAt);
            this.hinting = m;
        }

        @Override
        public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
            return hinting.gradientHints(texts, positions, candidates);
        }
    }
}
