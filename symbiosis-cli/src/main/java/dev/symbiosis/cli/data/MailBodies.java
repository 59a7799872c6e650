package dev.symbiosis.cli.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Extracts clean bodies from raw RFC 822 mails (the non-spam "easy ham" folders of the SpamAssassin corpus):
 * headers, non-plain-text and base64 parts, quoted ({@code >} / {@code |}) lines, attribution and forwarded
 * header lines, signatures, list footers, PGP blocks, e-mail addresses and URLs are removed.
 */
public final class MailBodies {
  private static final Pattern QP_HEX = Pattern.compile("=([0-9A-Fa-f]{2})");
  private static final Pattern HEADER_LIKE = Pattern.compile(
      "(?i)^\\s*(from|to|cc|bcc|date|subject|sent|message-id|reply-to|in-reply-to|references|organization|received"
          + "|return-path|delivered-to|mime-version|content-[\\w-]+|x-[\\w-]+|list-[\\w-]+|precedence|errors-to"
          + "|sender|user-agent)\\s*:.*");
  private static final Pattern ATTRIBUTION = Pattern.compile("(?i)^.*\\b(wrote|writes|write|said|says)\\s*:\\s*$");
  private static final Pattern CUT_LINE = Pattern.compile(
      "^(-- ?|_{8,}.*|-{5,}\\s*Original Message\\s*-{5,}.*|-{2,}\\s*Forwarded message.*|\\s*-{5,}.*|={8,}.*)$");

  private MailBodies() {}

  /** The easy-ham mails of the package ({@code data/easy-ham-*}/*.txt), sorted by folder and file name. */
  public static List<Path> hamFiles(Path packageDir) {
    Path data = RawDataException.requireDir(packageDir.resolve("data"), "spam-assassin data folder");
    List<Path> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(data)) {
      for (Path d : dirs.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("easy-ham"))
          .sorted().toList()) {
        try (Stream<Path> files = Files.list(d)) {
          files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().forEach(out::add);
        }
      }
    } catch (IOException e) {
      throw new RawDataException("cannot list " + data + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new RawDataException("no easy-ham-*/*.txt mails under " + data);
    }
    return out;
  }

  /** Paragraphs of a mail file's clean body (empty when the mail has no usable plain-text body). */
  public static List<String> read(Path mailFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(mailFile);
    } catch (IOException e) {
      throw new RawDataException("cannot read " + mailFile + ": " + e.getMessage(), e);
    }
    return body(new String(bytes, StandardCharsets.UTF_8).replace("\uFFFD", ""));
  }

  /** Paragraphs of the clean body of one raw mail. */
  public static List<String> body(String raw) {
    String text = raw.replace("\r\n", "\n");
    int split = text.indexOf("\n\n");
    if (split < 0) {
      return List.of();
    }
    String headers = text.substring(0, split).replaceAll("\n[ \t]+", " ").toLowerCase(Locale.ROOT);
    String contentType = header(headers, "content-type");
    if (contentType != null && !contentType.startsWith("text/plain")) {
      return List.of();
    }
    String encoding = header(headers, "content-transfer-encoding");
    String body = text.substring(split + 2);
    if (encoding != null && encoding.startsWith("base64")) {
      return List.of();
    }
    if (encoding != null && encoding.startsWith("quoted-printable")) {
      body = decodeQuotedPrintable(body);
    }
    StringBuilder kept = new StringBuilder();
    boolean inPgp = false;
    for (String line : body.split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("-----BEGIN PGP")) {
        inPgp = !t.startsWith("-----BEGIN PGP SIGNED MESSAGE");
        continue;
      }
      if (t.startsWith("-----END PGP")) {
        inPgp = false;
        continue;
      }
      if (inPgp || t.startsWith("Hash:")) {
        continue;
      }
      if (CUT_LINE.matcher(line).matches()) {
        break; // signature, list footer or a forwarded / original message follows
      }
      if (t.startsWith(">") || t.startsWith("|") || HEADER_LIKE.matcher(line).matches()
          || ATTRIBUTION.matcher(t).matches()) {
        continue;
      }
      kept.append(line).append('\n');
    }
    List<String> out = new ArrayList<>();
    for (String p : TextCleaner.paragraphs(kept.toString())) {
      String c = TextCleaner.collapse(TextCleaner.stripHtml(TextCleaner.stripAddresses(p)));
      if (TextCleaner.wordCount(c) >= 4 && letterShare(c) >= 0.6) {
        out.add(c);
      }
    }
    return out;
  }

  private static String header(String headers, String name) {
    for (String h : headers.split("\n")) {
      if (h.startsWith(name + ":")) {
        return h.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  static String decodeQuotedPrintable(String s) {
    String joined = s.replace("=\n", "");
    Matcher m = QP_HEX.matcher(joined);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int v = Integer.parseInt(m.group(1), 16);
      m.appendReplacement(sb, Matcher.quoteReplacement(v == 0xA0 ? " " : String.valueOf((char) v)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static double letterShare(String s) {
    int letters = 0;
    int nonSpace = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c)) {
        nonSpace++;
        if (Character.isLetter(c)) {
          letters++;
        }
      }
    }
    return nonSpace == 0 ? 0 : (double) letters / nonSpace;
  }
}
