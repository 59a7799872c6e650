package dev.symbiosis.cli.data;

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
  /**
   * One record: the resolved fields, per field every resolved top-level alternative, and the fields as written
   * (for {@link #spellings}).
   */
  public record Record(int line, List<String> fields, List<List<String>> alternatives, List<String> raw) {}

  private QuizFiles() {}

  public static List<Record> read(Path file) {
    RawDataException.requireFile(file, "bsdgames quiz file");
    List<String> lines;
    try {
      lines = List.of(decode(Files.readAllBytes(file)).split("\n", -1));
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
      out.add(new Record(start, List.copyOf(fields), List.copyOf(alts), List.copyOf(raw)));
    }
    return out;
  }

  /** UTF-8 (as the europe file is) or, when the bytes are not valid UTF-8, ISO-8859-1. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
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
      // "Six[- | ]Wheeler" in the locomotive file: no space after a hyphen between letters
      out.add(TextCleaner.collapse(decodeOverstrike(resolve(alt))).replaceAll("(?<=\\p{L})- (?=\\p{L})", "-"));
    }
    return out;
  }

  /**
   * Every spelling a field allows, for answer checking: each top-level alternative, each alternative of every
   * {@code [a|b]} group, every {@code {optional}} part both present (in each of its alternatives) and absent;
   * resolved as {@link #alternatives} resolves (overstrikes decoded, white space collapsed). The canonical value
   * ({@link #first}) comes first, then the others in order of the field, without duplicates or blanks; at most
   * {@code limit} of them (a field with many groups has a combinatorial number of spellings).
   */
  public static List<String> spellings(String field, int limit) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    out.add(first(field));
    for (String raw : expand(field, limit)) {
      String clean = TextCleaner.collapse(decodeOverstrike(raw)).replaceAll("(?<=\\p{L})- (?=\\p{L})", "-");
      if (!clean.isBlank() && out.size() < limit) {
        out.add(clean);
      }
    }
    return List.copyOf(out);
  }

  /** Every expansion of {@code s}: its top-level alternatives, each with every choice in its groups. */
  private static List<String> expand(String s, int limit) {
    List<String> out = new ArrayList<>();
    for (String alt : splitTop(s)) {
      out.addAll(expandSequence(alt, limit));
      if (out.size() >= limit) {
        return out.subList(0, limit);
      }
    }
    return out;
  }

  private static List<String> expandSequence(String seq, int limit) {
    List<StringBuilder> partial = new ArrayList<>(List.of(new StringBuilder()));
    for (int i = 0; i < seq.length(); i++) {
      char c = seq.charAt(i);
      if (c == '\\' && i + 1 < seq.length()) {
        char e = seq.charAt(++i);
        partial.forEach(b -> b.append(e));
      } else if (c == '{' || c == '[') {
        int end = matching(seq, i);
        List<String> options = new ArrayList<>();
        if (c == '{') {
          options.add("");
        }
        options.addAll(expand(seq.substring(i + 1, end), limit));
        List<StringBuilder> next = new ArrayList<>();
        for (StringBuilder b : partial) {
          for (String o : options) {
            if (next.size() < limit) {
              next.add(new StringBuilder(b).append(o));
            }
          }
        }
        partial = next;
        i = end;
      } else {
        partial.forEach(b -> b.append(c));
      }
    }
    return partial.stream().map(StringBuilder::toString).toList();
  }

  /** The canonical value of a field: first alternatives, optional parts dropped. */
  public static String first(String field) {
    return alternatives(field).get(0);
  }

  /**
   * Turns the files' typewriter overstrike accents ({@code '<BS>e}, {@code e<BS>'}, {@code ~<BS>a},
   * {@code o<BS>/} ...) into accented letters ({@code é}, {@code ã}, {@code ø}); an unknown overstrike keeps the
   * letter.
   */
  static String decodeOverstrike(String s) {
    if (s.indexOf('\b') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (i + 2 < s.length() && s.charAt(i + 1) == '\b') {
        char d = s.charAt(i + 2);
        char letter = Character.isLetter(c) && !Character.isLetter(d) ? c : d;
        char mark = letter == c ? d : c;
        out.append(accented(letter, mark));
        i += 2;
      } else if (c != '\b') {
        out.append(c);
      }
    }
    return java.text.Normalizer.normalize(out.toString(), java.text.Normalizer.Form.NFC);
  }

  private static String accented(char letter, char mark) {
    if (mark == '/' && (letter == 'o' || letter == 'O')) {
      return letter == 'o' ? "\u00f8" : "\u00d8";
    }
    String combining = switch (mark) {
      case '\'' -> "\u0301";
      case '`' -> "\u0300";
      case '~' -> "\u0303";
      case '^' -> "\u0302";
      case '"', ':' -> "\u0308";
      case ',' -> "\u0327";
      case '\u00b0' -> "\u030a";
      default -> "";
    };
    return letter + combining;
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
