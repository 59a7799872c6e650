package dev.symbiosis.core.strategy;

import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.RealStream;
import dev.symbiosis.core.loop.Strategy;
import java.util.List;

/** The practical upper bound: every iteration the Student trains on fresh, unseen real text of the stream. */
public final class RealUpperBound implements Strategy {

    @Override
    public String name() {
        return "real-upper-bound";
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        RealStream.Slice real = ctx.realStream().slice(ctx.iteration(), ctx.config().tokenBudget(), 1.0);
        return new IterationData(real.texts(), List.of(), real.reused());
    }
}
