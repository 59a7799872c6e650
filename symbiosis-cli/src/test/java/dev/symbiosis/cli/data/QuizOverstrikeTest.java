package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bsdgames quiz files spell accents as typewriter overstrikes (letter, backspace, mark) in [..|..] groups. */
class QuizOverstrikeTest {
  @TempDir
  Path tmp;

  @Test
  void overstrikesBecomeAccentedLetters() {
    assertEquals("Lom\u00e9", QuizFiles.first("Lom['\be|e\b'|e]"));
    assertEquals("S\u00e3o Tom\u00e9", QuizFiles.first("S[~\ba|a\b~|a]o Tom['\be|e\b'|e]"));
    assertEquals("C\u00f4te d'Ivoire", QuizFiles.first("C[^\bo|o\b^|o]te d'Ivoire"));
    assertEquals("K\u00f8benhavn", QuizFiles.first("K[o\b/|/\bo]benhavn"));
    assertEquals("Mozambique", QuizFiles.first("Mo[z|,\bc|c\b,|c]ambique"));
    assertEquals("plain", QuizFiles.decodeOverstrike("plain"));
  }

  @Test
  void utf8FilesAreReadAsUtf8AndLatin1FilesStillWork() throws Exception {
    Path utf8 = tmp.resolve("europe");
    Files.write(utf8, "[\u00b0\bA|A\b\u00b0|A]land Islands:Mariehamn\nDenmark:Copenhagen|K[o\b/|/\bo]benhavn\n"
        .getBytes(StandardCharsets.UTF_8));
    List<QuizFiles.Record> r = QuizFiles.read(utf8);
    assertEquals(List.of("\u00c5land Islands", "Mariehamn"), r.get(0).fields());
    assertEquals(List.of("Copenhagen", "K\u00f8benhavn"), r.get(1).alternatives().get(1));
    Path latin1 = tmp.resolve("latin");
    Files.write(latin1, "caf\u00e9:coffee\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(List.of("caf\u00e9", "coffee"), QuizFiles.read(latin1).get(0).fields());
  }
}
