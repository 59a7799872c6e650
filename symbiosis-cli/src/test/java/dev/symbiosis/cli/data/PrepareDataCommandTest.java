package dev.symbiosis.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PrepareDataCommandTest {
  @TempDir
  Path tmp;

  private int run(List<String> args, StringWriter err) {
    CommandLine cl = new CommandLine(new PrepareDataCommand());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args.toArray(String[]::new));
  }

  private List<String> args(List<String> inputs, Path out) {
    List<String> a = new ArrayList<>(inputs);
    a.addAll(List.of("--out", out.resolve("bundle").toString(), "--tasks-out", out.resolve("tasks").toString(),
        "--min-task-items", "0", "--min-word-count", "0", "--items", "40", "--validation-per-domain", "1"));
    return a;
  }

  @Test
  void twoRunsOnTheSameInputsAreByteIdentical() throws Exception {
    List<String> inputs = TinyInputs.writeAll(tmp.resolve("raw"));
    StringWriter err = new StringWriter();
    assertEquals(0, run(args(inputs, tmp.resolve("a")), err), err.toString());
    assertEquals(0, run(args(inputs, tmp.resolve("b")), err), err.toString());
    List<Path> files;
    try (Stream<Path> s = Files.walk(tmp.resolve("a"))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertEquals(PrepareDataCommand.SPLITS.size() + 2 + TaskBuilder.TASKS.size() + 1
        + GenerativeTaskBuilder.TASKS.size() + 2, files.size(), files.toString());
    assertEquals(String.join("\n", new java.util.TreeSet<>(GenerativeTaskBuilder.TASKS)) + "\n",
        Files.readString(tmp.resolve("a/tasks/generative/INDEX")), "tasks/generative/INDEX lists them, sorted");
    assertEquals(String.join("\n", new java.util.TreeSet<>(TaskBuilder.TASKS)) + "\n",
        Files.readString(tmp.resolve("a/tasks/INDEX")), "tasks/INDEX lists every task, sorted");
    for (Path f : files) {
      Path other = tmp.resolve("b").resolve(tmp.resolve("a").relativize(f));
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), "differs: " + f.getFileName());
    }
    byte[] gz = Files.readAllBytes(tmp.resolve("a/bundle/seed.jsonl.gz"));
    assertEquals(0, gz[4] | gz[5] | gz[6] | gz[7], "gzip mtime must be 0");
    assertEquals(0, gz[3], "no gzip file name or other flags");
    String seed;
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(tmp.resolve("a/bundle/seed.jsonl.gz")))) {
      seed = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertTrue(seed.contains("\"source\":\"austen\"") && seed.contains("\"source\":\"bible\""), seed.substring(0, 300));
    assertTrue(!seed.contains("footnote") && !seed.contains("<w") && !seed.contains("quoted line"));
    String manifest = Files.readString(tmp.resolve("a/bundle/MANIFEST.json"));
    assertTrue(manifest.contains(DeterministicFiles.sha256(gz)));
    assertTrue(!manifest.contains(tmp.toString()), "no machine paths in the manifest");
  }

  @Test
  void aMissingInputIsNamedInTheError() throws Exception {
    List<String> inputs = TinyInputs.writeAll(tmp.resolve("raw"));
    Path rdb = tmp.resolve("raw/austen/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb");
    Files.write(rdb, new byte[] {0, 0, 0, 9, 1, 2, 3});
    StringWriter err = new StringWriter();
    assertEquals(2, run(args(inputs, tmp.resolve("c")), err));
    assertTrue(err.toString().contains("Rdata.rdb"), err.toString());
    Files.delete(tmp.resolve("raw/factbook/package/europe/aa.json"));
    Files.delete(tmp.resolve("raw/factbook/package/europe/bb.json"));
    Files.writeString(tmp.resolve("raw/factbook/package/europe/cc.json"), "{not json");
    Files.write(rdb, TinyInputs.rdbRecord(TinyInputs.xdrStrsxp(List.of("EMMA", "", "Some text for a novel here."))));
    StringWriter err2 = new StringWriter();
    assertEquals(2, run(args(inputs, tmp.resolve("d")), err2));
    assertTrue(err2.toString().contains("cc.json"), err2.toString());
  }

  @Test
  void anUnwritableOutputIsNamedInTheError() throws Exception {
    List<String> inputs = TinyInputs.writeAll(tmp.resolve("raw"));
    Path blocker = tmp.resolve("e");
    Files.writeString(blocker, "a file where the output folder should be");
    StringWriter err = new StringWriter();
    assertEquals(2, run(args(inputs, blocker), err));
    assertTrue(err.toString().contains(blocker.resolve("bundle").toString()), err.toString());
  }
}
