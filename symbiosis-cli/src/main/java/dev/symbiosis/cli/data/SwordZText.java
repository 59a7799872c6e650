package dev.symbiosis.cli.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.Inflater;

/**
 * Reads a SWORD zText module (sword-text-web, {@code modules/texts/ztext/engWEB2015eb}): {@code ot.bzs} and
 * {@code nt.bzs} are tables of 12-byte little-endian (offset, size, uncompressed size) entries into the zlib
 * blocks of {@code ot.bzz} / {@code nt.bzz}; each block holds OSIS-marked-up text (one book per block in the
 * WEB module). Notes and titles are dropped, paragraph, chapter and line-group markers become paragraph breaks
 * and every other tag is removed.
 */
public final class SwordZText {
  private static final Pattern NOTE = Pattern.compile("(?s)<note\\b[^>]*>.*?</note>");
  private static final Pattern TITLE = Pattern.compile("(?s)<title\\b[^>]*>.*?</title>");
  private static final Pattern BREAK =
      Pattern.compile("<(?:div\\b[^>]*type=\"(?:x-p|book|paragraph|section|majorSection)\"[^>]*|chapter\\b[^>]*"
          + "|lg\\b[^>]*|p\\b[^>]*|/p)>");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");

  private SwordZText() {}

  /** The books of the module (Old then New Testament) as lists of paragraphs. */
  public static List<List<String>> readBooks(Path moduleDir) {
    RawDataException.requireDir(moduleDir, "SWORD zText module folder");
    List<List<String>> books = new ArrayList<>();
    for (String testament : new String[] {"ot", "nt"}) {
      Path bzs = moduleDir.resolve(testament + ".bzs");
      Path bzz = moduleDir.resolve(testament + ".bzz");
      RawDataException.requireFile(bzs, "SWORD block index");
      RawDataException.requireFile(bzz, "SWORD compressed blocks");
      for (String block : readBlocks(bzs, bzz)) {
        List<String> paragraphs = osisParagraphs(block);
        if (!paragraphs.isEmpty()) {
          books.add(paragraphs);
        }
      }
    }
    return books;
  }

  /** Decompresses every non-empty block listed in {@code bzs}. */
  public static List<String> readBlocks(Path bzs, Path bzz) {
    byte[] index;
    byte[] blocks;
    try {
      index = Files.readAllBytes(bzs);
      blocks = Files.readAllBytes(bzz);
    } catch (IOException e) {
      throw new RawDataException("cannot read " + bzs + " / " + bzz + ": " + e.getMessage(), e);
    }
    if (index.length % 12 != 0) {
      throw RawDataException.at(bzs, "length " + index.length + " is not a multiple of 12 (not a zText .bzs index)");
    }
    ByteBuffer b = ByteBuffer.wrap(index).order(ByteOrder.LITTLE_ENDIAN);
    List<String> out = new ArrayList<>();
    for (int entry = 0; entry < index.length / 12; entry++) {
      long offset = b.getInt() & 0xffffffffL;
      long size = b.getInt() & 0xffffffffL;
      long ucsize = b.getInt() & 0xffffffffL;
      if (size == 0) {
        continue;
      }
      if (offset + size > blocks.length) {
        throw RawDataException.at(bzs, "entry " + entry + " points past the end of " + bzz.getFileName()
            + " (offset " + offset + ", size " + size + ", file " + blocks.length + " bytes)");
      }
      Inflater inf = new Inflater();
      try {
        inf.setInput(blocks, (int) offset, (int) size);
        byte[] buf = new byte[(int) Math.max(ucsize, 1024)];
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        while (!inf.finished()) {
          int n = inf.inflate(buf);
          if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
            throw RawDataException.at(bzz, "block " + entry + " (offset " + offset + ") is a truncated zlib stream");
          }
          bos.write(buf, 0, n);
        }
        out.add(bos.toString(StandardCharsets.UTF_8));
      } catch (java.util.zip.DataFormatException e) {
        throw new RawDataException(bzz + ": block " + entry + " (offset " + offset + ") is not zlib data: "
            + e.getMessage(), e);
      } finally {
        inf.end();
      }
    }
    return out;
  }

  /** OSIS markup to clean paragraphs. */
  public static List<String> osisParagraphs(String osis) {
    String s = NOTE.matcher(osis).replaceAll(" ");
    s = TITLE.matcher(s).replaceAll("\n\n");
    s = BREAK.matcher(s).replaceAll("\n\n");
    s = TAG.matcher(s).replaceAll("");
    s = TextCleaner.decodeEntities(s);
    List<String> out = new ArrayList<>();
    for (String p : TextCleaner.paragraphs(s)) {
      p = p.replaceAll(" ([,.;:!?])", "$1");
      if (TextCleaner.wordCount(p) >= 3) {
        out.add(p);
      }
    }
    return out;
  }
}
