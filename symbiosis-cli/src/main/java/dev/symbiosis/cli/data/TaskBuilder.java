package dev.symbiosis.cli.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the held-out multiple-choice tasks from the {@code eval} split, WordNet definitions, Factbook facts,
 * bsdgames quiz files and templated arithmetic. Every item's distractors come from {@link DistractorPicker}, and
 * items whose context occurs in (or mostly overlaps) the training splits are skipped.
 */
public final class TaskBuilder {
  public static final List<String> TASKS =
      List.of("next-sentence", "cloze", "definition", "factbook", "quiz", "arithmetic");
  /** Sources whose documents are lists of unrelated sentences: no next-sentence or cloze items from them. */
  private static final Set<String> NO_PROSE_TASKS = Set.of("wordnet");
  private static final Set<String> STOP = Set.of("the", "and", "but", "for", "not", "you", "him", "her", "them",
      "his", "its", "our", "she", "they", "this", "that", "was", "were", "are", "all", "too", "now", "then",
      "one", "any", "who", "out", "off", "yet", "own", "also", "very", "much", "more", "there", "here", "well",
      "me", "us", "it", "so", "do", "done", "is", "be", "been", "have", "had", "has", "up", "on", "in", "of",
      "to", "at", "by", "as", "an", "or", "no", "my", "we", "he", "i", "a", "what", "which", "whom", "these",
      "those", "again", "other", "others", "such", "same", "said", "say", "says");
  private static final Pattern LAST_WORD =
      Pattern.compile("^(.*\\S)\\s+([A-Za-z][a-z]+|[a-z]+)([.!?][\"'\u201d\u2019)]*)$", Pattern.DOTALL);
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+");
  /** Items per held-out document for next-sentence and cloze, and their minimal distance in sentences. */
  private static final int PER_DOCUMENT = 2;
  private static final int MIN_GAP = 6;

  private final Unigrams unigrams;
  private final OverlapIndex training;
  private final DistractorPicker picker;
  private final long seed;
  private final int target;
  private final int minWordCount;

  /**
   * @param unigrams counts over the seed split
   * @param training 8-gram index of seed + pool + stream
   * @param target items per task (fewer when the material does not allow it)
   * @param minWordCount how often a definition answer must occur in the seed split
   */
  public TaskBuilder(Unigrams unigrams, OverlapIndex training, long seed, int target, int minWordCount) {
    this.unigrams = unigrams;
    this.training = training;
    this.picker = new DistractorPicker(unigrams);
    this.seed = seed;
    this.target = target;
    this.minWordCount = minWordCount;
  }

  private Random rng(String task) {
    return new Random(seed ^ BundleBuilder.stableHash(task));
  }

  private static List<TaskItem> numbered(String task, List<TaskItem> items) {
    List<TaskItem> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      TaskItem t = items.get(i);
      out.add(new TaskItem(String.format(Locale.ROOT, "%s-%04d", task, i + 1), task, t.context(), t.choices(),
          t.answer(), t.source()));
    }
    return out;
  }

  private boolean clean(String context) {
    return !training.occurs(context) && training.overlap(context) < 0.5;
  }

  /** Takes items from per-source candidate lists in turn until {@code target} items. */
  private List<TaskItem> roundRobin(Map<String, List<IntFunction<TaskItem>>> bySource) {
    List<TaskItem> out = new ArrayList<>();
    Map<String, Integer> next = new TreeMap<>();
    bySource.keySet().forEach(k -> next.put(k, 0));
    boolean progress = true;
    while (out.size() < target && progress) {
      progress = false;
      for (Map.Entry<String, List<IntFunction<TaskItem>>> e : bySource.entrySet()) {
        List<IntFunction<TaskItem>> list = e.getValue();
        int i = next.get(e.getKey());
        while (i < list.size() && out.size() < target) {
          TaskItem item = list.get(i++).apply(out.size());
          if (item != null) {
            out.add(item);
            progress = true;
            break;
          }
        }
        next.put(e.getKey(), i);
        if (out.size() >= target) {
          break;
        }
      }
    }
    return out;
  }

  private static Map<String, List<BundleDocument>> bySource(List<BundleDocument> evalDocs) {
    Map<String, List<BundleDocument>> m = new TreeMap<>();
    for (BundleDocument d : evalDocs) {
      if (!NO_PROSE_TASKS.contains(d.source())) {
        m.computeIfAbsent(d.source(), k -> new ArrayList<>()).add(d);
      }
    }
    return m;
  }

  private static boolean usableSentence(String s) {
    return s.length() >= 30 && s.length() <= 250 && TextCleaner.wordCount(s) >= 5;
  }

  /** Up to {@link #PER_DOCUMENT} random positions at least {@link #MIN_GAP} sentences apart. */
  private static List<Integer> spread(List<Integer> positions, Random rng) {
    List<Integer> shuffled = new ArrayList<>(positions);
    Collections.shuffle(shuffled, rng);
    List<Integer> out = new ArrayList<>();
    for (int p : shuffled) {
      if (out.size() >= PER_DOCUMENT) {
        break;
      }
      if (out.stream().allMatch(q -> Math.abs(q - p) >= MIN_GAP)) {
        out.add(p);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- next-sentence

  public List<TaskItem> nextSentence(List<BundleDocument> evalDocs) {
    Random rng = rng("next-sentence");
    Map<String, List<IntFunction<TaskItem>>> candidates = new TreeMap<>();
    for (Map.Entry<String, List<BundleDocument>> e : bySource(evalDocs).entrySet()) {
      String source = e.getKey();
      List<BundleDocument> docs = e.getValue();
      List<List<String>> sentencesByDoc = new ArrayList<>();
      for (BundleDocument d : docs) {
        List<String> s = new ArrayList<>();
        for (String p : TextCleaner.paragraphs(d.text().replace("\n", "\n\n"))) {
          s.addAll(TextCleaner.sentences(p));
        }
        sentencesByDoc.add(s);
      }
      List<IntFunction<TaskItem>> list = new ArrayList<>();
      for (int di = 0; di < docs.size(); di++) {
        List<String> sents = sentencesByDoc.get(di);
        List<Integer> positions = new ArrayList<>();
        for (int i = 1; i < sents.size(); i++) {
          if (usableSentence(sents.get(i))) {
            positions.add(i);
          }
        }
        if (positions.isEmpty()) {
          continue;
        }
        for (int pos : spread(positions, rng)) {
        int k = 1 + rng.nextInt(3);
        int from = Math.max(0, pos - k);
        while (from > 0 && String.join(" ", sents.subList(from, pos)).length() < 80) {
          from--;
        }
        String context = String.join(" ", sents.subList(from, pos));
        if (context.length() < 40 || context.length() > 700) {
          continue;
        }
        String answer = sents.get(pos);
        final int docIndex = di;
        final long itemSeed = rng.nextLong();
        list.add(n -> {
          if (!clean(context) || !clean(context + " " + answer)) {
            return null;
          }
          List<String> pool = new ArrayList<>();
          Set<String> own = new HashSet<>(sentencesByDoc.get(docIndex));
          for (int o = 0; o < sentencesByDoc.size(); o++) {
            if (o != docIndex) {
              for (String s : sentencesByDoc.get(o)) {
                if (usableSentence(s) && !own.contains(s)) {
                  pool.add(s);
                }
              }
            }
          }
          DistractorPicker.Choices c = picker.choose(answer, pool, Set.of(), new Random(itemSeed));
          return c == null ? null : new TaskItem(null, "next-sentence", context, c.choices(), c.answer(), source);
        });
        }
      }
      Collections.shuffle(list, rng);
      candidates.put(source, list);
    }
    return numbered("next-sentence", roundRobin(candidates));
  }

  // ---------------------------------------------------------------- cloze

  /** A coarse part-of-speech-like class from capitalisation and suffix. */
  static String wordClass(String w) {
    if (Character.isUpperCase(w.charAt(0))) {
      return "proper";
    }
    String[][] suffixes = {{"ly", "adv"}, {"ing", "ing"}, {"ed", "ed"}, {"tion", "noun"}, {"sion", "noun"},
        {"ment", "noun"}, {"ness", "noun"}, {"ity", "noun"}, {"ance", "noun"}, {"ence", "noun"}, {"ful", "adj"},
        {"ous", "adj"}, {"ive", "adj"}, {"able", "adj"}, {"ible", "adj"}, {"al", "adj"}};
    for (String[] s : suffixes) {
      if (w.endsWith(s[0]) && w.length() > s[0].length() + 2) {
        return s[1];
      }
    }
    if (w.endsWith("s") && !w.endsWith("ss") && w.length() > 3) {
      return "s";
    }
    return "other";
  }

  private static boolean clozeWord(String w) {
    return w.length() >= 3 && !STOP.contains(w.toLowerCase(Locale.ROOT));
  }

  /** Words of a text that are not sentence-initial, grouped by class. */
  private static Map<String, List<String>> wordsByClass(String text) {
    Map<String, List<String>> m = new TreeMap<>();
    for (String p : TextCleaner.paragraphs(text.replace("\n", "\n\n"))) {
      for (String s : TextCleaner.sentences(p)) {
        Matcher t = TOKEN.matcher(s);
        boolean first = true;
        while (t.find()) {
          String w = t.group();
          if (!first && clozeWord(w) && (w.equals(w.toLowerCase(Locale.ROOT))
              || (Character.isUpperCase(w.charAt(0)) && w.substring(1).equals(w.substring(1).toLowerCase(Locale.ROOT))))) {
            m.computeIfAbsent(wordClass(w), k -> new ArrayList<>()).add(w);
          }
          first = false;
        }
      }
    }
    return m;
  }

  public List<TaskItem> cloze(List<BundleDocument> evalDocs) {
    Random rng = rng("cloze");
    Map<String, List<IntFunction<TaskItem>>> candidates = new TreeMap<>();
    for (Map.Entry<String, List<BundleDocument>> e : bySource(evalDocs).entrySet()) {
      String source = e.getKey();
      Map<String, List<String>> sourceWords = new TreeMap<>();
      List<Map<String, List<String>>> docWords = new ArrayList<>();
      for (BundleDocument d : e.getValue()) {
        Map<String, List<String>> w = wordsByClass(d.text());
        docWords.add(w);
        w.forEach((k, v) -> sourceWords.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
      }
      List<IntFunction<TaskItem>> list = new ArrayList<>();
      for (int di = 0; di < e.getValue().size(); di++) {
        BundleDocument d = e.getValue().get(di);
        List<String> sents = new ArrayList<>();
        for (String p : TextCleaner.paragraphs(d.text().replace("\n", "\n\n"))) {
          sents.addAll(TextCleaner.sentences(p));
        }
        List<int[]> spans = new ArrayList<>();
        for (int end = 1; end < sents.size(); end++) {
          Matcher m = LAST_WORD.matcher(sents.get(end));
          if (!m.matches() || !clozeWord(m.group(2))) {
            continue;
          }
          int from = end;
          while (from > 0 && String.join(" ", sents.subList(from, end + 1)).length() < 250) {
            from--;
          }
          if (end - from >= 1 && String.join(" ", sents.subList(from, end + 1)).length() <= 900) {
            spans.add(new int[] {from, end});
          }
        }
        if (spans.isEmpty()) {
          continue;
        }
        List<Integer> ends = new ArrayList<>();
        Map<Integer, int[]> spanByEnd = new TreeMap<>();
        for (int[] sp : spans) {
          ends.add(sp[1]);
          spanByEnd.put(sp[1], sp);
        }
        for (int end : spread(ends, rng)) {
        int[] span = spanByEnd.get(end);
        Matcher m = LAST_WORD.matcher(sents.get(span[1]));
        if (!m.matches()) {
          continue;
        }
        String answer = m.group(2);
        String before = String.join(" ", sents.subList(span[0], span[1]));
        String context = (before + " " + m.group(1)).trim();
        String cls = wordClass(answer);
        final Map<String, List<String>> own = docWords.get(di);
        final long itemSeed = rng.nextLong();
        list.add(n -> {
          if (!clean(context) || !clean(context + " " + answer)) {
            return null;
          }
          Random r = new Random(itemSeed);
          Set<String> excluded = Set.of(answer.toLowerCase(Locale.ROOT));
          DistractorPicker.Choices c =
              picker.choose(answer, own.getOrDefault(cls, List.of()), excluded, r);
          if (c == null) {
            c = picker.choose(answer, sourceWords.getOrDefault(cls, List.of()), excluded, r);
          }
          return c == null ? null : new TaskItem(null, "cloze", context, c.choices(), c.answer(), source);
        });
        }
      }
      Collections.shuffle(list, rng);
      candidates.put(source, list);
    }
    return numbered("cloze", roundRobin(candidates));
  }

  // ---------------------------------------------------------------- definition

  public List<TaskItem> definition(List<WordNetGlosses.Synset> synsets) {
    Random rng = rng("definition");
    Map<String, List<String>> lemmasByPos = new TreeMap<>();
    Map<String, List<String[]>> itemsByPos = new TreeMap<>(); // {lemma, definition, synset words joined}
    Set<String> usedLemma = new HashSet<>();
    for (WordNetGlosses.Synset s : synsets) {
      String lemma = s.words().get(0);
      if (!lemma.matches("[a-z]{3,}") || unigrams.count(lemma) < minWordCount) {
        continue;
      }
      lemmasByPos.computeIfAbsent(s.pos(), k -> new ArrayList<>()).add(lemma);
      String def = s.definition().replaceAll("^\\([^)]*\\)\\s*", "").trim();
      int words = TextCleaner.wordCount(def);
      if (words < 3 || words > 25 || !usedLemma.add(s.pos() + ":" + lemma)
          || Unigrams.words(def).stream().anyMatch(w -> w.startsWith(lemma.substring(0, Math.min(5, lemma.length()))))) {
        continue;
      }
      itemsByPos.computeIfAbsent(s.pos(), k -> new ArrayList<>())
          .add(new String[] {lemma, def, String.join("\t", s.words())});
    }
    Map<String, Double> shares = Map.of("noun", 0.4, "verb", 0.25, "adj", 0.25, "adv", 0.10);
    List<TaskItem> out = new ArrayList<>();
    for (String pos : WordNetGlosses.POS_FILES) {
      List<String[]> items = itemsByPos.getOrDefault(pos, List.of());
      List<String[]> shuffled = new ArrayList<>(items);
      Collections.shuffle(shuffled, rng);
      int want = (int) Math.round(target * shares.get(pos));
      int got = 0;
      for (String[] it : shuffled) {
        if (got >= want) {
          break;
        }
        String context = "The word that means \"" + it[1] + "\" is";
        if (!clean(context)) {
          continue;
        }
        Set<String> excluded = new HashSet<>(List.of(it[2].split("\t")));
        DistractorPicker.Choices c = picker.choose(it[0], lemmasByPos.get(pos), excluded, rng);
        if (c != null) {
          out.add(new TaskItem(null, "definition", context, c.choices(), c.answer(), "wordnet"));
          got++;
        }
      }
    }
    Collections.shuffle(out, rng);
    return numbered("definition", out);
  }

  // ---------------------------------------------------------------- factbook

  public List<TaskItem> factbook(List<FactbookText.Country> countries) {
    Random rng = rng("factbook");
    record Field(String template, java.util.function.Function<FactbookText.Country, String> value) {}
    List<Field> fields = List.of(
        new Field("The capital of %s is", FactbookText.Country::capital),
        new Field("Something or someone from %s is described with the adjective", FactbookText.Country::adjective),
        new Field("On a map of the world, %s is found in", FactbookText.Country::mapRegion));
    List<TaskItem> all = new ArrayList<>();
    for (Field f : fields) {
      List<String> pool = new ArrayList<>();
      for (FactbookText.Country c : countries) {
        if (c.name() != null && f.value().apply(c) != null) {
          pool.add(f.value().apply(c));
        }
      }
      for (FactbookText.Country c : countries) {
        String v = f.value().apply(c);
        if (c.name() == null || v == null || v.equalsIgnoreCase(c.name())) {
          continue;
        }
        String context = String.format(Locale.ROOT, f.template(), c.name());
        if (!clean(context)) {
          continue;
        }
        DistractorPicker.Choices ch = picker.choose(v, pool, Set.of(), rng);
        if (ch != null) {
          all.add(new TaskItem(null, "factbook", context, ch.choices(), ch.answer(), "factbook"));
        }
      }
    }
    Collections.shuffle(all, rng);
    return numbered("factbook", all.subList(0, Math.min(target, all.size())));
  }

  // ---------------------------------------------------------------- quiz

  /** A quiz file, the question and answer field, and the question template. */
  public record QuizSpec(String file, int question, int answer, String template) {}

  public static final List<QuizSpec> QUIZ_SPECS = List.of(
      new QuizSpec("africa", 0, 1, "What is the capital of %s?"),
      new QuizSpec("america", 0, 1, "What is the capital of %s?"),
      new QuizSpec("asia", 0, 1, "What is the capital of %s?"),
      new QuizSpec("europe", 0, 1, "What is the capital of %s?"),
      new QuizSpec("province", 0, 1, "What is the capital of the Canadian province of %s?"),
      new QuizSpec("state", 0, 1, "What is the capital of the US state of %s?"),
      new QuizSpec("state", 0, 3, "What is the state flower of %s?"),
      new QuizSpec("midearth", 0, 1, "In Middle-earth, what is the capital of %s?"),
      new QuizSpec("collectives", 0, 1, "What is the collective noun for a group of %s?"),
      new QuizSpec("sexes", 0, 1, "What is the female counterpart of %s?"),
      new QuizSpec("babies", 1, 0, "What is the young of a %s called?"),
      new QuizSpec("elements", 0, 3, "Which chemical element has the symbol %s?"),
      new QuizSpec("flowers", 0, 1, "In the language of flowers, what does the %s mean?"),
      new QuizSpec("latin", 0, 1, "What does the Latin word \"%s\" mean in English?"),
      new QuizSpec("murders", 0, 1, "Who killed %s?"),
      new QuizSpec("pres", 0, 3, "Which US president succeeded %s?"),
      new QuizSpec("sov", 0, 2, "Which English sovereign succeeded %s?"),
      new QuizSpec("inca", 0, 1, "Which Inca ruler succeeded %s?"),
      new QuizSpec("locomotive", 0, 1, "What is the %s wheel arrangement called?"),
      new QuizSpec("bard", 0, 1, "In Shakespeare, which line follows \"%s\"?"),
      new QuizSpec("bard", 0, 3, "Which Shakespeare character says \"%s\"?"),
      new QuizSpec("poetry", 0, 1, "In the poem, which line follows \"%s\"?"),
      new QuizSpec("poetry", 0, 3, "Who wrote the line \"%s\"?"));

  public List<TaskItem> quiz(Map<String, List<QuizFiles.Record>> files) {
    Random rng = rng("quiz");
    List<TaskItem> all = new ArrayList<>();
    for (QuizSpec spec : QUIZ_SPECS) {
      List<QuizFiles.Record> recs = files.get(spec.file());
      if (recs == null) {
        continue;
      }
      List<String> pool = new ArrayList<>();
      // every answer alternative of every record that asks the same question (some files repeat a question with
      // the alternatives in another order): none of them may be a distractor
      Map<String, Set<String>> rightAnswers = new HashMap<>();
      for (QuizFiles.Record r : recs) {
        if (r.fields().size() > Math.max(spec.question(), spec.answer())) {
          pool.add(r.fields().get(spec.answer()));
          for (String q : r.alternatives().get(spec.question())) {
            rightAnswers.computeIfAbsent(DistractorPicker.norm(q), k -> new HashSet<>())
                .addAll(r.alternatives().get(spec.answer()));
          }
        }
      }
      Set<String> asked = new HashSet<>();
      for (QuizFiles.Record r : recs) {
        if (r.fields().size() <= Math.max(spec.question(), spec.answer())) {
          continue;
        }
        String q = r.fields().get(spec.question());
        String a = r.fields().get(spec.answer());
        if (q.length() < 2 || a.isEmpty() || a.equalsIgnoreCase("gok") || q.equalsIgnoreCase(a)) {
          continue;
        }
        String context = "Question: " + String.format(Locale.ROOT, spec.template(), q) + "\nAnswer:";
        if (!asked.add(DistractorPicker.norm(q)) || !clean(context)) {
          continue;
        }
        Set<String> excluded = new HashSet<>(r.alternatives().get(spec.answer()));
        excluded.addAll(rightAnswers.getOrDefault(DistractorPicker.norm(q), Set.of()));
        DistractorPicker.Choices c = picker.choose(a, pool, excluded, rng);
        if (c != null) {
          all.add(new TaskItem(null, "quiz", context, c.choices(), c.answer(), "bsdgames-quiz/" + spec.file()));
        }
      }
    }
    Collections.shuffle(all, rng);
    return numbered("quiz", all.subList(0, Math.min(target, all.size())));
  }

  // ---------------------------------------------------------------- arithmetic

  static final String[] NAMES = {"Anna", "Ben", "Carla", "David", "Emma", "Farid", "Grace", "Hugo", "Ines",
      "Jonas", "Kira", "Leo", "Maya", "Noah", "Olga", "Pablo", "Rosa", "Sam", "Tara", "Victor"};
  static final String[] THINGS = {"apples", "marbles", "stickers", "pencils", "cards", "books", "stamps",
      "shells", "coins", "eggs"};

  /** One templated word problem: its text, its answer and numeric near-misses (MC distractor candidates). */
  record Problem(String text, long answer, List<Long> wrong) {}

  /** A word problem of template {@code template % 8}; draws from {@code rng} in a fixed order. */
  static Problem problem(Random rng, int template, String name, String things) {
    int a;
    int b;
    int c;
    String text;
    long answer;
    List<Long> wrong = new ArrayList<>();
    switch (template % 8) {
      case 0 -> {
        a = 10 + rng.nextInt(60);
        b = 2 + rng.nextInt(30);
        c = 1 + rng.nextInt(a);
        text = String.format(Locale.ROOT, "%s has %d %s. %s gets %d more and then gives %d away. How many %s does"
            + " %s have now?", name, a, things, name, b, c, things, name);
        answer = a + b - c;
        wrong.addAll(List.of((long) a + b + c, (long) a + b, (long) a - c, (long) a - b + c));
      }
      case 1 -> {
        a = 3 + rng.nextInt(22);
        b = 2 + rng.nextInt(11);
        text = String.format(Locale.ROOT, "A box holds %d %s. How many %s are there in %d boxes?", a, things,
            things, b);
        answer = (long) a * b;
        wrong.addAll(List.of((long) a + b, (long) a * (b + 1), (long) a * (b - 1), (long) (a + 1) * b));
      }
      case 2 -> {
        a = 2 + rng.nextInt(19);
        b = 2 + rng.nextInt(9);
        text = String.format(Locale.ROOT, "%s shares %d %s equally among %d friends. How many %s does each"
            + " friend get?", name, a * b, things, b, things);
        answer = a;
        wrong.addAll(List.of((long) a * b - b, (long) a + 1, (long) a - 1, (long) b));
      }
      case 3 -> {
        a = 2 + rng.nextInt(14);
        b = 2 + rng.nextInt(7);
        c = (a * b / 10 + 1 + rng.nextInt(5)) * 10;
        text = String.format(Locale.ROOT, "A ticket costs %d dollars. %s buys %d tickets and pays with %d"
            + " dollars. How many dollars of change does %s get?", a, name, b, c, name);
        answer = c - (long) a * b;
        wrong.addAll(List.of((long) c - a, (long) c - a - b, (long) a * b, answer + a));
      }
      case 4 -> {
        a = 20 + rng.nextInt(70);
        b = 2 + rng.nextInt(8);
        text = String.format(Locale.ROOT, "A train travels %d miles every hour. How many miles does it travel in"
            + " %d hours?", a, b);
        answer = (long) a * b;
        wrong.addAll(List.of((long) a + b, (long) a * (b + 1), (long) a * (b - 1), answer + 10));
      }
      case 5 -> {
        a = 10 + rng.nextInt(60);
        b = 10 + rng.nextInt(60);
        c = a + b + 10 + rng.nextInt(200);
        text = String.format(Locale.ROOT, "%s read %d pages on Monday and %d pages on Tuesday. The book has %d"
            + " pages. How many pages are left to read?", name, a, b, c);
        answer = c - a - b;
        wrong.addAll(List.of((long) c - a, (long) c - b, (long) a + b, answer + 10));
      }
      case 6 -> {
        a = 3 + rng.nextInt(15);
        b = 4 + rng.nextInt(12);
        c = 1 + rng.nextInt(a * b / 2);
        text = String.format(Locale.ROOT, "A hall has %d rows of chairs with %d chairs in each row. %d chairs are"
            + " empty. How many chairs are taken?", a, b, c);
        answer = (long) a * b - c;
        wrong.addAll(List.of((long) a * b + c, (long) a * b, (long) a + b - c, answer + b));
      }
      default -> {
        a = 3 + rng.nextInt(25);
        b = 2 + rng.nextInt(15);
        text = String.format(Locale.ROOT, "%s saves %d dollars each week. How many weeks does it take %s to save"
            + " %d dollars?", name, a, name, a * b);
        answer = b;
        wrong.addAll(List.of((long) b + 1, (long) b - 1, (long) a, (long) b + 2));
      }
    }
    return new Problem(text, answer, wrong);
  }

  public List<TaskItem> arithmetic() {
    Random rng = rng("arithmetic");
    List<TaskItem> out = new ArrayList<>();
    int attempts = 0;
    Set<String> contexts = new HashSet<>();
    while (out.size() < target && attempts++ < target * 20) {
      String name = NAMES[rng.nextInt(NAMES.length)];
      String things = THINGS[rng.nextInt(THINGS.length)];
      Problem p = problem(rng, out.size() % 8, name, things);
      long answer = p.answer();
      String context = p.text() + " The answer is";
      if (answer <= 0 || !contexts.add(context) || !clean(context)) {
        continue;
      }
      String ans = Long.toString(answer);
      List<String> pool = new ArrayList<>();
      for (long w : p.wrong()) {
        pool.add(Long.toString(w));
      }
      for (long d = 1; d <= 12; d++) {
        pool.add(Long.toString(answer + d));
        pool.add(Long.toString(answer - d));
        pool.add(Long.toString(answer + 10 * d));
        pool.add(Long.toString(answer - 10 * d));
      }
      pool.removeIf(q -> q.startsWith("-") || q.equals("0") || q.length() != ans.length());
      DistractorPicker.Choices ch = picker.choose(ans, pool, Set.of(), rng);
      if (ch != null) {
        out.add(new TaskItem(null, "arithmetic", context, ch.choices(), ch.answer(), "template"));
      }
    }
    return numbered("arithmetic", out);
  }

  /** Every task, in {@link #TASKS} order. */
  public Map<String, List<TaskItem>> all(List<BundleDocument> evalDocs, List<WordNetGlosses.Synset> synsets,
      List<FactbookText.Country> countries, Map<String, List<QuizFiles.Record>> quizFiles) {
    Map<String, List<TaskItem>> m = new LinkedHashMap<>();
    m.put("next-sentence", nextSentence(evalDocs));
    m.put("cloze", cloze(evalDocs));
    m.put("definition", definition(synsets));
    m.put("factbook", factbook(countries));
    m.put("quiz", quiz(quizFiles));
    m.put("arithmetic", arithmetic());
    return m;
  }
}
