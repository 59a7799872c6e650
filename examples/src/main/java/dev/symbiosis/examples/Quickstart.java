package dev.symbiosis.examples;

import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.assets.EmbeddedAssets;
import java.util.ArrayList;
import java.util.List;

/**
 * The symbiotic loop in about thirty lines, on the embedded models and data: Step A (the Generator writes), Step B
 * (the Student learns with LoRA), Step C (the Student's hard examples in the unlabeled pool), Step D (the Generator
 * re-teaches them and is fine-tuned on its teaching). {@code SymbiosisLoop} adds baselines, evaluation, metrics,
 * checkpoints and resumption to exactly this.
 */
public final class Quickstart {

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        EmbeddedAssets assets = EmbeddedAssets.open();
        List<Document> pool = new ArrayList<>();
        try (CorpusReader r = Corpora.open(assets.split("pool"))) {
            r.forEach(d -> { if (pool.size() < 32) pool.add(d); });
        }
        Curriculum curriculum = TemplateCurriculum.create();
        FeedbackMiner miner = UncertaintyFeedbackMiner.builder().optTopK(4).build();
        try (var generator = DjlLanguageModel.builder(assets.model("generator-0")).optLora(LoraConfig.defaults()).build();
                var student = DjlLanguageModel.builder(assets.model("student-0")).optLora(LoraConfig.defaults()).build()) {
            for (int t = 1; t <= 2; t++) {
                SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(64).withSeed(t);
                List<Sample> synthetic = generator.generate(curriculum.topicPrompts(t, 16, 42), sampling);     // A
                var report = student.train(synthetic.stream()                                                // B
                        .map(s -> TrainingText.of(s.fullText(), s.provenance())).toList());
                Feedback feedback = miner.mine(student, pool, t);                                             // C
                List<Sample> teaching = generator.generate(curriculum.teachingPrompts(t, feedback), sampling); // D
                generator.fineTune(teaching.stream()
                        .map(s -> new PromptCompletion(s.prompt().text(), s.completion())).toList());
                System.out.printf("iteration %d: student loss %.3f; hardest pool text (entropy %.2f): %s%n", t,
                        report.meanLoss(), feedback.hardExamples().get(0).meanEntropy(),
                        feedback.hardExamples().get(0).salientTexts());
                System.out.println("  a synthetic sample: " + synthetic.get(0).fullText().replace('\n', ' '));
            }
        }
    }
}
