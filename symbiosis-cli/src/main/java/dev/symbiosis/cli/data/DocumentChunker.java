package dev.symbiosis.cli.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups consecutive paragraphs of one work into documents of 1,000-4,000 characters (aiming at about 2,200).
 * A paragraph longer than half the maximum is cut at sentence boundaries first, and a sentence longer than the
 * target at word boundaries, so no document exceeds {@link #MAX_CHARS}. A short remainder at the end of a work
 * is appended to the previous document when that stays within the maximum, kept when it has at least
 * {@link #MIN_TAIL_CHARS} characters, and dropped otherwise (so a whole work shorter than that gives nothing).
 */
public final class DocumentChunker {
  public static final int MIN_CHARS = 1000;
  public static final int TARGET_CHARS = 2200;
  public static final int MAX_CHARS = 4000;
  public static final int MIN_TAIL_CHARS = 500;

  private DocumentChunker() {}

  public static List<String> chunk(List<String> paragraphs, String joiner) {
    List<String> pieces = new ArrayList<>();
    for (String p : paragraphs) {
      if (p.length() <= MAX_CHARS / 2) {
        pieces.add(p);
        continue;
      }
      StringBuilder cur = new StringBuilder();
      for (String sentence : TextCleaner.sentences(p)) {
        for (String s : cutAtWords(sentence, TARGET_CHARS)) {
          if (cur.length() > 0 && cur.length() + 1 + s.length() > TARGET_CHARS) {
            pieces.add(cur.toString());
            cur.setLength(0);
          }
          if (cur.length() > 0) {
            cur.append(' ');
          }
          cur.append(s);
        }
      }
      if (cur.length() > 0) {
        pieces.add(cur.toString());
      }
    }
    List<String> docs = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String p : pieces) {
      // pieces have at most TARGET_CHARS characters and cur fewer than TARGET_CHARS, so cur holds more than
      // MAX_CHARS - TARGET_CHARS >= MIN_CHARS characters whenever this flushes
      if (cur.length() > 0 && cur.length() + joiner.length() + p.length() > MAX_CHARS) {
        docs.add(cur.toString());
        cur.setLength(0);
      }
      if (cur.length() > 0) {
        cur.append(joiner);
      }
      cur.append(p);
      if (cur.length() >= TARGET_CHARS) {
        docs.add(cur.toString());
        cur.setLength(0);
      }
    }
    if (cur.length() > 0) {
      String last = docs.isEmpty() ? null : docs.get(docs.size() - 1);
      if (cur.length() < MIN_CHARS && last != null && last.length() + joiner.length() + cur.length() <= MAX_CHARS) {
        docs.set(docs.size() - 1, last + joiner + cur);
      } else if (cur.length() >= MIN_TAIL_CHARS) {
        docs.add(cur.toString());
      }
    }
    return docs;
  }

  /** Cuts a text longer than {@code max} characters at spaces into pieces of at most {@code max} characters. */
  static List<String> cutAtWords(String text, int max) {
    if (text.length() <= max) {
      return List.of(text);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    while (text.length() - start > max) {
      int cut = text.lastIndexOf(' ', start + max);
      if (cut <= start) {
        cut = start + max; // one "word" longer than max: cut it
        out.add(text.substring(start, cut));
        start = cut;
      } else {
        out.add(text.substring(start, cut));
        start = cut + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }
}
