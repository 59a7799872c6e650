package dev.symbiosis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NearDuplicatesTest {

    private static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("NearDuplicatesTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String words(String[] w, int from, int to) {
        return String.join(" ", Arrays.copyOfRange(w, from, to));
    }

    @Test
    void equalsNearDuplicateFilterOnASmallCorpus() throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<String> base = new ArrayList<>();
        for (String l : TestAssets.bundleLines("stream", 30)) {
            base.add(m.readTree(l).get("text").textValue());
        }
        List<String> texts = new ArrayList<>(base.subList(0, 20));
        texts.add(base.get(0)); // exact duplicate
        texts.add(base.get(1).replaceFirst("\\b(\\w+)\\b", "Zebra")); // one word changed
        String[] w = base.get(3).split("\\s+");
        assertTrue(w.length >= 160, "document 3 has " + w.length + " words");
        // a chain: A ~ B and B ~ C (about 0.54) but A !~ C (about 0.25) at threshold 0.5
        texts.add(words(w, 0, 100));
        texts.add(words(w, 30, 130));
        texts.add(words(w, 60, 160));
        texts.add(base.get(5).substring(0, base.get(5).length() * 9 / 10)); // a truncation
        texts.addAll(base.subList(20, 30));
        texts.add(base.get(22)); // duplicate of a document of the second file
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = m.createObjectNode().put("id", "d" + i).put("text", texts.get(i)).toString();
            (i < 24 ? a : b).add(line);
        }
        TestAssets.writeLines(tmp.resolve("corpus/0.jsonl"), a);
        TestAssets.writeLines(tmp.resolve("corpus/1.jsonl"), b);

        NearDuplicates.Options o = new NearDuplicates.Options(tmp.resolve("corpus").toString()).threshold(0.5)
                .minHash(128, 3, 11L).output(tmp.resolve("out").toString(), OutputFormat.JSONL);
        NearDuplicates.Result r = NearDuplicates.run(spark, o);

        NearDuplicateFilter filter = o.filter();
        List<Corpus.Doc> docs = Corpus.readLocally(tmp.resolve("corpus").toString(), "text", new Configuration());
        List<Long> expectedKept = new ArrayList<>();
        for (Corpus.Doc d : docs) {
            if (filter.offer(d.text())) {
                expectedKept.add(d.order());
            }
        }
        assertEquals(texts.size(), r.documents());
        assertEquals(expectedKept, Arrays.stream(r.keptOrders()).boxed().toList());
        assertEquals(texts.size() - expectedKept.size(), r.dropped());
        // what the filter drops here: the exact duplicates, the one-word edit, the truncation and the chain's
        // middle; the chain's end is kept (only compared with kept documents)
        assertTrue(r.dropped() >= 5, "dropped " + r.dropped());
        List<String> keptIds = spark.read().json(tmp.resolve("out/kept").toString()).collectAsList().stream()
                .map(row -> row.<String>getAs("id")).toList();
        assertTrue(keptIds.contains("d22") && keptIds.contains("d24") && !keptIds.contains("d23"), "" + keptIds);
        List<Row> dropped = spark.read().json(tmp.resolve("out/dropped").toString()).collectAsList();
        assertEquals(r.dropped(), dropped.size());
        assertTrue(dropped.stream().anyMatch(row -> "d20".equals(row.getAs("id"))
                && "d0".equals(row.getAs("duplicate_of")) && row.<Double>getAs("similarity") == 1.0));
        assertTrue(r.recallAtThreshold() >= 0.999 && r.bands() * r.rows() <= 128);
    }

    @Test
    void defaultBandingReachesTheRecallTarget() {
        int[] br = NearDuplicates.defaultBanding(128, 0.8);
        assertTrue(NearDuplicates.candidateProbability(0.8, br[0], br[1]) >= 0.999);
        // one more row per band would miss the target
        int r2 = br[1] + 1;
        assertTrue(NearDuplicates.candidateProbability(0.8, 128 / r2, r2) < 0.999, Arrays.toString(br));
    }
}
