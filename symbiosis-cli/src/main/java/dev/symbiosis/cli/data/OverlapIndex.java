package dev.symbiosis.cli.data;

import java.util.Arrays;
import java.util.List;

/**
 * Which word 8-grams occur in a set of training texts (lower-cased word tokens, as {@link Unigrams#words}); used
 * to keep evaluation contexts out of the training splits. Texts of fewer than 8 words are looked up as a whole
 * word sequence.
 */
public final class OverlapIndex {
  public static final int N = 8;
  private final long[] hashes;
  private final String joined;

  public OverlapIndex(Iterable<String> texts) {
    long[] buf = new long[1 << 16];
    int size = 0;
    StringBuilder all = new StringBuilder(" ");
    for (String t : texts) {
      List<String> w = Unigrams.words(t);
      for (String s : w) {
        all.append(s).append(' ');
      }
      all.append("| ");
      for (int i = 0; i + N <= w.size(); i++) {
        if (size == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = hash(w, i, N);
      }
    }
    hashes = Arrays.copyOf(buf, size);
    Arrays.sort(hashes);
    joined = all.toString();
  }

  private static long hash(List<String> w, int from, int n) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < from + n; i++) {
      String s = w.get(i);
      for (int j = 0; j < s.length(); j++) {
        h = (h ^ s.charAt(j)) * 0x100000001b3L;
      }
      h = (h ^ ' ') * 0x100000001b3L;
    }
    return h;
  }

  /** Share of the text's 8-grams found in the training texts (0 for texts shorter than 8 words). */
  public double overlap(String text) {
    List<String> w = Unigrams.words(text);
    if (w.size() < N) {
      return 0;
    }
    int hit = 0;
    int total = 0;
    for (int i = 0; i + N <= w.size(); i++) {
      total++;
      if (Arrays.binarySearch(hashes, hash(w, i, N)) >= 0) {
        hit++;
      }
    }
    return (double) hit / total;
  }

  /** Whether the text (as a word sequence) occurs in the training texts. */
  public boolean occurs(String text) {
    List<String> w = Unigrams.words(text);
    if (w.isEmpty()) {
      return false;
    }
    if (w.size() >= N) {
      return overlap(text) == 1.0;
    }
    return joined.contains(" " + String.join(" ", w) + " ");
  }
}
