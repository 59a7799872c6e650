package dev.symbiosis.examples.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads bsdgames quiz files ({@code usr/share/games/bsdgames/quiz/<name>}): one record per line (a trailing
 * backslash continues it), fields separated by {@code :} ({@code \:} is a literal colon). In a field
 * {@code a|b} are alternatives, {@code [a|b]} an alternative group and {@code {x}} an optional part. A field is
 * resolved by taking the first alternative everywhere and dropping optional parts (an optional part made only of
 * punctuation or space, as in {@code forget{-| }me}, keeps its first alternative so that words stay apart).
 */
public final class QuizFiles {
  /** One record: the resolved fields and, per field, every resolved top-level alternative. */
  public record Record(int line, List<String> fields, List<List<String>> alternatives) {}

  private QuizFiles() {}

  public static List<Record> read(Path file) {
    RawDataException.requireFile(file, "bsdgames quiz file");
    List<String> lines;
    try {
      lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n", -1));
    } catch (IOException e) {
      throw new RawDataException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Record> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (cur.length() == 0) {
        start = i + 1;
      }
      if (l.endsWith("\\") && !l.endsWith("\\\\")) {
        cur.append(l, 0, l.length() - 1);
        continue;
      }
      cur.append(l);
      String rec = cur.toString();
      cur.setLength(0);
      if (rec.isBlank()) {
        continue;
      }
      List<String> raw = splitFields(rec);
      if (raw.size() < 2) {
        throw RawDataException.at(file, start, "expected at least two ':'-separated fields, got: " + rec);
      }
      List<String> fields = new ArrayList<>();
      List<List<String>> alts = new ArrayList<>();
      for (String f : raw) {
        try {
          List<String> a = alternatives(f);
          fields.add(a.get(0));
          alts.add(a);
        } catch (IllegalArgumentException e) {
          throw RawDataException.at(file, start, e.getMessage() + " in field: " + f);
        }
      }
      out.add(new Record(start, List.copyOf(fields), List.copyOf(alts)));
    }
    return out;
  }

  /** Splits a record at unescaped colons outside brackets (escapes are kept for {@link #alternatives}). */
  static List<String> splitFields(String rec) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < rec.length(); i++) {
      char c = rec.charAt(i);
      if (c == '\\' && i + 1 < rec.length()) {
        f.append(c).append(rec.charAt(++i));
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
      if (c == ':' && depth <= 0) {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    out.add(f.toString());
    return out;
  }

  /** Every top-level alternative of a field, resolved (first one = the field's canonical value). */
  public static List<String> alternatives(String field) {
    List<String> out = new ArrayList<>();
    for (String alt : splitTop(field)) {
      out.add(TextCleaner.collapse(resolve(alt)));
    }
    return out;
  }

  /** The canonical value of a field: first alternatives, optional parts dropped. */
  public static String first(String field) {
    return alternatives(field).get(0);
  }

  private static List<String> splitTop(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth < 0) {
          throw new IllegalArgumentException("unbalanced '" + c + "'");
        }
      }
      if (c == '|' && depth == 0) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unclosed bracket");
    }
    out.add(cur.toString());
    return out;
  }

  private static String resolve(String seq) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < seq.length(); i++) {
      char c = seq.charAt(i);
      if (c == '\\' && i + 1 < seq.length()) {
        out.append(seq.charAt(++i));
      } else if (c == '{' || c == '[') {
        int end = matching(seq, i);
        String inner = seq.substring(i + 1, end);
        String firstAlt = resolve(splitTop(inner).get(0));
        if (c == '[' || (!firstAlt.isEmpty() && firstAlt.chars().noneMatch(Character::isLetterOrDigit))) {
          out.append(firstAlt);
        }
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int matching(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    throw new IllegalArgumentException("unclosed bracket");
  }
}
