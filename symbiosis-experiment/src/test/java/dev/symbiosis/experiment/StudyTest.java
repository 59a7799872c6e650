package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The confirmatory study over pairs ({@link Study}) on synthetic records with known differences. */
class StudyTest {

    private static final double LN2 = Math.log(2);
    private static final int DOCS = 20;
    private static final int T = 3;

    /** One domain of {@value #DOCS} documents of 100 bytes; document {@code j} has {@code bpb(j)} bits per byte. */
    private static void items(Path run, String strategy, int t, IntToDoubleFunction bpb) throws IOException {
        Path f = Files.createDirectories(run.resolve(strategy).resolve("iter-" + t)).resolve("items.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < DOCS; j++) {
            double v = bpb.applyAsDouble(j);
            sb.append(String.format(Locale.ROOT, "{\"kind\":\"bpb\",\"group\":\"x\",\"id\":\"d%d\",\"nll\":%s,"
                    + "\"bytes\":100,\"bpb\":%s}%n", j, v * 100 * LN2, v));
        }
        Files.writeString(f, sb);
    }

    /**
     * Two pairs of two runs: reference 2.0 -> 1.5 (gain 0.5, margin 0.1); static-synthetic 1.8; symbiosis 1.7 (0.1
     * better, noise +-0.01); the secondary arms at symbiosis' level + {@code secondaryShift} (recursive-replace
     * always 0.3 worse), each with alternating noise. results.jsonl: reference's bpb.macro 2.0 and 1.5 and Generator
     * 0's figure {@code 2.0 - advantage}.
     */
    private static List<Path> study(Path tmp, Map<String, Double> secondaryShift, double advantage)
            throws IOException {
        List<Path> pairs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            Path pairDir = tmp.resolve("pair-" + (p + 2));
            for (int r = 1; r <= 2; r++) {
                Path dir = pairDir.resolve("seed-" + r);
                items(dir, "real-upper-bound", 0, j -> 2.0);
                items(dir, "real-upper-bound", T, j -> 1.5);
                items(dir, "static-synthetic", T, j -> 1.8 + (j % 2 == 0 ? 0.01 : -0.01));
                items(dir, "symbiosis", T, j -> 1.7 + (j % 2 == 0 ? 0.01 : -0.01));
                for (String s : Study.SECONDARY) {
                    double shift = secondaryShift.getOrDefault(s, 0.0);
                    items(dir, s, T, j -> 1.7 + shift + (j % 3 == 0 ? 0.02 : -0.01));
                }
                Files.writeString(dir.resolve("results.jsonl"), String.format(Locale.ROOT,
                        "{\"strategy\":\"real-upper-bound\",\"iteration\":0,\"evaluation\":{\"bpb.macro\":2.0,"
                        + "\"generator.bpb.macro\":%s}}%n{\"strategy\":\"real-upper-bound\",\"iteration\":%d,"
                        + "\"evaluation\":{\"bpb.macro\":1.5}}%n", 2.0 - advantage, T));
                // compute: symbiosis 1000 + 100 r student positions per iteration and 500 Generator ones,
                // static synthetic 400 student positions; iteration 0 lines carry none and count for nothing
                StringBuilder timings = new StringBuilder();
                for (int t = 0; t <= T; t++) {
                    timings.append(String.format(Locale.ROOT, "{\"strategy\":\"symbiosis\",\"iteration\":%d,"
                            + "\"seconds\":{\"train\":1.0},\"compute\":{\"tokens.forward.student\":%d,"
                            + "\"tokens.forward.generator\":%d}}%n", t, t == 0 ? 0 : 1000 + 100 * r, t == 0 ? 0 : 500));
                    timings.append(String.format(Locale.ROOT, "{\"strategy\":\"static-synthetic\",\"iteration\":%d,"
                            + "\"seconds\":{\"train\":1.0},\"compute\":{\"tokens.backward.student\":%d}}%n", t,
                            t == 0 ? 0 : 400));
                }
                Files.writeString(dir.resolve(ComputePerArm.TIMINGS), timings);
            }
            pairs.add(pairDir);
        }
        return pairs;
    }

    @Test
    void declaredComparisonsConditionsAndFilesOverPairsOfRuns(@TempDir Path tmp) throws IOException {
        List<Path> folders = study(tmp, Map.of("recursive-replace", 0.3, "real-mixing", 0.0), 0.12);
        List<Study.Pair> pairs = Study.pairs(folders);
        assertEquals(List.of("pair-2", "pair-3"), pairs.stream().map(Study.Pair::name).toList());
        assertEquals(2, pairs.get(0).runs().size(), "the seed-* folders of a pair are its runs");
        Study.Result r = Study.compute(pairs, T);

        GainRecovered.Comparison p = r.primary().comparison();
        assertEquals(-0.1, p.difference(), 1e-9);
        assertEquals(GainRecovered.Verdict.BETTER, p.verdict());
        assertEquals(0.0, p.p(), 0.0, "every resampled mean is below 0");
        assertEquals(4, p.runs());
        assertEquals(2, p.pairs());

        Map<String, Study.Tested> byArm = new java.util.HashMap<>();
        r.secondary().forEach(t -> byArm.put(t.comparison().b(), t));
        assertEquals(List.copyOf(Study.SECONDARY), r.secondary().stream().map(t -> t.comparison().b()).toList());
        Study.Tested recursive = byArm.get("recursive-replace");
        // the arm's noise averages +0.0005 over the 20 documents (7 x +0.02, 13 x -0.01)
        assertEquals(-0.3005, recursive.comparison().difference(), 1e-9);
        assertTrue(recursive.pHolm() < 0.01, "a difference of 0.3 with noise 0.02: " + recursive.pHolm());
        Study.Tested mixing = byArm.get("real-mixing");
        // symbiosis' noise +-0.01 against the arm's +0.02/-0.01: a small difference, well inside the margin 0.1
        assertTrue(Math.abs(mixing.comparison().difference()) < 0.01, mixing.toString());
        assertTrue(mixing.comparison().lower90() > -mixing.comparison().margin()
                && mixing.comparison().upper90() < mixing.comparison().margin(), "inside the margin: " + mixing);
        for (Study.Tested t : r.secondary()) {
            assertTrue(t.pHolm() >= t.comparison().p(), "Holm never lowers a p-value: " + t);
        }

        assertEquals(2, r.conditions().size());
        r.conditions().forEach(c -> {
            assertEquals(0.5, c.realGain(), 1e-12);
            assertEquals(0.12, c.generatorAdvantage(), 1e-12);
        });
        assertEquals(4, r.perRun().size());
        r.perRun().forEach(d -> assertEquals(-0.1, d.difference(), 1e-9));
        {
            GainRecovered.Row sym = r.gain().stream().filter(g -> g.strategy().equals("symbiosis")).findFirst()
                    .orElseThrow();
            // (2.0 - 1.7) / (2.0 - 1.5)
            assertEquals(0.6, sym.ratio(), 1e-9);
        }

        Path report = Study.write(r, tmp.resolve("report"));
        assertTrue(Files.readString(report).contains("Verdict: symbiosis better"));
        List<String> conditions = Files.readAllLines(tmp.resolve("report/study-conditions.csv"));
        assertEquals("pair-2,2,0.500000,0.120000,true,true", conditions.get(1));
        assertEquals(6, Files.readAllLines(tmp.resolve("report/study-comparisons.csv")).size());
        assertTrue(Files.size(tmp.resolve("report/plots/study-forest.png")) > 0);

        // compute per arm, mean per run over the 4 runs, 3 iterations each: symbiosis (1100 + 1200) / 2 x 3 = 3450
        // student positions and 1500 Generator ones; static synthetic 1200; arms without timing lines are left out
        assertEquals(List.of("symbiosis", "static-synthetic"), r.compute().stream().map(ComputePerArm.Row::strategy)
                .toList(), "in the protocol's order");
        assertEquals(List.of("strategy,runs,tokens.backward.generator,tokens.backward.student,tokens.forward.generator,"
                + "tokens.forward.student,tokens_total", "symbiosis,4,0.0,0.0,1500.0,3450.0,4950.0",
                "static-synthetic,4,0.0,1200.0,0.0,0.0,1200.0"),
                Files.readAllLines(tmp.resolve("report/study-compute.csv")));
        assertTrue(Files.readString(report).contains("<td>symbiosis</td><td>4</td><td>0.00</td><td>4.13</td>"),
                "4950 / 1200 times the primary's comparator");
    }

    @Test
    void aProtocolReadFromItsFileDeclaresTheComparisonsTheFamilyAndTheReportedArms(@TempDir Path tmp)
            throws IOException {
        List<Study.Pair> pairs = Study.pairs(study(tmp, Map.of("symbiosis-frozen-generator", -0.05), 0.12));
        Path file = tmp.resolve("method.json");
        Files.writeString(file, "{\"name\": \"issue 17\", \"primary\": [\"symbiosis-frozen-generator\","
                + " \"static-synthetic\"], \"secondary\": [[\"symbiosis-frozen-generator\", \"symbiosis\"]]}");
        Study.Protocol protocol = Study.Protocol.read(file);
        assertEquals(List.of("symbiosis-frozen-generator", "static-synthetic", "symbiosis", "real-upper-bound"),
                protocol.arms());
        Study.Result r = Study.compute(pairs, T, protocol);
        GainRecovered.Comparison p = r.primary().comparison();
        assertEquals("symbiosis-frozen-generator", p.a());
        // the frozen arm sits at 1.65 plus noise averaging +0.0005; static-synthetic at 1.8
        assertEquals(-0.1495, p.difference(), 1e-9);
        assertEquals(1, r.secondary().size());
        Study.Tested only = r.secondary().get(0);
        assertEquals(only.comparison().p(), only.pHolm(), 0.0, "a family of one is not adjusted");
        assertEquals(List.of("symbiosis-frozen-generator", "static-synthetic", "symbiosis", "real-upper-bound"),
                r.gain().stream().map(GainRecovered.Row::strategy).distinct().toList());
        r.perRun().forEach(d -> assertEquals(-0.1495, d.difference(), 0.02));
        Path report = Study.write(r, tmp.resolve("report"));
        String html = Files.readString(report);
        assertTrue(html.contains("Confirmatory study (issue 17)") && html.contains("Holm over the 1"), html);
        assertEquals(3, Files.readAllLines(tmp.resolve("report/study-comparisons.csv")).size());
        // the default protocol is docs/protocol.md's
        assertEquals(Study.Protocol.ISSUE_16.arms(), Study.compute(pairs, T).protocol().arms());

        Map<String, String> bad = Map.of(
                "{\"secondary\": []}", "primary must be",
                "{\"primary\": [\"a\"]}", "primary must be",
                "{\"primary\": [\"a\", \"a\"]}", "two different arms",
                "{\"primary\": [\"a\", \"b\"], \"secondary\": [[\"a\", \"b\"]]}", "declared twice",
                "{\"primary\": [\"a\", \"b\"], \"secondary\": {}}", "secondary must be an array",
                "{\"primary\": [\"a\", \"b\"], \"secondary\": [[\"a\", 3]]}", "secondary[0]",
                "[1, 2]", "not a JSON object");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Files.writeString(file, e.getKey());
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Study.Protocol.read(file),
                    e.getKey());
            assertTrue(x.getMessage().contains("method.json") && x.getMessage().contains(e.getValue()),
                    x.getMessage());
        }
    }

    @Test
    void armsOfOneRunThatStartFromDifferentModelsAreRefusedNamingTheRun(@TempDir Path tmp) throws IOException {
        List<Path> folders = study(tmp, Map.of(), 0.12);
        Path run = folders.get(1).resolve("seed-2");
        String same = "{\"strategy\":\"symbiosis\",\"iteration\":0,\"evaluation\":{\"bpb.macro\":2.0}}\n";
        Files.writeString(run.resolve("results.jsonl"), same, java.nio.file.StandardOpenOption.APPEND);
        Study.compute(Study.pairs(folders), T); // the same start: accepted
        // the same weights evaluated on another machine (a unit reused from a run elsewhere): the last digits differ
        Files.writeString(run.resolve("results.jsonl"), same.replace("2.0}", "2.0000000011}"),
                java.nio.file.StandardOpenOption.APPEND);
        Study.compute(Study.pairs(folders), T);
        // an arm resumed on a pair pretrained again: another Student 0
        Files.writeString(run.resolve("results.jsonl"), same.replace("2.0}", "2.0003}"),
                java.nio.file.StandardOpenOption.APPEND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Study.compute(Study.pairs(folders), T));
        assertTrue(e.getMessage().startsWith(run.toString()) && e.getMessage().contains("2.000300"), e.getMessage());
        // an arm outside the protocol is not its business
        Files.writeString(run.resolve("results.jsonl"), Files.readString(run.resolve("results.jsonl"))
                .replace("2.0003}", "2.0}").replace("2.0000000011}", "2.0}") + same.replace("\"symbiosis\"", "\"other-arm\"").replace("2.0}", "2.5}"));
        Study.compute(Study.pairs(folders), T);
    }

    @Test
    void aBootstrapPOfZeroIsReportedAsTheBootstrapsResolution() {
        assertEquals("&lt; 0.00020", Study.pValue(0));
        assertEquals("0.188", Study.pValue(0.1876));
        assertEquals("0.000800", Study.pValue(0.0008));
        assertEquals("1.00", Study.pValue(1));
    }

    @Test
    void aFolderWithoutRecordsIsNamed(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Study.pairs(List.of(tmp.resolve("empty"))));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("results.jsonl"), e.getMessage());
    }
}
