package dev.symbiosis.cli.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Picks distractors that give no length or frequency artefact. Among candidates of the right kind it draws, for
 * each item, how many distractors are shorter than the answer (0-3, uniform) and how many have a lower unigram
 * score (0-3, uniform), then takes the distractors nearest to the answer in (log length, unigram score) within
 * those quadrants. The answer's rank by length and by frequency is thus uniform over the four positions, so a
 * scorer that looks only at length or only at word frequency is right one time in four, while every distractor
 * stays close to the answer in length and frequency.
 */
public final class DistractorPicker {
  private final Unigrams unigrams;

  public DistractorPicker(Unigrams unigrams) {
    this.unigrams = unigrams;
  }

  /** A multiple-choice item's choices and the 0-based index of the answer. */
  public record Choices(List<String> choices, int answer) {}

  /**
   * Three distractors for {@code answer} from {@code pool} (candidates equal to the answer or to one of
   * {@code excluded}, case-insensitively, are skipped) shuffled with the answer; null when the pool is too small.
   */
  public Choices choose(String answer, List<String> pool, Set<String> excluded, Random rng) {
    Set<String> banned = new HashSet<>();
    banned.add(norm(answer));
    for (String e : excluded) {
      banned.add(norm(e));
    }
    double aLen = Math.log(answer.length());
    double aFreq = unigrams.score(answer);
    double freqScale = 0.15 * Math.abs(aFreq) + 1.5;
    List<Cand> cands = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String c : pool) {
      String n = norm(c);
      if (c.isBlank() || banned.contains(n) || !seen.add(n)) {
        continue;
      }
      double len = Math.log(c.length());
      double freq = unigrams.score(c);
      if (Math.abs(len - aLen) > 1.1) {
        continue; // far outside the length class (a third to three times); nearer ones are preferred below
      }
      boolean shorter = len < aLen || (len == aLen && rng.nextBoolean());
      boolean lower = freq < aFreq || (freq == aFreq && rng.nextBoolean());
      double d = Math.hypot((len - aLen) / 0.25, (freq - aFreq) / freqScale);
      cands.add(new Cand(c, shorter, lower, d));
    }
    if (cands.size() < 3) {
      return null;
    }
    cands.sort(Comparator.comparingDouble(Cand::distance).thenComparing(Cand::text));
    List<String> picked = null;
    for (int attempt = 0; attempt < 40 && picked == null; attempt++) {
      int kShort = rng.nextInt(4);
      int kLow = rng.nextInt(4);
      int aMin = Math.max(0, kShort + kLow - 3);
      int aMax = Math.min(kShort, kLow);
      int a = aMin + rng.nextInt(aMax - aMin + 1);
      int[] need = {a, kShort - a, kLow - a, 3 - kShort - kLow + a}; // SL, SH, LL, LH
      List<String> got = new ArrayList<>();
      boolean ok = true;
      for (int q = 0; q < 4 && ok; q++) {
        if (need[q] == 0) {
          continue;
        }
        boolean wantShort = q < 2;
        boolean wantLow = q == 0 || q == 2;
        List<Cand> quadrant = new ArrayList<>();
        for (Cand c : cands) {
          if (c.shorter == wantShort && c.lower == wantLow) {
            quadrant.add(c);
            if (quadrant.size() >= need[q] + 3) {
              break;
            }
          }
        }
        if (quadrant.size() < need[q]) {
          ok = false;
          break;
        }
        for (int i = 0; i < need[q]; i++) {
          got.add(quadrant.remove(rng.nextInt(quadrant.size())).text);
        }
      }
      if (ok) {
        picked = got;
      }
    }
    if (picked == null) {
      return null;
    }
    List<String> choices = new ArrayList<>(picked);
    int pos = rng.nextInt(4);
    choices.add(pos, answer);
    return new Choices(List.copyOf(choices), pos);
  }

  static String norm(String s) {
    return TextCleaner.collapse(s).toLowerCase(Locale.ROOT);
  }

  private record Cand(String text, boolean shorter, boolean lower, double distance) {}
}
