package dev.symbiosis.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerplexityEvaluatorTest {

    private static Document doc(String id, String text, String source) {
        return new Document(id, text, Provenance.of(source));
    }

    private static final double LN2 = Math.log(2);

    @Test
    void figuresMatchAHandComputation() {
        // one token per char, -1 nat each; the first char is not predicted
        List<Document> docs = List.of(
                doc("a1", "abc", "A"),        // 2 tokens, nll 2, bytes 3 - 1 = 2
                doc("b1", "é€x", "B"),        // 2 tokens, nll 2, bytes (2+3+1) - 2 = 4
                doc("a2", "hello", "A"),      // 4 tokens, nll 4, bytes 4
                doc("b2", "z", "B"));         // 0 tokens, 0 bytes
        PerplexityResult r = PerplexityEvaluator.create().withBatchSize(3)
                .evaluate(CharScorer.minusOnePerChar(), docs);
        SourcePerplexity a = r.source("A").orElseThrow();
        assertEquals(2, a.documents());
        assertEquals(6, a.tokens());
        assertEquals(6.0, a.nll(), 1e-12);
        assertEquals(6, a.bytes());
        assertEquals(1.0, a.natsPerToken(), 1e-12);
        assertEquals(Math.E, a.perplexity(), 1e-12);
        assertEquals(1 / LN2, a.bitsPerByte(), 1e-12);
        SourcePerplexity b = r.source("B").orElseThrow();
        assertEquals(2, b.tokens());
        assertEquals(4, b.bytes());
        assertEquals(2 / LN2 / 4, b.bitsPerByte(), 1e-12);
        assertEquals((1 / LN2 + 0.5 / LN2) / 2, r.macroBitsPerByte(), 1e-12);
        assertEquals(8 / LN2 / 10, r.overall().bitsPerByte(), 1e-12);
        assertEquals(4, r.overall().documents());
        assertEquals(List.of("A", "B"), r.sources().stream().map(SourcePerplexity::source).toList());
        assertEquals(r.macroBitsPerByte(), r.figures().get("bpb.macro"));
    }

    @Test
    void aBosTokenMakesEveryByteCount() {
        CharScorer bos = new CharScorer((p, c, i) -> -0.5, true);
        PerplexityResult r = PerplexityEvaluator.create().evaluate(bos, List.of(doc("d", "é😀a", "S")));
        SourcePerplexity s = r.sources().get(0);
        assertEquals(4, s.tokens()); // é, high surrogate, low surrogate, a
        assertEquals(2.0, s.nll(), 1e-12);
        assertEquals(2 + 4 + 1, s.bytes());
        assertEquals(2.0 / LN2 / 7, s.bitsPerByte(), 1e-12);
        // without BOS the first token (é, 2 bytes) is not predicted; a split surrogate pair still adds up
        assertEquals(5, PerplexityEvaluator.predictedBytes(CharScorer.minusOnePerChar().score(List.of("é😀a")).get(0)));
        assertEquals(3, PerplexityEvaluator.predictedBytes(CharScorer.minusOnePerChar().score(List.of("😀a")).get(0)));
    }

    @Test
    void batchSizeDoesNotMatterAndProgressIsReported() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            docs.add(doc("d" + i, "text number " + i + " of the held-out set", i % 3 == 0 ? "x" : "y"));
        }
        PerplexityResult ref = PerplexityEvaluator.create().withBatchSize(1).evaluate(CharScorer.hashed(5), docs);
        for (int bs : new int[] {3, 64}) {
            CharScorer s = CharScorer.hashed(5);
            List<Long> done = new ArrayList<>();
            PerplexityResult r = PerplexityEvaluator.create().withBatchSize(bs).evaluate(s, docs,
                    (d, t) -> {
                        done.add(d);
                        assertEquals(11, t);
                    });
            assertEquals(ref.sources().size(), r.sources().size());
            for (int i = 0; i < ref.sources().size(); i++) {
                assertEquals(ref.sources().get(i).nll(), r.sources().get(i).nll(), 1e-9);
                assertEquals(ref.sources().get(i).bytes(), r.sources().get(i).bytes());
            }
            assertEquals(11L, done.get(done.size() - 1));
            assertEquals((11 + bs - 1) / bs, s.calls.size());
        }
    }

    @Test
    void emptyInputAndJson() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> PerplexityEvaluator.create().evaluate(CharScorer.minusOnePerChar(), List.of()));
        PerplexityResult r = PerplexityEvaluator.create().evaluate(CharScorer.minusOnePerChar(),
                List.of(doc("a", "ab", "A"), doc("b", "z", "B")));
        assertTrue(Double.isNaN(r.source("B").orElseThrow().bitsPerByte()));
        assertEquals(1 / LN2, r.macroBitsPerByte(), 1e-12, "sources without bytes stay out of the macro average");
        ObjectMapper m = new ObjectMapper();
        assertEquals(r, m.readValue(m.writeValueAsString(r), PerplexityResult.class));
    }
}
