package dev.symbiosis.cli.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whitespace, markup, address and sentence helpers shared by the source readers. */
public final class TextCleaner {
  private static final Pattern URL =
      Pattern.compile("(?i)(?:https?|ftp|news)://?[^\\s<>\"')\\]]*|mailto:[^\\s<>\"')\\]]*|www\\.[^\\s<>\"')\\]]+");
  private static final Pattern EMAIL = Pattern.compile("[^\\s<>()\"']*@[\\w-]+(?:\\.[\\w-]+)+");
  private static final Pattern EMPTY_BRACKETS = Pattern.compile("<\\s*>|\\(\\s*\\)|\\[\\s*\\]");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?)([0-9a-fA-F]+);");
  private static final Pattern BLANK_LINE = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n");
  private static final Pattern WS = Pattern.compile("\\s+");
  /** A sentence ends at . ! or ? (plus closing quotes/brackets) followed by space and an upper-case letter,
   * a digit or an opening quote. */
  private static final Pattern SENTENCE_END =
      Pattern.compile("[.!?][\"'\u201d\u2019)\\]]*\\s+(?=[\"'\u201c\u2018(\\[]?[A-Z0-9])");
  private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "sr", "jr", "gen",
      "col", "capt", "lt", "gov", "sen", "rep", "hon", "rev", "prof", "no", "vs", "etc", "co", "inc", "ltd",
      "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
      "dec", "ft", "mt", "vol", "ch", "fig", "approx", "est");

  private TextCleaner() {}

  /** Collapses every run of white space to one space and trims. */
  public static String collapse(String s) {
    return WS.matcher(s).replaceAll(" ").trim();
  }

  /** Removes URLs and e-mail addresses (and brackets they leave empty). */
  public static String stripAddresses(String s) {
    String t = URL.matcher(s).replaceAll("");
    t = EMAIL.matcher(t).replaceAll("");
    return EMPTY_BRACKETS.matcher(t).replaceAll("");
  }

  /** Replaces HTML/XML tags by a space and decodes the common entities. */
  public static String stripHtml(String s) {
    return decodeEntities(TAG.matcher(s).replaceAll(" "));
  }

  public static String decodeEntities(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = NUMERIC_ENTITY.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int cp;
      try {
        cp = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
      } catch (NumberFormatException e) {
        cp = ' ';
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(
          Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : " "));
    }
    m.appendTail(sb);
    return sb.toString().replace("&nbsp;", " ").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&mdash;", "\u2014").replace("&ndash;", "\u2013")
        .replace("&amp;", "&");
  }

  /** Splits text at blank lines into paragraphs, each with collapsed white space; empty ones are dropped. */
  public static List<String> paragraphs(String text) {
    List<String> out = new ArrayList<>();
    for (String p : BLANK_LINE.split(text.replace("\r\n", "\n").replace('\r', '\n'))) {
      String c = collapse(p);
      if (!c.isEmpty()) {
        out.add(c);
      }
    }
    return out;
  }

  /** Splits a paragraph into sentences (keeps the punctuation; common abbreviations do not end a sentence). */
  public static List<String> sentences(String paragraph) {
    List<String> out = new ArrayList<>();
    Matcher m = SENTENCE_END.matcher(paragraph);
    int start = 0;
    while (m.find()) {
      int dot = m.start();
      if (paragraph.charAt(dot) == '.' && isAbbreviation(paragraph, start, dot)) {
        continue;
      }
      int end = m.end();
      String s = paragraph.substring(start, end).trim();
      if (!s.isEmpty()) {
        out.add(s);
      }
      start = end;
    }
    String rest = paragraph.substring(start).trim();
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  private static boolean isAbbreviation(String text, int from, int dot) {
    int i = dot;
    while (i > from && !Character.isWhitespace(text.charAt(i - 1))) {
      i--;
    }
    String word = text.substring(i, dot).toLowerCase(Locale.ROOT).replaceAll("^[\"'(\\[\u201c\u2018]+", "");
    if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
      return true; // an initial: "John F. Kennedy"
    }
    return ABBREVIATIONS.contains(word);
  }

  /** Number of white-space separated words. */
  public static int wordCount(String s) {
    int n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); i++) {
      boolean ws = Character.isWhitespace(s.charAt(i));
      if (!ws && !in) {
        n++;
      }
      in = !ws;
    }
    return n;
  }
}
