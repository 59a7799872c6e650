package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.eval.AnswerExtractor;
import dev.symbiosis.core.eval.ExactMatch;
import dev.symbiosis.core.eval.GenerativeItem;
import dev.symbiosis.core.eval.GenerativeTaskReader;
import dev.symbiosis.experiment.HeldOutEvaluator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The quiz answer spellings and the committed generative tasks. */
class GenerativeTasksTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Test
  void quizSpellingsExpandAlternativesGroupsAndOptionalParts() {
    assertEquals(List.of("Vienna", "Wien"), QuizFiles.spellings("Vienna|Wien", 16));
    assertEquals(List.of("Andorra la Vella", "Andorra la Vieja"), QuizFiles.spellings("Andorra la V[ell|iej]a", 16));
    // canonical first (optional parts dropped), then absent/present in field order
    assertEquals(List.of("Monroe", "J Monroe", "James Monroe"), QuizFiles.spellings("{J{ames} }Monroe", 16));
    assertEquals(List.of("Congo", "DR Congo", "Democratic Republic of the Congo"),
        QuizFiles.spellings("{DR |Democratic Republic of the }Congo", 16));
    assertEquals(List.of("Henry I", "Henry 1", "Hen I", "Hen 1"), QuizFiles.spellings("Hen[ry|] [I|1]", 16));
    assertEquals(2, QuizFiles.spellings("Hen[ry|] [I|1]", 2).size());
    // an escaped separator is literal
    assertEquals(List.of("a|b"), QuizFiles.spellings("a\\|b", 16));
  }

  @Test
  void committedGenerativeTasksAreReadableCheckableAndHeldOut() throws IOException {
    List<GenerativeItem> items = HeldOutEvaluator.embeddedGenerativeTasks(0);
    Set<String> tasks = new HashSet<>();
    items.forEach(it -> tasks.add(it.task()));
    assertEquals(Set.copyOf(GenerativeTaskBuilder.TASKS), tasks);
    assertTrue(items.size() >= 2 * 80, "items: " + items.size());
    List<String> training = new ArrayList<>();
    for (String split : List.of("seed", "validation", "pool", "stream")) {
      InputStream raw = getClass().getResourceAsStream("/dev/symbiosis/assets/bundle/" + split + ".jsonl.gz");
      try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
          StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          training.add(JSON.readTree(l).get("text").asText());
        }
      }
    }
    OverlapIndex index = new OverlapIndex(training);
    ExactMatch em = ExactMatch.create();
    List<String> leaks = new ArrayList<>();
    for (GenerativeItem it : items) {
      if (index.occurs(it.prompt())) {
        leaks.add(it.id());
      }
      // every reference, as a completion in the prompt's style, is accepted; a wrong answer is not
      for (String ref : it.references()) {
        assertTrue(em.check(it, " " + ref + "\nQuestion: next").correct(), it.id() + " " + ref);
      }
      assertFalse(em.check(it, " zzz 99999\n").correct(), it.id());
      AnswerExtractor.named(it.metadata().get(GenerativeItem.EXTRACT));
    }
    assertTrue(leaks.isEmpty(), "prompts found in seed/pool/stream: " + leaks);
    // the first items of each file are what the experiment evaluates
    assertEquals(2 * HeldOutEvaluator.GENERATIVE_ITEMS_PER_TASK,
        HeldOutEvaluator.embeddedGenerativeTasks(HeldOutEvaluator.GENERATIVE_ITEMS_PER_TASK).size());
    List<GenerativeItem> quiz = GenerativeTaskReader.read(getClass().getResourceAsStream(
        "/dev/symbiosis/assets/tasks/generative/quiz-gen.jsonl"), java.nio.file.Path.of("quiz-gen.jsonl"),
        dev.symbiosis.core.eval.EvalSuiteReader.Options.defaults());
    assertEquals(items.stream().filter(it -> it.task().equals("quiz-gen")).toList(), quiz);
  }
}
