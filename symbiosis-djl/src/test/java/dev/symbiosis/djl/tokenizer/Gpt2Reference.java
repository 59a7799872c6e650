package dev.symbiosis.djl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference GPT-2 encoder's algorithm ({@code encoder.py}'s {@code bpe}: repeatedly merge the lowest-ranked
 * adjacent pair) over a tokenizer.json's vocab and merges, written independently of Hugging Face tokenizers so
 * that the tests can check the native ids against it.
 */
final class Gpt2Reference {

    private final Map<String, Integer> vocab = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();

    Gpt2Reference(Path tokenizerJson) throws IOException {
        JsonNode model = new ObjectMapper().readTree(tokenizerJson.toFile()).get("model");
        model.get("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        JsonNode merges = model.get("merges");
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            String key = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
            ranks.put(key, i);
        }
    }

    int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        ByteLevel.preTokenize(text, piece -> {
            for (String token : bpe(ByteLevel.encode(piece))) {
                ids.add(vocab.get(token));
            }
        });
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<String> bpe(String token) {
        List<String> word = new ArrayList<>();
        for (char c : token.toCharArray()) {
            word.add(String.valueOf(c));
        }
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>();
            for (int i = 0; i < word.size(); ) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i++));
                }
            }
            word = merged;
        }
        return word;
    }
}
