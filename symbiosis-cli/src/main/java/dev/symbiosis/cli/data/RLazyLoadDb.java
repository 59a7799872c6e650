package dev.symbiosis.cli.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;

/**
 * Reads the character vectors of an R lazy-load database ({@code Rdata.rdb}, as in r-cran-janeaustenr): a
 * sequence of records {@code [4-byte big-endian length][zlib stream]}, each stream an R XDR serialization
 * ({@code "X\n"}, version 2 or 3). Records whose top-level object is a STRSXP (type 16) of CHARSXPs are returned
 * as lists of strings (NA becomes the empty string); records of other types are skipped.
 */
public final class RLazyLoadDb {
  private static final int STRSXP = 16;
  private static final int CHARSXP = 9;

  private RLazyLoadDb() {}

  public static List<List<String>> readStringVectors(Path rdb) {
    RawDataException.requireFile(rdb, "R lazy-load database (Rdata.rdb)");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(rdb);
    } catch (IOException e) {
      throw new RawDataException("cannot read " + rdb + ": " + e.getMessage(), e);
    }
    List<List<String>> out = new ArrayList<>();
    int pos = 0;
    int record = 0;
    while (pos < bytes.length) {
      if (pos + 4 > bytes.length) {
        throw RawDataException.at(rdb,
            "truncated record header at byte " + pos);
      }
      Inflater inflater = new Inflater();
      byte[] data;
      int consumed;
      try {
        inflater.setInput(bytes, pos + 4, bytes.length - pos - 4);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        while (!inflater.finished()) {
          int n = inflater.inflate(chunk);
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw RawDataException.at(rdb,
                "record " + record + " at byte " + pos + " is a truncated zlib stream");
          }
          buf.write(chunk, 0, n);
        }
        data = buf.toByteArray();
        consumed = (bytes.length - pos - 4) - inflater.getRemaining();
      } catch (java.util.zip.DataFormatException e) {
        throw new RawDataException(
            rdb + ": record " + record + " at byte " + pos + " is not a zlib stream (" + e.getMessage() + ")", e);
      } finally {
        inflater.end();
      }
      List<String> strings = parseStrsxp(rdb, record, data);
      if (strings != null) {
        out.add(strings);
      }
      pos += 4 + consumed;
      record++;
    }
    return out;
  }

  /** Parses one serialized object; returns null when the top-level object is not a character vector. */
  static List<String> parseStrsxp(Path file, int record, byte[] data) {
    if (data.length < 14 || data[0] != 'X' || data[1] != '\n') {
      throw RawDataException.at(file,
          "record " + record + " is not an R XDR serialization (expected 'X\\n')");
    }
    ByteBuffer b = ByteBuffer.wrap(data); // big-endian by default
    try {
      b.position(2);
      int version = b.getInt();
      b.getInt(); // writer R version
      b.getInt(); // minimal reader version
      if (version == 3) {
        int n = b.getInt();
        b.position(b.position() + n); // native encoding name
      } else if (version != 2) {
        throw RawDataException.at(file,
            "record " + record + " has unsupported serialization version " + version);
      }
      int flags = b.getInt();
      if ((flags & 0xff) != STRSXP) {
        return null;
      }
      long length = b.getInt();
      if (length == -1) {
        length = ((long) b.getInt() << 32) | (b.getInt() & 0xffffffffL);
      }
      List<String> strings = new ArrayList<>((int) Math.min(length, 1 << 20));
      for (long i = 0; i < length; i++) {
        int charFlags = b.getInt();
        if ((charFlags & 0xff) != CHARSXP) {
          throw RawDataException.at(file,
              "record " + record + ": element " + i + " is type " + (charFlags & 0xff) + ", not CHARSXP (9)");
        }
        int len = b.getInt();
        if (len < 0) {
          strings.add("");
          continue;
        }
        strings.add(new String(data, b.position(), len, StandardCharsets.UTF_8));
        b.position(b.position() + len);
      }
      return strings;
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new RawDataException(
          file + ": record " + record + " ends before its character vector is complete", e);
    }
  }
}
