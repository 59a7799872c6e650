package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import dev.symbiosis.core.loop.EvaluationContext;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Top-1 next-token accuracy and bits per byte by token-frequency bucket, against hand-computed values. */
class TokenFiguresTest {

    private static final double LN2 = Math.log(2);

    @Test
    void bucketsFollowTheCumulativeFrequencyMass() {
        // N = 10; by count: 1 (5, before 0), 2 (3, before 5), 3 (1, before 8), 4 (1, before 9)
        TokenFrequencies f = TokenFrequencies.of(Map.of(1, 5L, 2, 3L, 3, 1L, 4, 1L));
        assertEquals(10, f.total());
        assertEquals(TokenFrequencies.Bucket.HEAD, f.bucket(1)); // 0 < 5
        assertEquals(TokenFrequencies.Bucket.MIDDLE, f.bucket(2)); // 5 is not < 5, 5 < 9
        assertEquals(TokenFrequencies.Bucket.MIDDLE, f.bucket(3)); // 8 < 9
        assertEquals(TokenFrequencies.Bucket.TAIL, f.bucket(4)); // 9 is not < 9; equal counts: lower id first
        assertEquals(TokenFrequencies.Bucket.TAIL, f.bucket(99)); // never seen
        // the id that crosses 50 % is head: 1 (4, before 0), 2 (4, before 4 < 5), 3 (2, before 8 < 9)
        TokenFrequencies g = TokenFrequencies.of(Map.of(1, 4L, 2, 4L, 3, 2L));
        assertEquals(TokenFrequencies.Bucket.HEAD, g.bucket(2));
        assertEquals(TokenFrequencies.Bucket.MIDDLE, g.bucket(3));
        assertThrows(IllegalArgumentException.class, () -> TokenFrequencies.of(Map.of(1, -1L)));
    }

    @Test
    void countingUsesTheModelsTokenIds() {
        TokenFrequencies f = TokenFrequencies.count(new CharBigramModel("s"), List.of(doc("a", "x", "aab"),
                doc("b", "x", "ba")));
        assertEquals(3, f.count('a'));
        assertEquals(2, f.count('b'));
        assertEquals(5, f.total());
    }

    private static Document doc(String id, String domain, String text) {
        return new Document(id, text, Provenance.of(domain));
    }

    private static TokenScores scores(String text, int[] ids, int[] starts, int[] ends, double[] bits,
            int[] argmax) {
        double[] lp = new double[bits.length];
        for (int i = 0; i < bits.length; i++) {
            lp[i] = -bits[i] * LN2;
        }
        return new TokenScores(text, ImmutableIntArray.copyOf(ids), ImmutableIntArray.copyOf(starts),
                ImmutableIntArray.copyOf(ends), ImmutableDoubleArray.copyOf(lp),
                ImmutableDoubleArray.copyOf(new double[bits.length]), ImmutableIntArray.copyOf(argmax));
    }

    @Test
    void handComputedExample() {
        // doc A (domain x): "aé b" = tokens "a" (id 1), "é" (id 2, 2 bytes), " b" (id 3, 2 bytes);
        // predicted: id 2 at 1 bit (argmax 2: right), id 3 at 2 bits (argmax 9: wrong)
        TokenScores a = scores("aé b", new int[] {1, 2, 3}, new int[] {0, 1, 2}, new int[] {1, 2, 4},
                new double[] {1, 2}, new int[] {2, 9});
        // doc B (domain y): "bb" = id 3, id 3; predicted: id 3 at 3 bits, 1 byte (argmax 3: right)
        TokenScores b = scores("bb", new int[] {3, 3}, new int[] {0, 1}, new int[] {1, 2}, new double[] {3},
                new int[] {3});
        List<Document> docs = List.of(doc("A", "x", "aé b"), doc("B", "y", "bb"));
        // N = 10: id 1 head (before 0), id 2 middle (before 5), id 3 tail (before 9)
        TokenFrequencies f = TokenFrequencies.of(Map.of(1, 5L, 2, 4L, 3, 1L));
        SortedMap<String, Double> out = HeldOutEvaluator.tokenFigures(List.of(a, b), docs, f);
        assertEquals(0.5, out.get("top1.x"), 1e-12);
        assertEquals(1.0, out.get("top1.y"), 1e-12);
        assertEquals(0.75, out.get("top1.macro"), 1e-12, "macro over domains, not pooled (2/3)");
        assertFalse(out.containsKey("bpb.freq.head"), "no predicted token is head");
        assertEquals(1.0 / 2, out.get("bpb.freq.middle"), 1e-12); // 1 bit over the 2 bytes of "é"
        assertEquals((2.0 + 3.0) / (2 + 1), out.get("bpb.freq.tail"), 1e-12); // " b" and "b"
        assertEquals(1.0, out.get("tokens.freq.middle"));
        assertEquals(2.0, out.get("tokens.freq.tail"));

        // a model without the most likely ids, and no frequencies: no such figure at all (never NaN)
        TokenScores plain = new TokenScores(a.text(), a.ids(), a.starts(), a.ends(), a.logProbs(), a.entropies());
        assertTrue(HeldOutEvaluator.tokenFigures(List.of(plain), docs.subList(0, 1), null).isEmpty());
    }

    @Test
    void theEvaluatorAddsTheFiguresAndTheBucketsSplitTheBitsPerByte() {
        CharBigramModel student = CharBigramModel.trainedOn("s", List.of("the cat sat on the mat", "a dog"));
        List<Document> heldOut = List.of(doc("1", "x", "the rat sat"), doc("2", "x", "a cat on a mat"),
                doc("3", "y", "dogs and cats"));
        EvalSuite suite = EvalSuite.of(List.of(new MultipleChoiceItem("mc-1", "t", "the", List.of(" cat", " zq"),
                0, "s")));
        TokenFrequencies f = TokenFrequencies.count(student, List.of(doc("s", "x", "the cat sat on the mat")));
        SortedMap<String, Double> with = HeldOutEvaluator.builder(suite, heldOut).optGenerativeItems(List.of())
                .optTokenFrequencies(f).build().evaluate(student, EvaluationContext.of("s", 0)).figures();
        SortedMap<String, Double> without = HeldOutEvaluator.builder(suite, heldOut)
                .optGenerativeItems(List.of()).build().evaluate(student, EvaluationContext.of("s", 0)).figures();
        // the other figures do not move
        without.forEach((k, v) -> assertEquals(v, with.get(k), k));
        assertFalse(without.containsKey("bpb.freq.tail"));
        // ASCII text, one char per token: a bucket's bytes are its tokens, so the buckets average to bpb.all
        double bits = 0;
        double tokens = 0;
        for (String b : List.of("head", "middle", "tail")) {
            if (with.containsKey("bpb.freq." + b)) {
                bits += with.get("bpb.freq." + b) * with.get("tokens.freq." + b);
                tokens += with.get("tokens.freq." + b);
            }
        }
        assertEquals(10 + 13 + 12, tokens, 0.0);
        assertEquals(with.get("bpb.all"), bits / tokens, 1e-12);
        // top-1 by another route: the bigram counts of the training text (smoothing keeps their order; ties go to
        // the lowest char, and a char never seen first predicts char 0)
        int[][] counts = new int[128][128];
        for (String t : List.of("the cat sat on the mat", "a dog")) {
            for (int i = 1; i < t.length(); i++) {
                counts[t.charAt(i - 1)][t.charAt(i)]++;
            }
        }
        int right = 0;
        for (String t : List.of("the rat sat", "a cat on a mat")) {
            for (int i = 1; i < t.length(); i++) {
                int[] row = counts[t.charAt(i - 1)];
                int best = 0;
                for (int c = 1; c < 128; c++) {
                    best = row[c] > row[best] ? c : best;
                }
                right += best == t.charAt(i) ? 1 : 0;
            }
        }
        assertTrue(right > 0, "the example must have right guesses to test anything");
        assertEquals(right / 23.0, with.get("top1.x"), 1e-12);
        assertEquals((with.get("top1.x") + with.get("top1.y")) / 2, with.get("top1.macro"), 1e-12);
    }
}
