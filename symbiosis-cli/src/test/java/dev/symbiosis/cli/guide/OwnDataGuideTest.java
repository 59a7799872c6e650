package dev.symbiosis.cli.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/own-data.md, run as written: the guide's command block and configuration file are read from the guide, the
 * corpus ({@link OwnCorpus}) is written into {@code my-corpus/} of an empty working folder, and the commands run
 * there one after the other in a child JVM ({@link GuideCommandsMain}: the command line's own entry point, the
 * arguments exactly as the guide writes them). The whole path must work: splits and tasks, tokenizer, three tiny
 * models, an experiment on them with topics from the seed split, the report's figures from the metrics command,
 * and the resumption. Editing the guide changes what this test runs.
 */
class OwnDataGuideTest {

    private static final Path GUIDE = Path.of("..", "docs", "own-data.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- guide:(commands|file ([^ ]+))[^>]*-->\\s*```\\w*\\n(.*?)```",
            Pattern.DOTALL);

    /** The guide's commands, continuation lines joined, each split into arguments after {@code symbiosis}. */
    static List<List<String>> commands(String guide) {
        List<List<String>> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(guide);
        while (m.find()) {
            if (!m.group(1).equals("commands")) {
                continue;
            }
            String joined = m.group(3).replaceAll("\\\\\\n\\s*", " ");
            for (String line : joined.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                assertTrue(line.startsWith("symbiosis "), "a guide command starts with 'symbiosis': " + line);
                assertFalse(line.matches(".*['\"$`|;&<>*].*"), "no shell syntax, so that the arguments are the words:"
                        + " " + line);
                List<String> args = new ArrayList<>(List.of(line.split("\\s+")));
                args.remove(0);
                out.add(args);
            }
        }
        assertFalse(out.isEmpty(), "the guide has a commands block");
        return out;
    }

    /** The guide's files: name to content. */
    static Map<String, String> files(String guide) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Matcher m = BLOCK.matcher(guide);
        while (m.find()) {
            if (m.group(2) != null) {
                out.put(m.group(2), m.group(3));
            }
        }
        return out;
    }

    @Test
    void theGuidesCommandsRunAsWrittenOnACorpusTheProjectDoesNotShip(@TempDir Path work) throws Exception {
        String guide = Files.readString(GUIDE);
        List<List<String>> commands = commands(guide);
        Map<String, String> files = files(guide);
        assertEquals(List.of("own-run.json"), List.copyOf(files.keySet()));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(work.resolve(f.getKey()), f.getValue());
        }
        List<Path> corpus = OwnCorpus.write(work.resolve("my-corpus"), 250, 19);
        long bytes = 0;
        for (Path p : corpus) {
            bytes += Files.size(p);
        }
        System.out.println("guide: corpus " + corpus.size() + " files, " + bytes + " bytes");

        ArrayNode list = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        for (List<String> c : commands) {
            ArrayNode a = list.addArray();
            c.forEach(a::add);
        }
        Path commandsFile = work.resolve("guide-commands.json");
        Files.writeString(commandsFile, list.toString());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-cp", System.getProperty("java.class.path"),
                GuideCommandsMain.class.getName(), commandsFile.getFileName().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("guide.log").toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String log = Files.readString(work.resolve("guide.log"), StandardCharsets.UTF_8);
        // the lines the guide's table of sizes and times is made of
        log.lines().filter(l -> l.startsWith("guide: ") || l.startsWith("prepare-corpus: ") || l.contains(
                " parameters, corpus ") || l.startsWith("data: ") || l.startsWith("headline tasks")
                || l.startsWith("Step A topics")).forEach(System.out::println);
        assertTrue(done && p.exitValue() == 0, "the guide's commands failed:\n" + tail(log));
        assertEquals(commands.size(), log.lines().filter(l -> l.startsWith("guide: [")).count(), "every command ran");

        // splits and tasks
        JsonNode manifest = Json.parse(Files.readString(work.resolve("data/MANIFEST.json")));
        assertTrue(manifest.toString().contains("harbour-log") && manifest.toString().contains("letters"));
        List<String> tasks;
        try (var s = Files.list(work.resolve("data/tasks"))) {
            tasks = s.map(x -> x.getFileName().toString()).sorted().toList();
        }
        assertTrue(tasks.contains("entity-cloze.jsonl") && tasks.stream().anyMatch(t -> t.startsWith(
                "minimal-pairs-")), tasks.toString());
        for (String m : List.of("generator-0", "student-0", "reference")) {
            assertTrue(Files.exists(work.resolve("models").resolve(m).resolve("config.json")), m);
        }

        // the experiment: both strategies, the corpus's own topics and tasks, no generative tasks
        Path run = work.resolve("runs/own");
        List<IterationRecord> records = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("results.jsonl"))) {
            records.add(Json.reader().forType(IterationRecord.class).readValue(line));
        }
        assertEquals(4, records.size(), "2 strategies x iterations 0 and 1, once: the second run redid nothing");
        IterationRecord last = records.stream().filter(r -> r.strategy().equals("symbiosis") && r.iteration() == 1)
                .findFirst().orElseThrow();
        assertTrue(Double.isFinite(last.headlineValue()));
        assertTrue(last.evaluation().keySet().stream().anyMatch(k -> k.startsWith("mc.acc.minimal-pairs-"))
                && last.evaluation().containsKey("mc.acc.entity-cloze"), last.evaluation().keySet().toString());
        assertFalse(last.evaluation().keySet().stream().anyMatch(k -> k.startsWith("gen.")));
        JsonNode runConfig = Json.parse(Files.readString(run.resolve("run-config.json")));
        List<String> topics = new ArrayList<>();
        runConfig.at("/components/curriculum/settings/topics").forEach(t -> topics.add(t.asText()));
        System.out.println("guide: topics " + topics);
        assertTrue(topics.size() >= 12 && topics.stream().anyMatch(java.util.Set.of("harbour", "tide", "orchard",
                "tree", "letter", "cargo")::contains), "topics of the corpus, not the embedded ones: " + topics);
        assertFalse(topics.contains("government"));
        assertEquals(work.resolve("data/pool.jsonl.gz").toRealPath().toString(),
                runConfig.at("/experiment/data/pool").asText(), "the configuration's paths, resolved");
        assertTrue(Files.exists(run.resolve("report.html")));

        // the metrics command gave the report's figures of that iteration
        int metrics = commands.indexOf(commands.stream().filter(c -> c.get(0).equals("metrics")).findFirst()
                .orElseThrow());
        JsonNode figures = Json.parse(Files.readString(work.resolve("guide-out/" + metrics + ".out")));
        for (Map.Entry<String, Double> e : last.synthetic().entrySet()) {
            if (Double.isFinite(e.getValue())) {
                assertEquals(e.getValue(), figures.get(e.getKey()).asDouble(), 0.0, e.getKey());
            }
        }
        assertEquals(last.synthetic().size(), figures.size());
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
