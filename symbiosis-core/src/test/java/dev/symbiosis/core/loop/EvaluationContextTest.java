package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.RecursiveCollapse;
import dev.symbiosis.core.testing.TinyLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop tells its evaluator whose Student it evaluates; per-item results and typed figures are values. */
class EvaluationContextTest {

    @Test
    void everyEvaluationKnowsItsStrategyAndIteration(@TempDir Path dir) throws Exception {
        List<String> seen = new ArrayList<>();
        StudentEvaluator recording = new StudentEvaluator() {
            @Override
            public Evaluation evaluate(dev.symbiosis.core.model.Student student, EvaluationContext context) {
                Evaluation e = TinyLoop.EVAL.evaluate(student, context);
                seen.add(context.strategy() + "@" + context.iteration());
                Map<String, Number> values = new LinkedHashMap<>();
                values.put("n", 1);
                values.put("loss", e.headline());
                return new Evaluation(e.headlineName(), e.higherIsBetter(), e.figures(),
                        List.of(new ItemScore("doc", "all", context.strategy() + "/" + context.iteration(), values)));
            }

            /** Student 0 is evaluated once per run; the other strategies are told of it in their own context. */
            @Override
            public Evaluation reuse(Evaluation evaluation, EvaluationContext context) {
                seen.add(context.strategy() + "@" + context.iteration() + " (reused)");
                return evaluation;
            }
        };
        SymbiosisLoop loop = SymbiosisLoop.builder(TinyLoop.config(2), TinyLoop.model("g0"), TinyLoop.model("s0"),
                recording, new RunStore(dir, "{}")).optRealStream(TinyLoop.STREAM).build();
        loop.run(List.of(new RealUpperBound(), RecursiveCollapse.replace()));
        assertEquals(List.of("real-upper-bound@0", "real-upper-bound@1", "real-upper-bound@2",
                "recursive-replace@0 (reused)", "recursive-replace@1", "recursive-replace@2"), seen);
    }

    @Test
    void itemsAndFiguresAreCheckedAndCopied() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("nll", 2.5);
        values.put("bytes", 10L);
        ItemScore item = new ItemScore("bpb", "news", "a", values);
        values.put("bpb", 0.1);
        assertEquals(List.of("nll", "bytes"), List.copyOf(item.values().keySet()), "copied, in order");
        assertEquals(10.0, item.value("bytes"), 0.0);
        assertThrows(IllegalArgumentException.class, () -> item.value("bpb"));
        assertThrows(IllegalArgumentException.class, () -> EvaluationContext.of("s", -1));
        Figure bpb = Figure.lowerIsBetter("bpb.macro");
        assertEquals(true, bpb.isBetter(1.0, 2.0));
        assertEquals(false, Figure.higherIsBetter("acc").isBetter(1.0, 2.0));
        List<ItemScore> items = new ArrayList<>(List.of(item));
        Evaluation e = new Evaluation(bpb, ImmutableSortedMap.of("bpb.macro", 1.0), items);
        items.clear();
        assertEquals(1, e.items().size());
        assertEquals(bpb, e.headlineFigure());
    }
}
