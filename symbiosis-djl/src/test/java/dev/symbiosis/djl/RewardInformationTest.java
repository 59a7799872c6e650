package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's Student reward carries information beyond its own definition. The reward is the cosine between the
 * Student's gradient on a candidate and on one hard window; here it is judged on what it does not see: the
 * Student's loss on <em>other</em> windows of the hard window's domain after the real Step B (the Student's own
 * AdamW fine-tuning on the chosen candidate, not the virtual first-order step the cosine stands for).
 *
 * <p>Two domains of English-like text with disjoint vocabularies (sailing and farming); each draw takes a hard
 * window from the sailing domain, four candidates (two of each domain, in seeded order) and eight held-out sailing
 * windows that are neither. Best-of-k by the reward and random-of-k each fine-tune a fresh copy of the same
 * Student 0; over many draws best-of-k must leave the lower held-out loss. A reward that ignored the Student (a
 * constant or random score) or pointed the wrong way (a flipped sign) would not.
 */
class RewardInformationTest {

    private static final List<String> SEA = List.of("the", "ship", "sailed", "over", "grey", "waves", "and", "wind",
            "filled", "her", "sails", "while", "gulls", "cried", "above", "harbour", "anchor", "tide", "crew",
            "hauled", "ropes", "deck", "salt", "spray");
    private static final List<String> FARM = List.of("a", "farmer", "ploughed", "dry", "fields", "of", "barley",
            "cows", "grazed", "by", "muddy", "barn", "hay", "pigs", "tractor", "milk", "corn", "hens", "mill",
            "orchard", "plum", "fence", "lamb", "wool");
    private static final int DRAWS = 48;
    private static final int K = 4;

    @TempDir
    Path tmp;

    private static String sentence(List<String> words, Random rnd, int length) {
        List<String> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            out.add(words.get(rnd.nextInt(words.size())));
        }
        return String.join(" ", out) + ".";
    }

    /** Mean next-token loss (minus the mean log-probability) over the windows. */
    private static double loss(DjlLanguageModel m, List<String> windows) {
        double sum = 0;
        for (TokenScores s : m.score(windows)) {
            sum -= s.meanLogProb();
        }
        return sum / windows.size();
    }

    private static double lossAfterStepB(Path ckpt, TrainerConfig tc, String candidate, List<String> heldOut)
            throws Exception {
        try (DjlLanguageModel m = DjlLanguageModel.builder(ckpt).optTrainer(tc).build()) {
            m.train(List.of(TrainingText.of(candidate, Provenance.of("test"))));
            return loss(m, heldOut);
        }
    }

    @Test
    void bestOfKByTheRewardLowersTheLossOnOtherWindowsOfTheDomainMoreThanRandomOfK() throws Exception {
        Path ckpt = TinyModels.checkpoint(tmp, TinyModels.config(64, 32, 1, 2), 5);
        // the Student's real Step B: AdamW with warm-up, weight decay and clipping, one pass over the chosen text
        TrainerConfig tc = new TrainerConfig(3e-3, 0, 0.01, 8, 2, 1.0, 11L);
        Random rnd = new Random(2026);
        double best = 0;
        double random = 0;
        int bestWins = 0;
        int differ = 0;
        int seaChosen = 0;
        try (DjlLanguageModel student0 = DjlLanguageModel.builder(ckpt).optTrainer(tc).build()) {
            for (int d = 0; d < DRAWS; d++) {
                String hard = sentence(SEA, rnd, 12);
                List<String> candidates = new ArrayList<>(List.of(sentence(SEA, rnd, 12), sentence(SEA, rnd, 12),
                        sentence(FARM, rnd, 12), sentence(FARM, rnd, 12)));
                Collections.shuffle(candidates, rnd);
                List<String> heldOut = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    heldOut.add(sentence(SEA, rnd, 12));
                }
                double[] reward = student0.gradientCosines(hard, candidates);
                int chosen = 0;
                for (int c = 1; c < K; c++) {
                    if (reward[c] > reward[chosen]) {
                        chosen = c; // ties to the lower candidate, as Step D keeps them
                    }
                }
                int randomPick = rnd.nextInt(K);
                seaChosen += SEA.contains(candidates.get(chosen).split(" ")[0].replace(".", "")) ? 1 : 0;
                double b = lossAfterStepB(ckpt, tc, candidates.get(chosen), heldOut);
                double r = chosen == randomPick ? b : lossAfterStepB(ckpt, tc, candidates.get(randomPick), heldOut);
                best += b / DRAWS;
                random += r / DRAWS;
                if (chosen != randomPick) {
                    differ++;
                    bestWins += b < r ? 1 : 0;
                }
            }
        }
        String summary = String.format("held-out loss after Step B: best-of-%d %.4f, random-of-%d %.4f; best wins %d"
                + " of %d draws where the choices differ; the reward chose the hard window's domain in %d of %d",
                K, best, K, random, bestWins, differ, seaChosen, DRAWS);
        System.out.println(summary);
        assertTrue(best < random, summary);
        // a majority of the draws that differ (where random-of-k takes the other sailing candidate, either may win)
        assertTrue(bestWins * 2 > differ, summary);
        assertTrue(seaChosen * 4 >= DRAWS * 3, summary);
    }
}
