package dev.symbiosis.cli.data;

import dev.symbiosis.core.eval.GenerativeItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds the held-out generative (generate-and-check) tasks: {@code arithmetic-gen}, templated word problems whose
 * answer is a number (the first number of the completion is checked), and {@code quiz-gen}, short-answer bsdgames
 * quiz questions whose every allowed spelling ({@code |} alternatives, {@code [a|b]} groups, {@code {optional}}
 * parts) is a reference answer (the first line of the completion is checked). As for the multiple-choice tasks,
 * items whose prompt occurs in (or mostly overlaps) the training splits are skipped; the items are shuffled with a
 * fixed seed, so the first items of a file are a fair sample of it.
 */
public final class GenerativeTaskBuilder {
  public static final List<String> TASKS = List.of("arithmetic-gen", "quiz-gen");
  /** At most this many spellings of one quiz answer become references. */
  static final int MAX_REFERENCES = 16;

  /** Quiz questions with short answers (capitals, symbols, names, words), by file and fields. */
  static final List<TaskBuilder.QuizSpec> QUIZ_SPECS = List.of(
      new TaskBuilder.QuizSpec("africa", 0, 1, "What is the capital of %s?"),
      new TaskBuilder.QuizSpec("america", 0, 1, "What is the capital of %s?"),
      new TaskBuilder.QuizSpec("asia", 0, 1, "What is the capital of %s?"),
      new TaskBuilder.QuizSpec("europe", 0, 1, "What is the capital of %s?"),
      new TaskBuilder.QuizSpec("province", 0, 1, "What is the capital of the Canadian province of %s?"),
      new TaskBuilder.QuizSpec("state", 0, 1, "What is the capital of the US state of %s?"),
      new TaskBuilder.QuizSpec("collectives", 0, 1, "What is the collective noun for a group of %s?"),
      new TaskBuilder.QuizSpec("sexes", 0, 1, "What is the female counterpart of %s?"),
      new TaskBuilder.QuizSpec("babies", 1, 0, "What is the young of a %s called?"),
      new TaskBuilder.QuizSpec("elements", 0, 3, "Which chemical element has the symbol %s?"),
      new TaskBuilder.QuizSpec("pres", 0, 3, "Which US president succeeded %s?"),
      new TaskBuilder.QuizSpec("sov", 0, 2, "Which English sovereign succeeded %s?"));

  private final OverlapIndex training;
  private final long seed;
  private final int target;

  /**
   * @param training 8-gram index of seed + pool + stream
   * @param target items per task (fewer when the material does not allow it)
   */
  public GenerativeTaskBuilder(OverlapIndex training, long seed, int target) {
    this.training = training;
    this.seed = seed;
    this.target = target;
  }

  private Random rng(String task) {
    return new Random(seed ^ BundleBuilder.stableHash(task));
  }

  private boolean clean(String prompt) {
    return !training.occurs(prompt) && training.overlap(prompt) < 0.5;
  }

  private static String id(String task, int i) {
    return String.format(Locale.ROOT, "%s-%04d", task, i + 1);
  }

  /** Templated word problems (the eight templates of the multiple-choice task), numeric answers. */
  public List<GenerativeItem> arithmetic() {
    String task = "arithmetic-gen";
    Random rng = rng(task);
    List<GenerativeItem> out = new ArrayList<>();
    Set<String> prompts = new HashSet<>();
    int attempts = 0;
    while (out.size() < target && attempts++ < target * 20) {
      String name = TaskBuilder.NAMES[rng.nextInt(TaskBuilder.NAMES.length)];
      String things = TaskBuilder.THINGS[rng.nextInt(TaskBuilder.THINGS.length)];
      TaskBuilder.Problem p = TaskBuilder.problem(rng, attempts, name, things);
      String prompt = p.text() + " The answer is";
      if (p.answer() <= 0 || !prompts.add(prompt) || !clean(prompt)) {
        continue;
      }
      out.add(new GenerativeItem(id(task, out.size()), task, prompt, List.of(Long.toString(p.answer())), "template",
          Map.of(GenerativeItem.EXTRACT, "first_number")));
    }
    return out;
  }

  /** Short-answer quiz questions; every spelling of the answer is a reference. */
  public List<GenerativeItem> quiz(Map<String, List<QuizFiles.Record>> files) {
    String task = "quiz-gen";
    Random rng = rng(task);
    List<String[]> all = new ArrayList<>(); // prompt, source, spellings joined by \n
    Set<String> asked = new HashSet<>();
    for (TaskBuilder.QuizSpec spec : QUIZ_SPECS) {
      List<QuizFiles.Record> recs = files.get(spec.file());
      if (recs == null) {
        continue;
      }
      for (QuizFiles.Record r : recs) {
        if (r.fields().size() <= Math.max(spec.question(), spec.answer())) {
          continue;
        }
        String q = r.fields().get(spec.question());
        String a = r.fields().get(spec.answer());
        if (q.length() < 2 || a.isEmpty() || a.equalsIgnoreCase("gok") || q.equalsIgnoreCase(a)) {
          continue;
        }
        String prompt = "Question: " + String.format(Locale.ROOT, spec.template(), q) + "\nAnswer:";
        // a question asked twice (files repeat some with the alternatives in another order) is asked once
        if (!asked.add(DistractorPicker.norm(prompt)) || !clean(prompt)) {
          continue;
        }
        List<String> spellings = QuizFiles.spellings(r.raw().get(spec.answer()), MAX_REFERENCES);
        all.add(new String[] {prompt, "bsdgames-quiz/" + spec.file(), String.join("\n", spellings)});
      }
    }
    Collections.shuffle(all, rng);
    List<GenerativeItem> out = new ArrayList<>();
    for (String[] it : all.subList(0, Math.min(target, all.size()))) {
      out.add(new GenerativeItem(id(task, out.size()), task, it[0], List.of(it[2].split("\n")), it[1],
          Map.of(GenerativeItem.EXTRACT, "first_line")));
    }
    return out;
  }

  /** Every generative task, in {@link #TASKS} order. */
  public Map<String, List<GenerativeItem>> all(Map<String, List<QuizFiles.Record>> quizFiles) {
    Map<String, List<GenerativeItem>> m = new LinkedHashMap<>();
    m.put("arithmetic-gen", arithmetic());
    m.put("quiz-gen", quiz(quizFiles));
    return m;
  }
}
