package dev.symbiosis.examples;

import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.RealStream;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.experiment.ExperimentConfig;
import dev.symbiosis.experiment.ExperimentResult;
import dev.symbiosis.experiment.ExperimentRunner;
import dev.symbiosis.experiment.HeldOutEvaluator;
import dev.symbiosis.experiment.SeedStatistics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Your own Strategy against the baselines: {@code OwnStrategy [OUT]} runs "half-real" (each iteration half the token
 * budget from Generator 0's topic prompts, half fresh real text) next to static synthetic data, recursive
 * self-training and real-data mixing on the smoke preset, then prints the paired bits-per-byte comparisons.
 */
public final class OwnStrategy {

    /** Half the budget synthetic (the Generator is never fine-tuned), half fresh real text. */
    static final class HalfReal implements Strategy {
        @Override
        public String name() {
            return "half-real";
        }

        @Override
        public IterationData prepare(IterationContext ctx) {
            int half = ctx.config().tokenBudget() / 2;
            var synthetic = ctx.synthesize(ctx.generator(), ctx.topicPrompts("half-real"), half, 1.0, "generate");
            RealStream.Slice real = ctx.realStream().slice(ctx.iteration(), half, 1.0);
            List<TrainingText> texts = new ArrayList<>(synthetic.texts());
            texts.addAll(real.texts());
            return new IterationData(texts, synthetic.samples(), real.reused());
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        ExperimentConfig config = ExperimentConfig.preset("smoke")
                .withStrategies(List.of("static-synthetic", "recursive-replace", "real-mixing"));
        ExperimentResult result = ExperimentRunner.builder(config)
                .addStrategy("half-real", context -> new HalfReal())
                .optOutput(Path.of(args.length > 0 ? args[0] : "runs/own-strategy"))
                .build().run();
        SeedStatistics stats = result.statistics().orElseThrow();
        for (String baseline : config.strategies()) {
            stats.paired(HeldOutEvaluator.BPB_MACRO, "half-real", baseline, stats.iterations()).ifPresent(c ->
                    System.out.printf("half-real - %s: %+.4f bits per byte [%+.4f, %+.4f], better: %s%n", baseline,
                            c.meanDifference(), c.lower95(), c.upper95(), c.better().orElse("neither")));
        }
    }
}
