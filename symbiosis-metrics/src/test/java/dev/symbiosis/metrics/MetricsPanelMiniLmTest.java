package dev.symbiosis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The panel end to end with the real sentence encoder (loaded once for the class). */
class MetricsPanelMiniLmTest {

    private static MiniLmEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = MiniLmEncoder.builder().threads(2).build();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static final List<String> VARIED = List.of(
            "The river flooded the lower town after three days of rain.",
            "She practised the cello every morning before school.",
            "Interest rates rose for the fourth time this year.",
            "The recipe calls for two cups of flour and a pinch of salt.",
            "Astronomers found a planet orbiting a distant red dwarf.",
            "The goalkeeper saved a penalty in the final minute.",
            "Volunteers planted a hundred oak trees along the road.",
            "The new phone has a larger screen and a faster chip.",
            "He forgot his umbrella on the crowded train.",
            "The museum reopened after a long renovation.",
            "Bees communicate the location of flowers by dancing.",
            "The senator announced she would not run again.",
            "A strong earthquake shook the coastal city at dawn.",
            "The children built a snowman in the park.",
            "Our flight was delayed because of fog in London.",
            "The novel follows a family across three generations.",
            "Doctors recommend drinking water throughout the day.",
            "The bridge will be closed for repairs until June.",
            "A fox crept quietly through the vegetable garden.",
            "The software update fixed several security flaws.");

    static List<String> paraphrases() {
        List<String> out = new ArrayList<>();
        String[] subjects = {"The cat", "A cat", "The small cat", "Our cat", "The grey cat"};
        String[] verbs = {"sleeps", "is sleeping", "naps", "dozes"};
        for (int i = 0; i < 20; i++) {
            out.add(subjects[i % 5] + " " + verbs[i % 4] + " on the sofa" + (i % 3 == 0 ? " all afternoon." : "."));
        }
        return out;
    }

    @Test
    void variedSentencesAreMoreDiverseThanParaphrases() {
        MetricsPanel panel = MetricsPanel.builder().encoder(encoder).referenceTexts(VARIED).hullDimension(3)
                .syntax(false).build();
        SortedMap<String, Double> varied = panel.measure(VARIED);
        SortedMap<String, Double> same = panel.measure(paraphrases());
        assertEquals(20, varied.get("panel.measured_texts"));
        for (String name : List.of("semantic.mean_cosine_distance", "semantic.vendi", "semantic.hull_volume_k3",
                "semantic.logdet_cov", "lexical.ttr")) {
            assertTrue(varied.get(name) > same.get(name), name + ": " + varied.get(name) + " vs " + same.get(name));
        }
        assertTrue(varied.get("semantic.mean_cosine_distance") > 0.8, "" + varied);
        assertTrue(same.get("semantic.mean_cosine_distance") < 0.35, "" + same);
    }
}
