package dev.symbiosis.cli.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads WordNet 3.0 {@code data.noun/verb/adj/adv} (wordnet-base): per synset the words (underscores become
 * spaces, adjective markers like {@code (a)} dropped), the definition (gloss part before the first quoted
 * example) and the quoted example sentences.
 */
public final class WordNetGlosses {
  public static final List<String> POS_FILES = List.of("noun", "verb", "adj", "adv");

  public record Synset(String pos, String offset, List<String> words, String definition, List<String> examples) {}

  private WordNetGlosses() {}

  public static List<Synset> read(Path wordnetDir) {
    RawDataException.requireDir(wordnetDir, "WordNet folder (usr/share/wordnet)");
    List<Synset> out = new ArrayList<>();
    for (String pos : POS_FILES) {
      Path f = RawDataException.requireFile(wordnetDir.resolve("data." + pos), "WordNet data file");
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1)) {
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
          no++;
          if (line.startsWith("  ") || line.isBlank()) {
            continue; // licence header
          }
          out.add(parseLine(f, no, pos, line));
        }
      } catch (IOException e) {
        throw new RawDataException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static Synset parseLine(Path file, int lineNo, String pos, String line) {
    int bar = line.indexOf(" | ");
    if (bar < 0) {
      throw RawDataException.at(file, lineNo, "no gloss separator ' | ' in WordNet data line");
    }
    String[] f = line.substring(0, bar).split(" ");
    if (f.length < 4) {
      throw RawDataException.at(file, lineNo, "too few fields before the gloss");
    }
    int count;
    try {
      count = Integer.parseInt(f[3], 16);
    } catch (NumberFormatException e) {
      throw RawDataException.at(file, lineNo, "word count '" + f[3] + "' is not hexadecimal");
    }
    if (f.length < 4 + 2 * count) {
      throw RawDataException.at(file, lineNo, "declares " + count + " words but has fewer fields");
    }
    List<String> words = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      words.add(f[4 + 2 * i].replaceAll("\\([a-z]+\\)$", "").replace('_', ' '));
    }
    String gloss = line.substring(bar + 3).trim();
    List<String> defs = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    for (String part : gloss.split(";")) {
      String p = part.trim();
      if (p.startsWith("\"")) {
        String ex = TextCleaner.collapse(p.replaceAll("^\"|\"$", "").replace("\"", ""));
        if (!ex.isEmpty()) {
          examples.add(ex);
        }
      } else if (examples.isEmpty() && !p.isEmpty()) {
        defs.add(p);
      }
    }
    return new Synset(pos, f[0], List.copyOf(words), TextCleaner.collapse(String.join("; ", defs)),
        List.copyOf(examples));
  }
}
