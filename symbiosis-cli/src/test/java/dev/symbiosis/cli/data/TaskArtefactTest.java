package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed tasks and bundle: artefact-free distractors, disjoint splits, uncontaminated contexts.
 *
 * <p>Bound: with n = 300 items and chance p = 0.25 the binomial standard deviation is sqrt(p(1-p)/n) = 0.025
 * (0.031 at the minimum of 200 items). The test allows 0.25 +- 0.10, i.e. 4 sd at n = 300 (3.3 sd at n = 200):
 * a scorer without signal crosses it with probability about 6e-5 per task and scorer (about 1e-3 over all 18
 * task/scorer pairs), while a real artefact (a scorer right 35 % of the time or more) fails it.
 */
class TaskArtefactTest {
  private static final String BUNDLE = "/dev/symbiosis/assets/bundle/";
  private static final String TASKS = "/dev/symbiosis/assets/tasks/";
  private static final double BOUND = 0.10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, List<JsonNode>> splits = new HashMap<>();
  private static final Map<String, List<JsonNode>> tasks = new HashMap<>();
  private static Unigrams seedUnigrams;

  private static List<JsonNode> lines(InputStream in, String name) throws IOException {
    assertTrue(in != null, "missing resource " + name);
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  @BeforeAll
  static void load() throws IOException {
    for (String split : PrepareDataCommand.SPLITS) {
      InputStream raw = TaskArtefactTest.class.getResourceAsStream(BUNDLE + split + ".jsonl.gz");
      assertTrue(raw != null, "missing bundle split " + split);
      splits.put(split, lines(new GZIPInputStream(raw), split));
    }
    for (String task : TaskBuilder.TASKS) {
      tasks.put(task, lines(TaskArtefactTest.class.getResourceAsStream(TASKS + task + ".jsonl"), task));
    }
    seedUnigrams = new Unigrams();
    splits.get("seed").forEach(d -> seedUnigrams.add(d.get("text").asText()));
  }

  private static double accuracy(List<JsonNode> items, ToDoubleFunction<String> score) {
    int right = 0;
    for (JsonNode it : items) {
      JsonNode ch = it.get("choices");
      int best = 0;
      for (int i = 1; i < ch.size(); i++) {
        if (score.applyAsDouble(ch.get(i).asText()) > score.applyAsDouble(ch.get(best).asText())) {
          best = i;
        }
      }
      right += best == it.get("answer").asInt() ? 1 : 0;
    }
    return right / (double) items.size();
  }

  @Test
  void everyTaskIsWellFormed() {
    for (String task : TaskBuilder.TASKS) {
      List<JsonNode> items = tasks.get(task);
      assertTrue(items.size() >= 200 && items.size() <= 400, task + " has " + items.size() + " items");
      Set<String> ids = new HashSet<>();
      for (JsonNode it : items) {
        assertTrue(ids.add(it.get("id").asText()));
        assertEquals(task, it.get("task").asText());
        assertEquals(4, it.get("choices").size(), it.toString());
        Set<String> distinct = new HashSet<>();
        it.get("choices").forEach(c -> {
          assertFalse(c.asText().isBlank() || c.asText().startsWith(" "), it.toString());
          distinct.add(c.asText().toLowerCase());
        });
        assertEquals(4, distinct.size(), "duplicate choices: " + it);
        int a = it.get("answer").asInt();
        assertTrue(a >= 0 && a < 4);
        assertFalse(it.get("context").asText().isBlank());
        assertFalse(it.get("source").asText().isBlank());
      }
    }
  }

  @Test
  void lengthAndUnigramScorersStayNearChance() {
    List<String> failures = new ArrayList<>();
    for (String task : TaskBuilder.TASKS) {
      List<JsonNode> items = tasks.get(task);
      double longest = accuracy(items, String::length);
      double shortest = accuracy(items, s -> -s.length());
      double frequent = accuracy(items, seedUnigrams::score);
      System.out.printf("%-14s n=%d longest=%.3f shortest=%.3f unigram=%.3f%n", task, items.size(), longest,
          shortest, frequent);
      for (double acc : new double[] {longest, shortest, frequent}) {
        if (Math.abs(acc - 0.25) > BOUND) {
          failures.add(String.format("%s: %.3f", task, acc));
        }
      }
    }
    assertTrue(failures.isEmpty(), "artefact scorers beyond chance +- " + BOUND + ": " + failures);
  }

  @Test
  void splitsNeverOverlap() {
    Map<String, String> idSplit = new HashMap<>();
    Map<String, String> textSplit = new HashMap<>();
    for (String split : PrepareDataCommand.SPLITS) {
      assertFalse(splits.get(split).isEmpty(), split);
      for (JsonNode d : splits.get(split)) {
        assertEquals(split, d.get("split").asText());
        String prevId = idSplit.put(d.get("id").asText(), split);
        assertTrue(prevId == null, d.get("id").asText() + " in " + prevId + " and " + split);
        String prevText = textSplit.put(DistractorPicker.norm(d.get("text").asText()), split);
        assertTrue(prevText == null, "identical text in " + prevText + " and " + split + ": " + d.get("id"));
      }
    }
  }

  @Test
  void everySplitHoldsEverySource() {
    Set<String> all = new HashSet<>();
    splits.values().forEach(l -> l.forEach(d -> all.add(d.get("source").asText())));
    for (String split : PrepareDataCommand.SPLITS) {
      Set<String> here = new HashSet<>();
      splits.get(split).forEach(d -> here.add(d.get("source").asText()));
      assertEquals(all, here, split);
    }
  }

  @Test
  void taskContextsDoNotOccurInTrainingSplits() {
    List<String> training = new ArrayList<>();
    // validation documents are never trained on, but the tasks were built to avoid them as well
    for (String split : List.of("seed", "validation", "pool", "stream")) {
      splits.get(split).forEach(d -> training.add(d.get("text").asText()));
    }
    OverlapIndex index = new OverlapIndex(training);
    List<String> leaks = new ArrayList<>();
    for (String task : TaskBuilder.TASKS) {
      for (JsonNode it : tasks.get(task)) {
        String context = it.get("context").asText();
        String full = context + " " + it.get("choices").get(it.get("answer").asInt()).asText();
        if (index.occurs(context) || index.occurs(full)) {
          leaks.add(it.get("id").asText());
        }
      }
    }
    assertTrue(leaks.isEmpty(), "contexts found in seed/pool/stream: " + leaks);
  }
}
