package dev.symbiosis.cli.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unigram counts over lower-cased word tokens ({@code [letters digits ']+}) with add-one smoothing. Used to pick
 * distractors whose frequency matches the answer's, and by the artefact test's frequency-only scorer.
 */
public final class Unigrams {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}\\p{N}]+)*");
  private final Map<String, int[]> counts = new HashMap<>();
  private long total;

  /** Lower-cased word tokens of a text. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group().toLowerCase(Locale.ROOT).replace('\u2019', '\''));
    }
    return out;
  }

  public void add(String text) {
    for (String w : words(text)) {
      counts.computeIfAbsent(w, k -> new int[1])[0]++;
      total++;
    }
  }

  public int count(String word) {
    int[] c = counts.get(word.toLowerCase(Locale.ROOT));
    return c == null ? 0 : c[0];
  }

  public long total() {
    return total;
  }

  /** Smoothed natural-log probability of one (lower-cased) word. */
  public double logProb(String word) {
    return Math.log((count(word) + 1.0) / (total + counts.size() + 1.0));
  }

  /** Sum of the smoothed log probabilities of the words of a choice (the unigram-frequency scorer). */
  public double score(String choice) {
    double s = 0;
    List<String> ws = words(choice);
    if (ws.isEmpty()) {
      return logProb("");
    }
    for (String w : ws) {
      s += logProb(w);
    }
    return s;
  }
}
