package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistractorPickerTest {
  @Test
  void answerRankByLengthAndFrequencyIsUniform() {
    Random r = new Random(11);
    Unigrams u = new Unigrams();
    List<String> vocab = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder w = new StringBuilder();
      int len = 3 + r.nextInt(9);
      for (int j = 0; j < len; j++) {
        w.append((char) ('a' + r.nextInt(26)));
      }
      vocab.add(w.toString());
      int count = (int) Math.exp(r.nextDouble() * 6);
      for (int c = 0; c < count; c++) {
        u.add(w.toString());
      }
    }
    DistractorPicker picker = new DistractorPicker(u);
    int[] longest = new int[1];
    int[] frequent = new int[1];
    int n = 2000;
    for (int i = 0; i < n; i++) {
      String answer = vocab.get(r.nextInt(vocab.size()));
      DistractorPicker.Choices c = picker.choose(answer, vocab, Set.of(), r);
      assertEquals(4, c.choices().size());
      assertEquals(answer, c.choices().get(c.answer()));
      assertEquals(4, c.choices().stream().distinct().count());
      int bestLen = 0;
      int bestFreq = 0;
      for (int k = 1; k < 4; k++) {
        if (c.choices().get(k).length() > c.choices().get(bestLen).length()) {
          bestLen = k;
        }
        if (u.score(c.choices().get(k)) > u.score(c.choices().get(bestFreq))) {
          bestFreq = k;
        }
      }
      longest[0] += bestLen == c.answer() ? 1 : 0;
      frequent[0] += bestFreq == c.answer() ? 1 : 0;
    }
    // binomial sd at n=2000 is 0.0097; allow 4 sd
    assertEquals(0.25, longest[0] / (double) n, 0.04);
    assertEquals(0.25, frequent[0] / (double) n, 0.04);
  }

  @Test
  void excludedAlternativesNeverAppearAndTinyPoolsGiveNull() {
    Unigrams u = new Unigrams();
    DistractorPicker p = new DistractorPicker(u);
    Random r = new Random(1);
    DistractorPicker.Choices c = p.choose("colony", List.of("hill", "Colony", "swarm", "host", "pride", "herd"),
        Set.of("hill"), r);
    assertFalse(c.choices().contains("hill"));
    assertFalse(c.choices().contains("Colony"));
    assertTrue(p.choose("x", List.of("a", "b"), Set.of(), r) == null);
  }
}
