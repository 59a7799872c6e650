package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.model.Gpt2Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row generated with its own seed gets the same tokens alone and inside batches of other sizes, companions,
 * paddings and row budgets ({@code generateSeeded}, the contract the loop's generation cache relies on), also when
 * rows slide their window past the context.
 */
class GenerationBatchIndependenceTest {

    @TempDir
    Path tmp;

    private static final Provenance P = Provenance.of("test");

    /** Prompts of 0 to 40 bytes: with a 32-token context and 24 new tokens, the longer ones slide their window. */
    private static List<Prompt> prompts() {
        Random r = new Random(3);
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            int length = i == 0 ? 0 : 1 + r.nextInt(40);
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < length; c++) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            out.add(new Prompt(sb.toString(), P));
        }
        // equal texts with their own seeds are different rows
        out.add(out.get(5));
        return out;
    }

    @Test
    void aRowsTokensDoNotDependOnTheRowsDecodedWithIt() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 2, 4);
        Path dir = TinyModels.checkpoint(tmp, cfg, 7);
        List<Prompt> prompts = prompts();
        long[] seeds = new long[prompts.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = 1000 + 17L * i;
        }
        for (SamplingConfig sc : List.of(SamplingConfig.defaults().withMaxNewTokens(24).withTopK(20).withTopP(0.9)
                .withTemperature(0.7).withRepetitionPenalty(1.2))) {
            List<Sample> alone = new ArrayList<>();
            try (DjlLanguageModel m = DjlLanguageModel.builder(dir).build()) {
                for (int i = 0; i < prompts.size(); i++) {
                    alone.add(m.generateSeeded(List.of(prompts.get(i)), sc, new long[] {seeds[i]}).get(0));
                    // alone with a seed = a call of one row with that seed
                    assertEquals(alone.get(i), m.generate(List.of(prompts.get(i)), sc.withSeed(seeds[i])).get(0));
                }
                assertEquals(alone, m.generateSeeded(prompts, sc, seeds), "all rows at once");
                // reversed, and in windows of 2..6 rows with shifting companions
                List<Prompt> reversed = new ArrayList<>(prompts);
                java.util.Collections.reverse(reversed);
                long[] reversedSeeds = new long[seeds.length];
                for (int i = 0; i < seeds.length; i++) {
                    reversedSeeds[i] = seeds[seeds.length - 1 - i];
                }
                List<Sample> back = m.generateSeeded(reversed, sc, reversedSeeds);
                for (int i = 0; i < prompts.size(); i++) {
                    assertEquals(alone.get(i), back.get(prompts.size() - 1 - i), "reversed, row " + i);
                }
                for (int size : new int[] {2, 5}) {
                    for (int from = 0; from + size <= prompts.size(); from += size + 1) {
                        List<Sample> part = m.generateSeeded(prompts.subList(from, from + size), sc,
                                java.util.Arrays.copyOfRange(seeds, from, from + size));
                        for (int k = 0; k < size; k++) {
                            assertEquals(alone.get(from + k), part.get(k), "batch of " + size + " from " + from);
                        }
                    }
                }
            }
            try (DjlLanguageModel threeRows = DjlLanguageModel.builder(dir).optGenerationRows(3).build()) {
                assertEquals(alone, threeRows.generateSeeded(prompts, sc, seeds), "3 rows per batch");
            }
            assertNotEquals(alone.get(5).completion(), alone.get(14).completion(),
                    "an equal prompt with another seed samples its own continuation");
        }
    }

    @Test
    void oneSeedPerPrompt() throws Exception {
        Path dir = TinyModels.checkpoint(tmp, TinyModels.config(32, 32, 2, 4), 7);
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).build()) {
            assertThrows(IllegalArgumentException.class, () -> m.generateSeeded(prompts(),
                    SamplingConfig.defaults(), new long[] {1, 2}));
        }
    }
}
