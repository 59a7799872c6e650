package dev.symbiosis.metrics.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.cli.bench.PosBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark entry point the CLI calls works on a tiny corpus (no timing asserted). */
class PosBenchmarkSmokeTest {

    @Test
    void runReportsSizesAndRates() {
        List<String> texts = PosBenchmark.syntheticEnglish(5, 40);
        assertEquals(texts, PosBenchmark.syntheticEnglish(5, 40));
        PosBenchmark.Result r = PosBenchmark.run(texts, 2, 0, 1);
        assertEquals(40, r.texts());
        assertTrue(r.sentences() >= 40 && r.tokens() > r.sentences());
        assertTrue(r.tokensPerSecondOneThread() > 0 && r.tokensPerSecondParallel() > 0);
        assertEquals(2.0, r.figures().get("bench.pos.threads"));
    }
}
