package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step A topics derived from the seed split: the rule, its configuration, and what a run records of it. */
class SeedTopicsTest {

    private static Document doc(String domain, int n, String text) {
        return new Document(domain + "-" + n, text, Provenance.of(domain));
    }

    /**
     * Two domains. Kitchen: "bread" in 3 documents; "flour" in 2 (3 times), "oven" and "water" in 2 (twice each);
     * "market" in 1. Sea: "ship" and "water" in 3 (3 times each), "harbour" in 2, "captain", "dawn", "side" in 1.
     */
    static List<Document> corpus() {
        return List.of(
                doc("kitchen", 1, "The bread is in the oven. The flour is fine and the flour is dry."),
                doc("kitchen", 2, "She bought bread and flour at the market with some water."),
                doc("kitchen", 3, "The bread needs water. The oven is hot."),
                doc("sea", 1, "The ship left the harbour at dawn. The water was calm."),
                doc("sea", 2, "The captain saw the ship and the water over the side."),
                doc("sea", 3, "The ship returned to the harbour. The water was grey."));
    }

    @Test
    void theMostWidespreadNounsOfEachDomainInDomainOrderWithoutRepeats() {
        // kitchen: bread (3 documents), flour (2 documents, 3 times), oven (2, 2: ties water, first by name);
        // sea: ship and water tie on documents and occurrences (ship first by name), harbour
        assertEquals(List.of("bread", "flour", "oven", "ship", "water", "harbour"),
                SeedTopics.builder().optPerDomain(3).build().topics(corpus()));
        // with four per domain kitchen takes water, so sea goes on to its next words (ties by name)
        List<String> four = SeedTopics.builder().optPerDomain(4).build().topics(corpus());
        assertEquals(List.of("bread", "flour", "oven", "water", "ship", "harbour", "captain", "dawn"), four);
        // each topic with the domain that contributed it ("water" is kitchen's: the sea cannot take it again)
        Map<String, String> domains = SeedTopics.builder().optPerDomain(4).build().topicDomains(corpus());
        assertEquals(four, List.copyOf(domains.keySet()));
        assertEquals(List.of("kitchen", "kitchen", "kitchen", "kitchen", "sea", "sea", "sea", "sea"),
                List.copyOf(domains.values()));
        // the order of documents does not matter while every domain is read whole
        List<Document> reversed = new ArrayList<>(corpus());
        Collections.reverse(reversed);
        assertEquals(four, SeedTopics.builder().optPerDomain(4).build().topics(reversed));
        // ... and only through the character limit when it is not: the first kitchen document alone
        assertEquals(List.of("flour", "bread"), SeedTopics.builder().optPerDomain(2).optMaxCharsPerDomain(10)
                .build().topics(corpus().subList(0, 3)));
        // exclusions (any case) and the minimum length; nothing qualifies: no topic
        assertEquals(List.of("flour", "water"), SeedTopics.builder().optPerDomain(1)
                .optExclude(List.of("Bread", "SHIP")).build().topics(corpus()));
        assertEquals(List.of(), SeedTopics.builder().optMinLetters(20).build().topics(corpus()));
        assertEquals(List.of(), SeedTopics.builder().build().topics(List.of()));
        // a regular plural counts as its singular when the singular occurs: whale is in two documents, as ship
        List<Document> whales = List.of(doc("sea", 1, "The whales swam near the ship."),
                doc("sea", 2, "A whale sang to the ship."), doc("sea", 3, "The boat drifted."));
        assertEquals(List.of("ship", "whale"), SeedTopics.builder().optPerDomain(2).build().topics(whales));
        assertThrows(IllegalArgumentException.class, () -> SeedTopics.builder().optPerDomain(0));
    }

    @Test
    void topicsFromSeedIsAConfigurationKeyExclusiveWithTopics(@TempDir Path dir) throws IOException {
        String smoke = ExperimentConfig.preset("smoke").toJson();
        assertTrue(smoke.contains("\"topicsFromSeed\" : null"), "the presets list their topics");
        Path f = dir.resolve("derived.json");
        String listed = smoke.replaceAll("\"topics\" : \\[[^\\]]*\\]", "\"topics\" : [ ]");
        assertTrue(!listed.equals(smoke), "the smoke preset lists its topics");
        Files.writeString(f, listed.replace("\"topics\" : [ ]", "\"topics\" : null")
                .replace("\"topicsFromSeed\" : null", "\"topicsFromSeed\" : {\"perDomain\": 5}"));
        ExperimentConfig c = ExperimentConfig.read(f);
        assertEquals(new ExperimentConfig.TopicsFromSeed(5, SeedTopics.DEFAULT_MAX_CHARS_PER_DOMAIN,
                SeedTopics.DEFAULT_MIN_LETTERS, List.of()), c.prompting().topicsFromSeed());
        assertEquals(null, c.prompting().topics());
        assertThrows(IllegalStateException.class, c::curriculum);
        Files.writeString(f, c.toJson());
        assertEquals(c, ExperimentConfig.read(f));

        Files.writeString(f, smoke.replace("\"topicsFromSeed\" : null", "\"topicsFromSeed\" : {}"));
        IOException both = assertThrows(IOException.class, () -> ExperimentConfig.read(f));
        assertTrue(both.getMessage().contains("topicsFromSeed") && both.getMessage().contains("'topics'"),
                both.getMessage());
        Files.writeString(f, listed.replace("\"topics\" : [ ]", "\"topics\" : null")
                .replace("\"topicsFromSeed\" : null", "\"topicsFromSeed\" : {\"perDomain\": 0}"));
        IOException zero = assertThrows(IOException.class, () -> ExperimentConfig.read(f));
        assertTrue(zero.getMessage().contains("prompting.topicsFromSeed.perDomain"), zero.getMessage());
        Files.writeString(f, listed.replace("\"topics\" : [ ]", "\"topics\" : [\"war\", \"peace\"]"));
        assertEquals(List.of("war", "peace"), ExperimentConfig.read(f).prompting().topics());
    }

    /** One iteration of static synthetic data at smoke size, two topics per domain derived from the seed split. */
    private static ExperimentConfig topicsRun() {
        return ExperimentConfig.builder("smoke").optPreset("topics").optIterations(1)
                .optTokenBudget(256).optStrategies(List.of("static-synthetic")).optEvalItemsPerTask(2)
                .optHeldOutDocsPerDomain(1)
                .optPrompting(ExperimentConfig.Prompting.PREFIX.withTopicsFromSeed(
                        new ExperimentConfig.TopicsFromSeed(2, 100_000, 3, List.of())))
                .build();
    }

    @Test
    void aRunDerivesItsTopicsFromTheSeedSplitAndRecordsThem(@TempDir Path out) throws IOException {
        ExperimentConfig cfg = topicsRun();
        List<String> expected = SeedTopics.builder().optPerDomain(2).build().topics(corpus());
        ExperimentRunner.builder(cfg).optOutput(out).optNoMeasure().optSeedDocuments(corpus())
                .optGenerator(seed -> CharBigramModel.trainedOn("g", List.of("The bread is warm. The ship is big.")))
                .optStudent(seed -> CharBigramModel.trainedOn("s", List.of("The sea is wide.")))
                .build().run();
        JsonNode runConfig = Json.reader().readTree(Files.readAllBytes(out.resolve("run-config.json")));
        assertEquals(2, runConfig.at("/experiment/prompting/topicsFromSeed/perDomain").asInt());
        List<String> recorded = new ArrayList<>();
        runConfig.at("/components/curriculum/settings/topics").forEach(n -> recorded.add(n.asText()));
        assertEquals(expected, recorded);
        assertEquals(6, runConfig.at("/components/data/seed/documents").asInt(), "the seed split is fingerprinted");
        Set<String> used = new HashSet<>();
        for (String line : Files.readAllLines(out.resolve("static-synthetic/iter-1/synthetic.jsonl"))) {
            used.add(Json.reader().readTree(line).at("/prompt_provenance/attributes/topic").asText());
        }
        assertTrue(!used.isEmpty() && expected.containsAll(used), used + " not in " + expected);
    }

    @Test
    void theMeasurementLearnsTheFidelityDocumentsAndTheDomainOfEveryDerivedTopic(@TempDir Path out)
            throws IOException {
        ExperimentConfig cfg = topicsRun();
        List<Document> fidelity = List.of(doc("kitchen", 9, "The loaf is brown."), doc("sea", 9, "A gull cried."));
        List<Object> given = new ArrayList<>();
        ExperimentRunner.MeasureFactory factory = new ExperimentRunner.MeasureFactory() {
            @Override
            public dev.symbiosis.core.measure.TextSetMeasure create(ExperimentConfig c, List<String> texts,
                    dev.symbiosis.core.model.LanguageModel reference) {
                throw new AssertionError("the runner gives the documents");
            }

            @Override
            public dev.symbiosis.core.measure.TextSetMeasure create(ExperimentConfig c, List<Document> docs,
                    Map<String, String> topicDomains, dev.symbiosis.core.model.LanguageModel reference) {
                given.add(docs);
                given.add(topicDomains);
                return texts -> new java.util.TreeMap<>(Map.of("count", (double) texts.size()));
            }
        };
        ExperimentRunner.builder(cfg).optOutput(out).optMeasure(factory).optSeedDocuments(corpus())
                .optFidelityText(fidelity)
                .optReference(seed -> CharBigramModel.trainedOn("r", List.of("The loaf is brown.")))
                .optGenerator(seed -> CharBigramModel.trainedOn("g", List.of("The bread is warm. The ship is big.")))
                .optStudent(seed -> CharBigramModel.trainedOn("s", List.of("The sea is wide.")))
                .build().run();
        assertEquals(List.of(fidelity, Map.of("bread", "kitchen", "flour", "kitchen", "ship", "sea", "water", "sea")),
                given);
    }
}
