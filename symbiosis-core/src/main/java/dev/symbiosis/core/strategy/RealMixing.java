package dev.symbiosis.core.strategy;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.RealStream;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.model.TrainingText;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Real-data mixing (the state of the art the proposal compares with): every iteration the Student trains on fresh
 * synthetic data from Generator 0 mixed with fresh real data from the stream. By default real text is
 * {@code realShare} (1/phi = 0.618, the "golden ratio" of He et al. 2025) of the token budget; with
 * {@link #byLossWeight} both halves get half the tokens and the real share is set through per-example loss weights
 * instead.
 */
public final class RealMixing implements Strategy {

    /** 1/phi, the golden-ratio real share. */
    public static final double GOLDEN_REAL_SHARE = 2.0 / (1.0 + Math.sqrt(5.0));

    private final double realShare;
    private final boolean lossWeighted;

    private RealMixing(double realShare, boolean lossWeighted) {
        if (!(realShare > 0 && realShare < 1)) {
            throw new IllegalArgumentException("realShare must be in (0, 1), got " + realShare);
        }
        this.realShare = realShare;
        this.lossWeighted = lossWeighted;
    }

    /** Real text as {@code realShare} of the token budget. */
    public static RealMixing byTokens(double realShare) {
        return new RealMixing(realShare, false);
    }

    /** Equal tokens, real share through loss weights {@code 2 realShare} and {@code 2 (1 - realShare)}. */
    public static RealMixing byLossWeight(double realShare) {
        return new RealMixing(realShare, true);
    }

    /** The default: golden-ratio share by tokens. */
    public static RealMixing golden() {
        return byTokens(GOLDEN_REAL_SHARE);
    }

    /** The real share and how it is applied. */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("realShare", realShare, "lossWeighted", lossWeighted);
    }

    @Override
    public String name() {
        return "real-mixing";
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        int budget = ctx.config().tokenBudget();
        double share = lossWeighted ? 0.5 : realShare;
        int realTokens = (int) Math.round(budget * share);
        double realWeight = lossWeighted ? 2 * realShare : 1.0;
        double synthWeight = lossWeighted ? 2 * (1 - realShare) : 1.0;
        RealStream.Slice real = ctx.realStream().slice(ctx.iteration(), realTokens, realWeight);
        IterationContext.Synthesized synth = ctx.synthesize(ctx.generator(), ctx.topicPrompts("step-a"),
                Math.max(1, budget - realTokens), synthWeight, "generate synthetic part");
        List<TrainingText> texts = new ArrayList<>(real.texts());
        texts.addAll(synth.texts());
        return new IterationData(texts, synth.samples(), real.reused());
    }
}
