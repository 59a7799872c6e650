package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.model.TrainingReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregate's arithmetic on hand-made seed folders (no models). */
class SeedStatisticsTest {

    private static final double LN2 = Math.log(2);

    @Test
    void itemContributionsAverageToTheMacroFigures(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("items.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"kind\":\"bpb\",\"group\":\"news\",\"id\":\"a\",\"nll\":10.0,\"bytes\":8}",
                "{\"kind\":\"bpb\",\"group\":\"news\",\"id\":\"b\",\"nll\":30.0,\"bytes\":24}",
                "{\"kind\":\"bpb\",\"group\":\"wiki\",\"id\":\"c\",\"nll\":5.0,\"bytes\":2}",
                "{\"kind\":\"mc\",\"group\":\"t1\",\"id\":\"1\",\"correct\":1,\"correct_norm\":0}",
                "{\"kind\":\"mc\",\"group\":\"t1\",\"id\":\"2\",\"correct\":0,\"correct_norm\":0}",
                "{\"kind\":\"mc\",\"group\":\"t2\",\"id\":\"3\",\"correct\":1,\"correct_norm\":1}") + "\n");
        Map<String, SortedMap<String, Double>> c = SeedStatistics.contributions(f,
                ItemRecordingEvaluator.read(dir), Set.of("t2"));
        // bpb.macro = mean(news 40 / ln2 / 32, wiki 5 / ln2 / 2)
        double macro = (40 / LN2 / 32 + 5 / LN2 / 2) / 2;
        assertEquals(macro, mean(c.get("bpb.macro")), 1e-12);
        assertEquals(3, c.get("bpb.macro").size());
        // acc macro over t1 (1/2) and t2 (1/1); headline only t2
        assertEquals(0.75, mean(c.get("mc.acc.macro")), 1e-12);
        assertEquals(1.0, mean(c.get("mc.headline_acc")), 1e-12);
        assertEquals(1, c.get("mc.headline_acc").size());

        Files.writeString(f, "{\"kind\":\"ppl\",\"group\":\"x\",\"id\":\"1\"}\n");
        IOException e = assertThrows(IOException.class, () -> SeedStatistics.contributions(f,
                ItemRecordingEvaluator.read(dir), Set.of()));
        assertTrue(e.getMessage().contains("items.jsonl") && e.getMessage().contains("ppl"), e.getMessage());
        Files.writeString(f, "{\"kind\":\"mc\",\"id\":\"1\"}\n");
        IOException missing = assertThrows(IOException.class, () -> ItemRecordingEvaluator.read(dir));
        assertTrue(missing.getMessage().contains("items.jsonl:1") && missing.getMessage().contains("group"),
                missing.getMessage());
    }

    @Test
    void pairedDifferencesAndMeansOverSeeds(@TempDir Path dir) throws IOException {
        // two strategies, three seeds, one iteration; "b" is worse than "a" by 0.1 nats per byte on every document
        List<SeedStatistics.SeedRun> runs = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Path sd = dir.resolve("seed-" + s);
            List<IterationRecord> records = new ArrayList<>();
            for (String strategy : List.of("a", "b")) {
                for (int t = 0; t <= 1; t++) {
                    double shift = strategy.equals("b") && t == 1 ? 0.1 : 0.0;
                    List<String> lines = new ArrayList<>();
                    double news = 0;
                    double wiki = 0;
                    for (int d = 0; d < 4; d++) {
                        double nll = 10 + d + s + shift * 10;
                        lines.add("{\"kind\":\"bpb\",\"group\":\"" + (d < 2 ? "news" : "wiki") + "\",\"id\":\"" + d
                                + "\",\"nll\":" + nll + ",\"bytes\":10}");
                        if (d < 2) {
                            news += nll;
                        } else {
                            wiki += nll;
                        }
                    }
                    Path it = sd.resolve(strategy).resolve("iter-" + t);
                    Files.createDirectories(it);
                    Files.writeString(it.resolve("items.jsonl"), String.join("\n", lines) + "\n");
                    SortedMap<String, Double> eval = new TreeMap<>();
                    eval.put("bpb.macro", (news / LN2 / 20 + wiki / LN2 / 20) / 2);
                    SortedMap<String, Double> data = new TreeMap<>();
                    if (t == 1) {
                        data.put("lexical.ttr", 0.5 + 0.1 * s);
                    }
                    records.add(new IterationRecord(strategy, t, "bpb.macro", eval, data, null,
                            TrainingReport.empty(), null, null, 0, 0, 0, false, null));
                }
            }
            runs.add(new SeedStatistics.SeedRun(s, sd, records));
        }
        SeedStatistics st = SeedStatistics.compute(runs, List.of("a", "b"), 1, new PrintStream(
                PrintStream.nullOutputStream()));
        assertTrue(st.warnings().isEmpty(), st.warnings().toString());
        SeedStatistics.FigureSummary ttr = st.summary("data", "lexical.ttr", "a", 1).orElseThrow();
        assertEquals(0.6, ttr.mean(), 1e-12);
        assertEquals(0.1, ttr.sd(), 1e-12);
        assertEquals(3, ttr.seeds());
        assertTrue(st.summary("data", "lexical.ttr", "a", 0).isEmpty());
        SeedStatistics.PairedComparison c = st.paired(HeldOutEvaluator.BPB_MACRO, "a", "b", 1).orElseThrow();
        // every document's nll grows by 1 nat on 10 bytes: the macro grows by 1 / ln 2 / 10
        assertEquals(-1 / LN2 / 10, c.meanDifference(), 1e-12);
        assertEquals(c.meanDifference(), c.lower95(), 1e-12); // constant differences: a degenerate interval
        assertEquals("a", c.better().orElseThrow()); // lower bits per byte is better
        assertEquals("a", c.flipped().better().orElseThrow());
        assertEquals(-c.meanDifference(), st.paired(HeldOutEvaluator.BPB_MACRO, "b", "a", 1).orElseThrow()
                .meanDifference(), 0.0);
        assertEquals(3, c.seeds());
        assertEquals(4, c.items());
        assertEquals(2.0 / 16, c.pPermutation(), 1e-12); // exact sign-flip on 4 equal differences
        assertTrue(c.last());

        st.write(dir);
        assertTrue(Files.readString(dir.resolve("stats-paired.csv")).lines().count() >= 2);
        Path report = Report.writeAggregate(dir, st, "test", "<p>pre</p>");
        String html = Files.readString(report);
        assertTrue(html.contains("Paired tests at the final iteration") && html.contains("lexical.ttr"));
        assertTrue(html.contains("no ablation"));
    }

    private static double mean(SortedMap<String, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
