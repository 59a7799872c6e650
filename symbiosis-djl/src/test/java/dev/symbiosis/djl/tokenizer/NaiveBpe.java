package dev.symbiosis.djl.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A slow reference trainer for tests: recounts every pair before each merge. Same tie-breaking and id layout as
 * {@link BpeTrainer}, so the merges must be identical.
 */
final class NaiveBpe {

    private NaiveBpe() {}

    /** The merges ("left right") learned from {@code texts} (no special tokens in them). */
    static List<String> merges(List<String> texts, int vocabSize, int specials, int minFrequency) {
        Map<String, Long> wordCounts = new TreeMap<>();
        for (String t : texts) {
            ByteLevel.preTokenize(t, w -> wordCounts.merge(w, 1L, Long::sum));
        }
        List<List<Integer>> words = new ArrayList<>();
        List<Long> freqs = new ArrayList<>();
        for (Map.Entry<String, Long> e : wordCounts.entrySet()) {
            List<Integer> syms = new ArrayList<>();
            for (byte b : e.getKey().getBytes(StandardCharsets.UTF_8)) {
                syms.add(ByteLevel.byteToSymbol(b));
            }
            words.add(syms);
            freqs.add(e.getValue());
        }
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int s = 0; s < 256; s++) {
            String t = String.valueOf(ByteLevel.byteToChar(ByteLevel.symbolToByte(s)));
            tokens.add(t);
            ids.put(t, s);
        }
        List<String> merges = new ArrayList<>();
        while (tokens.size() < vocabSize - specials) {
            Map<List<Integer>, Long> counts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<Integer> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    counts.merge(List.of(s.get(i), s.get(i + 1)), freqs.get(w), Long::sum);
                }
            }
            List<Integer> best = null;
            long bestCount = 0;
            for (Map.Entry<List<Integer>, Long> e : counts.entrySet()) {
                List<Integer> p = e.getKey();
                long c = e.getValue();
                if (best == null || c > bestCount
                        || (c == bestCount && (p.get(0) < best.get(0)
                                || (p.get(0).equals(best.get(0)) && p.get(1) < best.get(1))))) {
                    best = p;
                    bestCount = c;
                }
            }
            if (best == null || bestCount < minFrequency) {
                break;
            }
            int a = best.get(0);
            int b = best.get(1);
            String merged = tokens.get(a) + tokens.get(b);
            Integer c = ids.get(merged);
            if (c == null) {
                c = tokens.size();
                tokens.add(merged);
                ids.put(merged, c);
            }
            merges.add(tokens.get(a) + " " + tokens.get(b));
            for (List<Integer> s : words) {
                List<Integer> out = new ArrayList<>(s.size());
                for (int i = 0; i < s.size(); ) {
                    if (i + 1 < s.size() && s.get(i) == a && s.get(i + 1) == b) {
                        out.add(c);
                        i += 2;
                    } else {
                        out.add(s.get(i++));
                    }
                }
                s.clear();
                s.addAll(out);
            }
        }
        return merges;
    }
}
