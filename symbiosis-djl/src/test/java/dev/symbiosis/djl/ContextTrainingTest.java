package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training text's context is read, not trained (issue 17's masked-context teaching): on a byte-level tiny model,
 * one step on (context, text) has the loss of one step on context + text minus the context's own loss, which the
 * model's scoring gives independently, and the loss is taken on the text's tokens and end of text only.
 */
class ContextTrainingTest {

    @TempDir
    Path tmp;

    private static final Provenance P = Provenance.of("test");
    /** One epoch, one sequence: one step, whose loss is measured before the update. */
    private static final TrainerConfig ONE_STEP = new TrainerConfig(3e-3, 2, 0.0, 8, 1, 1.0, 1L);

    @Test
    void theContextCarriesNoLossAndOnlyItsTailThatFitsIsRead() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 31);
        String text = " and so"; // 7 bytes, + end of text = 8 positions with loss
        check(dir, "the context", text, "the context");
        // 40 bytes of context: only the last 32 - 8 = 24 fit before the text in the model's one window
        String longContext = "a much longer context than the window ok";
        assertEquals(40, longContext.length());
        check(dir, longContext, text, longContext.substring(40 - 24));
    }

    /**
     * One step on (context, text) against one step on {@code seen + text} as a plain text, where {@code seen} is the
     * part of the context the model can read.
     */
    private static void check(Path dir, String context, String text, String seen) throws Exception {
        TrainingReport masked;
        TrainingReport whole;
        double contextNll;
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(ONE_STEP).build()) {
            assertArrayEquals(concat(m.tokenIds(seen), m.tokenIds(text)), m.tokenIds(seen + text),
                    "byte-level: the joint encoding is the two encodings one after the other");
            assertEquals(32, m.contextLength(), "the checkpoint's n_positions");
            contextNll = -m.score(List.of(seen)).get(0).sumLogProb();
            masked = m.train(List.of(new TrainingText(text, 1.0, P, context)));
        }
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(ONE_STEP).build()) {
            whole = m.train(List.of(TrainingText.of(seen + text, P)));
        }
        assertEquals(1, masked.steps());
        assertEquals(text.length() + 1, masked.tokens(), "the text's tokens and end of text carry the loss");
        assertEquals(seen.length() + text.length(), whole.tokens());
        double maskedSum = masked.meanLoss() * masked.tokens();
        double wholeSum = whole.meanLoss() * whole.tokens();
        assertEquals(wholeSum - contextNll, maskedSum, 2e-3 * wholeSum,
                "masked loss = whole loss minus the context's own loss");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
