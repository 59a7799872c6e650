package dev.symbiosis.metrics.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.cli.bench.LexicalBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark entry point the CLI calls works on a tiny corpus (no timing asserted). */
class LexicalBenchmarkSmokeTest {

    @Test
    void runReportsSizesAndRates() {
        List<String> corpus = LexicalBenchmark.syntheticCorpus(3, 20_000);
        assertEquals(corpus, LexicalBenchmark.syntheticCorpus(3, 20_000));
        LexicalBenchmark.Result r = LexicalBenchmark.run(corpus, 0, 1);
        assertEquals(corpus.size(), r.texts());
        assertEquals(LexicalPanel.create().measure(corpus).get("lexical.tokens"), (double) r.tokens());
        assertTrue(r.bytes() >= 20_000 && r.megabytesPerSecond() > 0 && r.megabytesPerCpuSecond() > 0);
        assertEquals(r.megabytesPerSecond(), r.figures().get("bench.lexical.mb_per_s"));
    }
}
