package dev.symbiosis.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.metrics.lexical.LexicalPanel;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** The lexical panel's figures on the benchmark's large synthetic corpus, pinned before its speed-ups. */
class LexicalFiguresRegressionTest {

    /**
     * The panel's figures on 3 MB of the benchmark's synthetic corpus (634,635 tokens: tables far larger than the
     * caches, grown many times), as computed by the implementation before the tables were sized ahead and given
     * hash-ordered homes (commit 096ce78): bit for bit, sized ahead by {@code measure} or grown by streaming.
     */
    @Test
    void figuresOnALargeCorpusEqualThoseOfThePreviousImplementation() {
        List<String> texts = LexicalBenchmark.syntheticCorpus(20260101L, 3_000_000);
        Map<String, Double> before = Map.ofEntries(
                Map.entry("lexical.distinct_1", 0.023229100191448627),
                Map.entry("lexical.distinct_2", 0.24067233513596636),
                Map.entry("lexical.distinct_3", 0.5690794564015188),
                Map.entry("lexical.distinct_4", 0.8384845562724299),
                Map.entry("lexical.mattr", 0.5813057647032869),
                Map.entry("lexical.mtld", 17.789769161175634),
                Map.entry("lexical.tokens", 634635.0),
                Map.entry("lexical.ttr", 0.023229100191448627),
                Map.entry("lexical.types", 14742.0),
                Map.entry("lexical.yule_i", 0.010803355436300295),
                Map.entry("lexical.yule_k", 499.4508154160859));
        SortedMap<String, Double> sizedAhead = LexicalPanel.create().measure(texts);
        assertEquals(before, sizedAhead);
        LexicalPanel.Accumulator streamed = LexicalPanel.create().accumulator();
        texts.forEach(streamed::acceptText);
        assertEquals(before, streamed.figures());
    }

}
