package dev.symbiosis.cli.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Turns the works of each source into documents, removes exact duplicates, samples each source down to its
 * character budget with a fixed seed and deals the sampled documents to the splits so that every split holds
 * every source in the same proportion (by characters).
 */
public final class BundleBuilder {
  /** Splits in the order they are dealt (smallest held-out first) with their share of each source's characters. */
  public static final Map<String, Double> SPLIT_SHARES = shares();
  /** The order splits are written and listed in. */
  public static final List<String> SPLITS = List.of("seed", "pool", "stream", "fidelity", "eval");

  private static Map<String, Double> shares() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("eval", 0.045);
    m.put("fidelity", 0.087);
    m.put("pool", 0.087);
    m.put("stream", 0.174);
    m.put("seed", 0.607);
    return Collections.unmodifiableMap(m);
  }

  /** A source: its name, licence, character budget and the joiner between its paragraphs. */
  public record Source(String name, String licence, long budgetChars, String joiner, List<List<String>> works) {}

  private BundleBuilder() {}

  public static List<BundleDocument> build(List<Source> sources, long seed) {
    List<BundleDocument> all = new ArrayList<>();
    Set<String> seenTexts = new HashSet<>();
    for (Source src : sources) {
      List<String[]> docs = new ArrayList<>(); // {id, text}
      int n = 0;
      for (List<String> work : src.works()) {
        for (String text : DocumentChunker.chunk(work, src.joiner())) {
          String id = src.name() + "-" + String.format("%05d", n++);
          if (seenTexts.add(DistractorPicker.norm(text))) {
            docs.add(new String[] {id, text});
          }
        }
      }
      Random rng = new Random(seed ^ stableHash(src.name()));
      Collections.shuffle(docs, rng);
      long chars = 0;
      List<String[]> chosen = new ArrayList<>();
      for (String[] d : docs) {
        if (chars >= src.budgetChars()) {
          break;
        }
        chosen.add(d);
        chars += d[1].length();
      }
      long before = 0;
      for (String[] d : chosen) {
        double mid = (before + d[1].length() / 2.0) / chars;
        before += d[1].length();
        String split = "seed";
        double bound = 0;
        for (Map.Entry<String, Double> e : SPLIT_SHARES.entrySet()) {
          bound += e.getValue();
          if (mid < bound) {
            split = e.getKey();
            break;
          }
        }
        all.add(new BundleDocument(d[0], d[1], src.name(), src.licence(), split));
      }
    }
    Map<String, Integer> sourceOrder = new LinkedHashMap<>();
    for (Source s : sources) {
      sourceOrder.put(s.name(), sourceOrder.size());
    }
    all.sort(Comparator.comparing((BundleDocument d) -> SPLITS.indexOf(d.split()))
        .thenComparing(d -> sourceOrder.get(d.source())).thenComparing(BundleDocument::id));
    return all;
  }

  /** A hash that does not depend on the JVM (String.hashCode is specified, but spell it out). */
  static long stableHash(String s) {
    long h = 1125899906842597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }
}
