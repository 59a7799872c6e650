package dev.symbiosis.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.experiment.ExperimentConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the real experiment command: the CLI ({@code symbiosis experiment --config ... --out DIR}) runs in a
 * child JVM on the embedded models and data, is killed with SIGKILL ({@link Process#destroyForcibly()}) at points
 * chosen from what it prints or writes (Student training, Generator fine-tuning, metric computation, a checkpoint
 * being written, generation, results.jsonl being written), each time with a seeded random delay after the
 * marker, and restarted on the same folder until it completes. It must end with the bytes of an uninterrupted run
 * (results.jsonl, the synthetic data and hard-example releases, and the checkpoints' SHA-256 manifests, i.e. the
 * weights), leave no temporary file behind, and every checkpoint must verify.
 *
 * <p>The configuration is the smoke preset cut to two strategies (Symbiosis, which trains, mines, generates and
 * fine-tunes the Generator, and real-mixing, which reads the real stream) and fewer evaluation items; the uninterrupted
 * run goes on in parallel with the killed ones, so the whole test takes two to three minutes on two cores.
 */
class KillAndResumeTest {

    /**
     * Where and when to kill: after a printed line, or as soon as a path matching {@code path} (a glob relative to
     * the run folder) exists.
     */
    private record KillPoint(String what, Predicate<String> line, String path, Predicate<String> fallback,
            int maxDelayMillis) {
        static KillPoint afterLine(String what, Predicate<String> line, int maxDelayMillis) {
            return new KillPoint(what, line, null, null, maxDelayMillis);
        }

        /** As soon as {@code path} appears; if it is missed (too brief), at the fallback line. */
        static KillPoint whilePathExists(String what, String path, Predicate<String> fallback) {
            return new KillPoint(what, null, path, fallback, 0);
        }
    }

    private static Predicate<String> finished(String prefix) {
        return l -> l.startsWith(prefix) && l.contains("100%");
    }

    // The markers are lines of ConsoleProgress (progress bars, "-- <strategy> iteration <t>:" summaries,
    // "== <strategy>: iterations a..b") and ExperimentRunner ("data: ..."); if they change, the test fails saying
    // which kill point was not reached.
    private static final List<KillPoint> KILLS = List.of(
            // Student training of iteration 1 follows Step A's last progress line (it takes about 0.1-0.2 s)
            KillPoint.afterLine("student training", finished("[symbiosis 1] step-a"), 120),
            // Step D: teaching material is generated, then the Generator is fine-tuned
            KillPoint.afterLine("generator fine-tuning", finished("[symbiosis 1] step-d teach"), 300),
            // the diversity and fidelity metrics follow the evaluation
            KillPoint.afterLine("metric computation", finished("[symbiosis 1] evaluate"), 150),
            KillPoint.whilePathExists("checkpoint write", "symbiosis/checkpoint-1.tmp",
                    l -> l.startsWith("-- symbiosis iteration 1:")),
            // iteration 2 starts with Step A generation (about 1.5 s)
            KillPoint.afterLine("generation", l -> l.startsWith("-- symbiosis iteration 1:")
                    || l.startsWith("== symbiosis: iterations 2"), 800),
            KillPoint.whilePathExists("results.jsonl write", "results.jsonl.*.tmp",
                    l -> l.startsWith("-- real-mixing iteration 0:")));

    /** The smoke preset, edited as JSON (so that new configuration fields keep their preset values). */
    private static Path writeConfig(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(ExperimentConfig.preset("smoke").toJson());
        c.put("preset", "kill-and-resume");
        c.putArray("strategies").add("symbiosis").add("real-mixing");
        c.put("evalItemsPerTask", 8);
        c.put("heldOutDocsPerDomain", 1);
        Path file = dir.resolve("config.json");
        Files.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
        ExperimentConfig.read(file); // valid
        return file;
    }

    /** The CLI in a child JVM with this test's class path, offline, one PyTorch thread. */
    private static Process start(Path config, Path out) throws IOException {
        return start(config, out, false);
    }

    /**
     * As {@link #start(Path, Path)}; with {@code recordNetwork} through {@link NetworkRecordingMain}, which
     * reports every socket permission the run asks for.
     */
    private static Process start(Path config, Path out, boolean recordNetwork) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"));
        if (recordNetwork && Runtime.version().feature() < 24) {
            cmd.add("-Djava.security.manager=allow"); // from Java 24 on the flag stops the JVM: run unrecorded
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                recordNetwork ? NetworkRecordingMain.class.getName() : "dev.symbiosis.cli.SymbiosisCli",
                "experiment", "--config", config.toString(), "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        return pb.start();
    }

    /** Lines of the child's merged output (progress redraws end in '\r' and count as lines). */
    private static BlockingQueue<String> lines(Process p, StringBuilder log) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(l).append('\n');
                    }
                    q.add(l);
                }
            } catch (IOException e) {
                // the child was killed: its pipe closes
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
        return q;
    }

    /** Runs the child to completion; returns its exit code. */
    private static int runToEnd(Path config, Path out, StringBuilder log) throws Exception {
        Process p = start(config, out);
        lines(p, log);
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the experiment did not finish in 6 minutes:\n" + tail(log));
        }
        return p.exitValue();
    }

    /** Runs the child until the kill point is reached, kills it with SIGKILL, and says what it hit. */
    private static String runAndKill(Path config, Path out, KillPoint k, Random rnd, StringBuilder log)
            throws Exception {
        Process p = start(config, out);
        BlockingQueue<String> q = lines(p, log);
        String last = "";
        // a path is only watched once the run folder was opened (which deletes an earlier run's temporaries)
        boolean opened = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (System.nanoTime() < deadline) {
            Path hit = opened && k.path() != null ? find(out, k.path()) : null;
            if (hit != null) {
                p.destroyForcibly().waitFor();
                return "killed while " + out.relativize(hit) + " existed (after: " + last + ")";
            }
            String l = q.poll(1, TimeUnit.MILLISECONDS);
            if (l != null) {
                last = l.strip();
                opened |= l.startsWith("data: ");
                if (k.line() != null && k.line().test(l)) {
                    int delay = rnd.nextInt(k.maxDelayMillis() + 1);
                    Thread.sleep(delay);
                    p.destroyForcibly().waitFor();
                    return "killed " + delay + " ms after: " + last;
                }
                if (k.fallback() != null && k.fallback().test(l)) {
                    p.destroyForcibly().waitFor();
                    return "missed " + k.path() + " (too brief); killed right after: " + last;
                }
            }
            if (!p.isAlive() && q.isEmpty()) {
                fail("the run ended (exit " + p.exitValue() + ") before reaching kill point '" + k.what() + "':\n"
                        + tail(log));
            }
        }
        p.destroyForcibly();
        fail("kill point '" + k.what() + "' not reached in 6 minutes:\n" + tail(log));
        return null;
    }

    /** The first path in the run folder matching a relative glob ({@code dir/name*.tmp}), or null. */
    private static Path find(Path out, String glob) throws IOException {
        Path rel = Path.of(glob);
        Path folder = rel.getParent() == null ? out : out.resolve(rel.getParent());
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (var s = Files.newDirectoryStream(folder, rel.getFileName().toString())) {
            for (Path p : s) {
                return p;
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return null; // deleted while listing
        }
        return null;
    }

    private static String tail(StringBuilder log) {
        synchronized (log) {
            return log.substring(Math.max(0, log.length() - 4000));
        }
    }

    @Test
    void killedAtRandomMomentsAndRestartedTheRunEndsWithTheBytesOfAnUninterruptedOne(@TempDir Path tmp)
            throws Exception {
        Path config = writeConfig(tmp);
        Path whole = tmp.resolve("whole");
        Path killed = tmp.resolve("killed");
        // the uninterrupted run goes on beside the killed ones (two cores: one PyTorch thread each); it also
        // records every socket permission it asks for
        StringBuilder wholeLog = new StringBuilder();
        Process uninterrupted = start(config, whole, true);
        lines(uninterrupted, wholeLog);

        Random rnd = new Random(20261125L);
        List<String> hits = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        for (KillPoint k : KILLS) {
            hits.add(k.what() + ": " + runAndKill(config, killed, k, rnd, log));
        }
        int restarts = 0;
        int exit;
        do {
            exit = runToEnd(config, killed, log);
            restarts++;
        } while (exit != 0 && restarts < 2);
        System.err.println("kill -9 points:\n  " + String.join("\n  ", hits));
        assertEquals(0, exit, () -> tail(log));
        assertTrue(uninterrupted.waitFor(6, TimeUnit.MINUTES), "the uninterrupted run did not finish");
        assertEquals(0, uninterrupted.exitValue(), () -> tail(wholeLog));
        String network = wholeLog.toString().lines().filter(l -> l.startsWith(NetworkRecordingMain.MARKER))
                .findFirst().orElseThrow(() -> new AssertionError("no network summary:\n" + tail(wholeLog)));
        System.err.println("uninterrupted run: " + network);
        if (!network.endsWith("unavailable")) {
            assertTrue(network.startsWith(NetworkRecordingMain.MARKER + " 0 "), "the experiment asked for the network: " + network);
        }

        assertArrayEquals(Files.readAllBytes(whole.resolve("results.jsonl")),
                Files.readAllBytes(killed.resolve("results.jsonl")), "results.jsonl differs from the uninterrupted run");
        for (String strategy : List.of("symbiosis", "real-mixing")) {
            for (int t = 1; t <= 2; t++) {
                for (String f : List.of("synthetic.jsonl", "hard-examples.jsonl")) {
                    Path a = whole.resolve(strategy + "/iter-" + t + "/" + f);
                    if (Files.exists(a)) {
                        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(killed.resolve(
                                strategy + "/iter-" + t + "/" + f)), strategy + " iter-" + t + "/" + f);
                    }
                }
            }
            Path ck = killed.resolve(strategy + "/checkpoint-2");
            RunStore.verifyCheckpoint(ck);
            assertTrue(Files.exists(ck.resolve(RunStore.MANIFEST)), ck + " has a manifest");
            // equal manifests: the final Student (and Generator) weights are bit-identical
            assertEquals(Files.readString(whole.resolve(strategy + "/checkpoint-2/" + RunStore.MANIFEST)),
                    Files.readString(ck.resolve(RunStore.MANIFEST)), strategy + " final checkpoint");
        }
        List<String> leftovers = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(killed)) {
            paths.map(p -> killed.relativize(p).toString())
                    .filter(n -> n.endsWith(".tmp") || n.contains(".tmp/") || n.contains(".deleting")
                            || n.contains(".staging-") || n.contains(".old-"))
                    .forEach(leftovers::add);
        }
        assertEquals(List.of(), leftovers, "temporaries left in the run folder");
    }
}
