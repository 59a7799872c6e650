package dev.symbiosis.cli.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

/** Writes tiny synthetic versions of every raw package in the layout prepare-data expects. */
final class TinyInputs {
  private static final String[] WORDS = ("river house garden letter morning window captain sister island mountain"
      + " silver winter evening kingdom village harbour market stone forest whale ship people nation law money"
      + " friend father mother brother answer question company weather summer autumn journey bridge city road"
      + " paper music story school teacher doctor soldier farmer engine garden valley ocean desert castle").split(" ");
  private static final String[] VERBS = "saw found kept sent told made gave took left brought".split(" ");

  private TinyInputs() {}

  static String sentence(Random r) {
    int n = 7 + r.nextInt(8);
    StringBuilder sb = new StringBuilder("The");
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(i % 3 == 1 ? VERBS[r.nextInt(VERBS.length)] : WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }

  static String paragraph(Random r) {
    int n = 3 + r.nextInt(4);
    List<String> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.add(sentence(r));
    }
    return String.join(" ", s);
  }

  static String text(Random r, int paragraphs) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < paragraphs; i++) {
      p.add(paragraph(r));
    }
    return String.join("\n\n", p);
  }

  static byte[] zlib(byte[] data) {
    Deflater d = new Deflater();
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /** R XDR serialization (version 3) of a character vector; null entries are NA. */
  static byte[] xdrStrsxp(List<String> strings) {
    ByteBuffer b = ByteBuffer.allocate(64 + strings.stream().mapToInt(s -> s == null ? 8 : 8 + s.length() * 3).sum());
    b.put((byte) 'X').put((byte) '\n');
    b.putInt(3).putInt(0x040201).putInt(0x030500);
    byte[] enc = "UTF-8".getBytes(StandardCharsets.US_ASCII);
    b.putInt(enc.length).put(enc);
    b.putInt(16).putInt(strings.size());
    for (String s : strings) {
      b.putInt(0x00040009);
      if (s == null) {
        b.putInt(-1);
      } else {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(u.length).put(u);
      }
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /** An integer vector record (type 13), which readers must skip. */
  static byte[] xdrIntsxp(int... values) {
    ByteBuffer b = ByteBuffer.allocate(40 + 4 * values.length);
    b.put((byte) 'X').put((byte) '\n').putInt(2).putInt(0x040201).putInt(0x020300);
    b.putInt(13).putInt(values.length);
    for (int v : values) {
      b.putInt(v);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  static byte[] rdbRecord(byte[] serialized) {
    byte[] z = zlib(serialized);
    ByteBuffer b = ByteBuffer.allocate(4 + z.length);
    b.putInt(serialized.length).put(z);
    return b.array();
  }

  /** Writes {ot,nt}.{bzs,bzz} with one block per given OSIS text (both testaments get the same list). */
  static void swordModule(Path dir, List<String> otBlocks, List<String> ntBlocks) throws IOException {
    Files.createDirectories(dir);
    for (String t : new String[] {"ot", "nt"}) {
      List<String> blocks = t.equals("ot") ? otBlocks : ntBlocks;
      ByteArrayOutputStream bzz = new ByteArrayOutputStream();
      ByteBuffer bzs = ByteBuffer.allocate(12 * (blocks.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
      bzs.putInt(0).putInt(0).putInt(0); // an empty entry, as real modules have
      for (String block : blocks) {
        byte[] raw = block.getBytes(StandardCharsets.UTF_8);
        byte[] z = zlib(raw);
        bzs.putInt(bzz.size()).putInt(z.length).putInt(raw.length);
        bzz.write(z);
      }
      Files.write(dir.resolve(t + ".bzs"), bzs.array());
      Files.write(dir.resolve(t + ".bzz"), bzz.toByteArray());
    }
  }

  static String osisBook(Random r, String name, int paragraphs) {
    StringBuilder sb = new StringBuilder("<div osisID=\"" + name + "\" type=\"book\"/> <title type=\"main\">" + name
        + "</title> <chapter n=\"1\" osisID=\"" + name + ".1\"/>");
    for (int i = 0; i < paragraphs; i++) {
      sb.append("<div sID=\"p").append(i).append("\" type=\"x-p\"/>");
      for (String w : paragraph(r).split(" ")) {
        sb.append("<w lemma=\"strong:H0001\">").append(w).append("</w> ");
      }
      sb.append("<note placement=\"foot\">A footnote that must vanish.</note>");
      sb.append("<div eID=\"p").append(i).append("\" type=\"x-p\"/>");
    }
    return sb.toString();
  }

  static String wordnetLine(int offset, String pos, List<String> words, String gloss) {
    StringBuilder sb = new StringBuilder(String.format("%08d 03 %s %02x", offset, pos.charAt(0), words.size()));
    for (String w : words) {
      sb.append(' ').append(w.replace(' ', '_')).append(" 0");
    }
    return sb.append(" 000 | ").append(gloss).append("  ").toString();
  }

  /** All eight packages under {@code root}; returns the prepare-data arguments (without --out). */
  static List<String> writeAll(Path root) throws IOException {
    Random r = new Random(7);
    Path sotu = root.resolve("sotu/package/data");
    Files.createDirectories(sotu);
    for (int y = 0; y < 4; y++) {
      Files.writeString(sotu.resolve((1790 + y) + "_george_washington_n.txt"), text(r, 12).replace("\n\n", " "));
    }
    Path austen = root.resolve("austen/usr/lib/R/site-library/janeaustenr/data");
    Files.createDirectories(austen);
    ByteArrayOutputStream rdb = new ByteArrayOutputStream();
    for (String title : new String[] {"EMMA", "PERSUASION"}) {
      List<String> lines = new ArrayList<>(List.of(title, "", "CHAPTER I", ""));
      for (String p : text(r, 14).split("\n\n")) {
        lines.addAll(List.of(p.split("(?<=\\.) ")));
        lines.add("");
      }
      rdb.write(rdbRecord(xdrStrsxp(lines)));
    }
    rdb.write(rdbRecord(xdrIntsxp(1, 2, 3)));
    Files.write(austen.resolve("Rdata.rdb"), rdb.toByteArray());
    Path moby = root.resolve("moby/package/data");
    Files.createDirectories(moby);
    Files.writeString(moby.resolve("data.txt"), "CHAPTER 1. Loomings.\n\n" + text(r, 20));
    String[][] countries = {{"aa", "Avalonia", "Avalon", "Avalonian", "Europe"}, {"bb", "Borduria", "Szohod",
        "Bordurian", "Europe"}, {"cc", "Carpania", "Carpa", "Carpanian", "Asia"}, {"dd", "Dovia", "Dovburg",
        "Dovian", "Africa"}, {"ee", "Elbonia", "Elbo", "Elbonian", "Oceania"}, {"ff", "Freedonia", "Fredville",
        "Freedonian", "Africa"}};
    Path fb = root.resolve("factbook/package/europe");
    Files.createDirectories(fb);
    for (String[] c : countries) {
      String json = "{\"Introduction\":{\"Background\":{\"text\":\"<p>" + paragraph(r) + " " + paragraph(r)
          + "</p>\"}},\"Government\":{\"Country name\":{\"conventional short form\":{\"text\":\"" + c[1]
          + "\"}},\"Capital\":{\"name\":{\"text\":\"" + c[2] + "\"}}},\"People and Society\":{\"Nationality\":"
          + "{\"adjective\":{\"text\":\"" + c[3] + "\"}}},\"Geography\":{\"Map references\":{\"text\":\"" + c[4]
          + "\"}}}";
      Files.writeString(fb.resolve(c[0] + ".json"), json);
    }
    swordModule(root.resolve("bible/usr/share/sword/modules/texts/ztext/engWEB2015eb"),
        List.of(osisBook(r, "Gen", 12), osisBook(r, "Exod", 10)), List.of(osisBook(r, "Matt", 12)));
    Path wn = root.resolve("wordnet/usr/share/wordnet");
    Files.createDirectories(wn);
    for (String pos : WordNetGlosses.POS_FILES) {
      List<String> lines = new ArrayList<>(List.of("  1 This software and database is being provided"));
      for (int i = 0; i < 12; i++) {
        String w = WORDS[(i * 5 + pos.length()) % WORDS.length];
        lines.add(wordnetLine(1000 + i, pos, List.of(w, w + " thing"), "a kind of " + WORDS[(i + 3) % WORDS.length]
            + " that is often seen near the " + WORDS[(i + 7) % WORDS.length] + "; \"" + sentence(r).toLowerCase()
            + "\"; \"" + sentence(r).toLowerCase() + "\""));
      }
      Files.write(wn.resolve("data." + pos), lines, StandardCharsets.ISO_8859_1);
    }
    Path ham = root.resolve("spam/package/data/easy-ham-1");
    Files.createDirectories(ham);
    for (int i = 0; i < 8; i++) {
      Files.writeString(ham.resolve(String.format("%05d.abc.txt", i + 1)), "From a@b.example  Thu Aug 22 2002\n"
          + "Subject: hello\nContent-Type: text/plain\n\n" + text(r, 3) + "\n\n> quoted line\n\n-- \nsig\n");
    }
    Path quiz = root.resolve("bsd/usr/share/games/bsdgames/quiz");
    Files.createDirectories(quiz);
    for (TaskBuilder.QuizSpec s : TaskBuilder.QUIZ_SPECS) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(WORDS[i]).append("{s}:").append(WORDS[i + 10]).append("|").append(WORDS[i + 20]).append(':')
            .append(WORDS[i + 30]).append(':').append(WORDS[i + 40]).append('\n');
      }
      Files.writeString(quiz.resolve(s.file()), sb.toString());
    }
    return List.of("--sotu", root.resolve("sotu").toString(), "--austen", root.resolve("austen").toString(),
        "--moby-dick", root.resolve("moby").toString(), "--factbook", root.resolve("factbook").toString(),
        "--bible", root.resolve("bible").toString(), "--wordnet", root.resolve("wordnet").toString(),
        "--spam-assassin", root.resolve("spam").toString(), "--bsdgames", root.resolve("bsd").toString());
  }
}
