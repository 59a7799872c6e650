package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatReadersTest {
  @TempDir
  Path tmp;

  @Test
  void rLazyLoadDbReadsCharacterVectorsAndSkipsOtherTypes() throws Exception {
    ByteArrayOutputStream rdb = new ByteArrayOutputStream();
    rdb.write(TinyInputs.rdbRecord(TinyInputs.xdrStrsxp(Arrays.asList("EMMA", "", "Emma Woodhouse, handsome", null))));
    rdb.write(TinyInputs.rdbRecord(TinyInputs.xdrIntsxp(4, 5)));
    rdb.write(TinyInputs.rdbRecord(TinyInputs.xdrStrsxp(List.of("caf\u00e9 na\u00efve"))));
    Path f = tmp.resolve("Rdata.rdb");
    Files.write(f, rdb.toByteArray());
    List<List<String>> v = RLazyLoadDb.readStringVectors(f);
    assertEquals(2, v.size());
    assertEquals(List.of("EMMA", "", "Emma Woodhouse, handsome", ""), v.get(0));
    assertEquals(List.of("caf\u00e9 na\u00efve"), v.get(1));
  }

  @Test
  void rLazyLoadDbNamesTheFileOnCorruptData() throws Exception {
    Path f = tmp.resolve("bad.rdb");
    byte[] rec = TinyInputs.rdbRecord(TinyInputs.xdrStrsxp(List.of("a", "b")));
    Files.write(f, Arrays.copyOf(rec, rec.length - 3));
    RawDataException e = assertThrows(RawDataException.class, () -> RLazyLoadDb.readStringVectors(f));
    assertTrue(e.getMessage().contains("bad.rdb"), e.getMessage());
    RawDataException missing = assertThrows(RawDataException.class,
        () -> RLazyLoadDb.readStringVectors(tmp.resolve("none.rdb")));
    assertTrue(missing.getMessage().contains("none.rdb"));
  }

  @Test
  void swordZTextDropsNotesAndTitlesAndKeepsParagraphs() throws Exception {
    String ot = "<div osisID=\"Gen\" type=\"book\"/><title type=\"main\">Genesis</title><chapter n=\"1\"/>"
        + "<div sID=\"a\" type=\"x-p\"/><w lemma=\"strong:H7225\">In</w> <w>the</w> <w>beginning</w>,"
        + "<note placement=\"foot\">Or, first</note> God created the heavens. <div eID=\"a\" type=\"x-p\"/>"
        + "<div sID=\"b\" type=\"x-p\"/>The earth was formless and empty.<div eID=\"b\" type=\"x-p\"/>";
    Path mod = tmp.resolve("engWEB");
    TinyInputs.swordModule(mod, List.of(ot), List.of("<div type=\"book\"/>Jesus wept and the people saw it."));
    List<List<String>> books = SwordZText.readBooks(mod);
    assertEquals(2, books.size());
    assertEquals(List.of("In the beginning, God created the heavens.", "The earth was formless and empty."),
        books.get(0));
    assertEquals(List.of("Jesus wept and the people saw it."), books.get(1));
  }

  @Test
  void swordZTextRejectsABadIndex() throws Exception {
    Path mod = tmp.resolve("m");
    TinyInputs.swordModule(mod, List.of("<w>x</w> y z"), List.of("a b c"));
    Files.write(mod.resolve("nt.bzs"), new byte[] {1, 2, 3, 4, 5});
    RawDataException e = assertThrows(RawDataException.class, () -> SwordZText.readBooks(mod));
    assertTrue(e.getMessage().contains("nt.bzs"), e.getMessage());
  }

  @Test
  void factbookKeepsLongTextFieldsAndShortFacts() throws Exception {
    Path region = tmp.resolve("fb/europe");
    Files.createDirectories(region);
    String longText = String.join(" ", java.util.Collections.nCopies(45, "word"));
    Files.writeString(region.resolve("xx.json"), "{\"Introduction\":{\"Background\":{\"text\":\"<p>" + longText
        + " see http://example.org/x</p>\"}},\"Geography\":{\"Climate\":{\"text\":\"temperate\"},"
        + "\"Map references\":{\"text\":\"Europe\"}},\"Government\":{\"Country name\":{\"conventional short form\":"
        + "{\"text\":\"Exland\"}},\"Capital\":{\"name\":{\"text\":\"Ex City\"}}},\"People and Society\":"
        + "{\"Nationality\":{\"adjective\":{\"text\":\"Exish; note - varies\"}}}}");
    List<FactbookText.Country> c = FactbookText.read(tmp.resolve("fb"));
    assertEquals(1, c.size());
    assertEquals(List.of(longText + " see"), c.get(0).paragraphs()); // the URL is gone
    assertEquals("Exland", c.get(0).name());
    assertEquals("Ex City", c.get(0).capital());
    assertEquals("Europe", c.get(0).mapRegion());
    assertEquals(null, c.get(0).adjective());
    Files.writeString(region.resolve("yy.json"), "{\"broken\": ");
    RawDataException e = assertThrows(RawDataException.class, () -> FactbookText.read(tmp.resolve("fb")));
    assertTrue(e.getMessage().contains("yy.json"), e.getMessage());
  }

  @Test
  void wordNetParsesWordsDefinitionAndExamples() throws Exception {
    Path dir = tmp.resolve("wn");
    Files.createDirectories(dir);
    for (String pos : WordNetGlosses.POS_FILES) {
      Files.write(dir.resolve("data." + pos), List.of("  1 licence text",
          "00001740 00 a 02 able(a) 0 capable 0 000 | (usually followed by `to') having the means; \"able to swim\";"
              + " \"she was able\"  "), StandardCharsets.ISO_8859_1);
    }
    List<WordNetGlosses.Synset> s = WordNetGlosses.read(dir);
    assertEquals(4, s.size());
    assertEquals(List.of("able", "capable"), s.get(0).words());
    assertEquals("(usually followed by `to') having the means", s.get(0).definition());
    assertEquals(List.of("able to swim", "she was able"), s.get(0).examples());
    Files.write(dir.resolve("data.verb"), List.of("  1 licence", "00001 29 v zz breathe 0 | no"));
    RawDataException e = assertThrows(RawDataException.class, () -> WordNetGlosses.read(dir));
    assertTrue(e.getMessage().contains("data.verb:2"), e.getMessage());
  }

  @Test
  void mailBodiesStripHeadersQuotesSignaturesAndAddresses() {
    String mail = "From x@y.example  Thu Aug 22 12:36:23 2002\nReturn-Path: <x@y.example>\nSubject: Re: hi\n"
        + "Content-Type: text/plain; charset=us-ascii\n\n    Date: Wed, 21 Aug 2002\n"
        + "On Wed, Bob Smith wrote:\n> quoted text that must go\n  | also quoted\n\n"
        + "I tried the new build on my laptop and it works,\nsee http://example.com/page or mail me at me@site.example today.\n\n"
        + "Thanks for all the help with this one.\n\n-- \nBob, the signature\n";
    assertEquals(List.of("I tried the new build on my laptop and it works, see or mail me at today.",
        "Thanks for all the help with this one."), MailBodies.body(mail));
    assertEquals(List.of(), MailBodies.body("Subject: x\nContent-Type: text/html\n\n<p>hello there my friend</p>"));
    assertEquals(List.of(), MailBodies.body("no header separator here"));
  }

  @Test
  void quizSyntaxTakesFirstAlternativeAndDropsOptionalParts() throws Exception {
    assertEquals("Washington", QuizFiles.first("{G{eorge} }Washington"));
    assertEquals("Andorra la Vella", QuizFiles.first("Andorra la V[ell|iej]a"));
    assertEquals("colony", QuizFiles.first("colony|hill"));
    assertEquals("forget-me-not", QuizFiles.first("forget{-| }me{-| }not"));
    assertEquals(List.of("Spock", "spock", "Mr. Spock"), QuizFiles.alternatives("Spock|spock|Mr. Spock"));
    Path f = tmp.resolve("bard");
    Files.writeString(f, "To be{,} or not to be{\\:}:\\\nthat is the question:\\\nHamlet:\\\nHamlet\nsleep|Duncan:Macbeth\n");
    List<QuizFiles.Record> recs = QuizFiles.read(f);
    assertEquals(2, recs.size());
    assertEquals(List.of("To be, or not to be:", "that is the question", "Hamlet", "Hamlet"), recs.get(0).fields());
    assertEquals(List.of("sleep", "Duncan"), recs.get(1).alternatives().get(0));
    Files.writeString(f, "ok:fine\nbroken{x:y\n");
    RawDataException e = assertThrows(RawDataException.class, () -> QuizFiles.read(f));
    assertTrue(e.getMessage().contains("bard:2"), e.getMessage());
  }

  @Test
  void chunkerMakesDocumentsOfOneToFourThousandCharacters() {
    Random r = new Random(3);
    List<String> paragraphs = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      paragraphs.add(TinyInputs.paragraph(r));
    }
    paragraphs.add(TinyInputs.text(r, 30).replace("\n\n", " ")); // one very long paragraph
    List<String> docs = DocumentChunker.chunk(paragraphs, "\n\n");
    assertTrue(docs.size() > 5);
    for (String d : docs) {
      assertTrue(d.length() >= DocumentChunker.MIN_CHARS && d.length() <= DocumentChunker.MAX_CHARS + 1000,
          "document of " + d.length() + " characters");
    }
    assertEquals(String.join(" ", paragraphs).replaceAll("\\s+", " "),
        String.join(" ", docs).replaceAll("\\s+", " "), "chunking must neither lose nor repeat text");
  }

  @Test
  void sentencesRespectAbbreviations() {
    assertEquals(List.of("Mr. Darcy came in.", "She said \"Hello.\"", "Then St. Paul left!"),
        TextCleaner.sentences("Mr. Darcy came in. She said \"Hello.\" Then St. Paul left!"));
    assertFalse(TextCleaner.stripAddresses("write to a.b@c.example now").contains("@"));
  }
}
