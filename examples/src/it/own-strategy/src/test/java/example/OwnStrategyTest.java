package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.IterationRecord;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own strategy against a baseline, through the public API of the installed artifacts only. */
class OwnStrategyTest {

    /** A quarter of the budget fresh real text, the rest Generator 0's topic-prompt samples. */
    static final class QuarterReal implements Strategy {
        @Override
        public String name() {
            return "quarter-real";
        }

        @Override
        public IterationData prepare(IterationContext ctx) {
            int budget = ctx.config().tokenBudget();
            var synthetic = ctx.synthesize(ctx.generator(), ctx.topicPrompts("quarter"), budget * 3 / 4, 1.0, "gen");
            RealStream.Slice real = ctx.realStream().slice(ctx.iteration(), budget / 4, 1.0);
            List<TrainingText> texts = new ArrayList<>(synthetic.texts());
            texts.addAll(real.texts());
            return new IterationData(texts, synthetic.samples(), real.reused());
        }
    }

    @Test
    void ownStrategyAgainstStaticSyntheticOnTheSmokePreset(@TempDir Path out) throws Exception {
        ExperimentConfig config = ExperimentConfig.preset("smoke").withStrategies(List.of("static-synthetic"));
        ExperimentResult result = ExperimentRunner.builder(config)
                .addStrategy("quarter-real", context -> new QuarterReal())
                .optOutput(out)
                .build().run();

        int last = config.iterations();
        SeedStatistics stats = result.statistics().orElseThrow();
        assertEquals(List.of("static-synthetic", "quarter-real"), stats.strategies());
        SeedStatistics.PairedComparison c = stats.paired(HeldOutEvaluator.BPB_MACRO, "quarter-real",
                "static-synthetic", last).orElseThrow();
        // the paired mean difference is the difference of the recorded headline figures
        assertEquals(headline(result, "quarter-real", last) - headline(result, "static-synthetic", last),
                c.meanDifference(), 1e-9);
        assertTrue(c.items() > 0 && c.lower95() <= c.meanDifference() && c.meanDifference() <= c.upper95(),
                c.toString());
        // the strategy really ran with its own data: about a quarter of its training tokens are real
        for (IterationRecord r : result.records()) {
            if (r.strategy().equals("quarter-real") && r.iteration() > 0) {
                assertTrue(r.realShare() > 0.1 && r.realShare() < 0.45, "real share " + r.realShare());
            }
        }
        System.out.printf("quarter-real - static-synthetic at iteration %d: %+.4f bits per byte [%+.4f, %+.4f]%n",
                last, c.meanDifference(), c.lower95(), c.upper95());
    }

    private static double headline(ExperimentResult result, String strategy, int iteration) {
        return result.records().stream().filter(r -> r.strategy().equals(strategy) && r.iteration() == iteration)
                .findFirst().orElseThrow().headlineValue();
    }
}
