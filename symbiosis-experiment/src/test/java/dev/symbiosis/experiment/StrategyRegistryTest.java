package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.Strategies;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Strategies by name: the standard ones, users' own, and the refusals that name what is known. */
class StrategyRegistryTest {

    private static StrategyContext context(AtomicInteger seedReads) {
        List<Document> seed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seed.add(new Document("s" + i, "text " + i, Provenance.of("seed")));
        }
        return new StrategyContext(ExperimentConfig.preset("smoke").toBuilder().optAccumulateSample(3).build(), 42,
                () -> {
                    seedReads.incrementAndGet();
                    return seed;
                });
    }

    @Test
    void theStandardRegistryMakesEveryNamedStrategyFreshAndReadsSeedDataOnlyForAccumulate() {
        StrategyRegistry r = StrategyRegistry.standard();
        assertEquals(Strategies.NAMES, List.copyOf(r.names()));
        AtomicInteger reads = new AtomicInteger();
        StrategyContext ctx = context(reads);
        for (String name : Strategies.NAMES) {
            if (!name.startsWith("recursive-accumulate")) {
                Strategy s = r.create(name, ctx);
                assertEquals(name, s.name());
                assertTrue(s != r.create(name, ctx), "a fresh object per call (strategies keep state)");
            }
        }
        assertEquals(0, reads.get());
        Strategy accumulate = r.create("recursive-accumulate", ctx);
        assertEquals(3, accumulate.settings().get("seedDocuments"));
        r.create("recursive-accumulate", ctx);
        assertEquals(1, reads.get(), "the seed documents are read once");
        assertEquals(3, r.create("recursive-accumulate-growing", ctx).settings().get("seedDocuments"));
        assertEquals(1, reads.get(), "and shared by both accumulate variants");
        assertEquals(2, r.create("static-synthetic", ctx).settings().get("sizeInBudgets"));
    }

    @Test
    void ownStrategiesAreRegisteredAndWrongNamesRefused() {
        StrategyRegistry r = StrategyRegistry.standard().register("mine", c -> new Strategy() {
            @Override
            public String name() {
                return "mine";
            }

            @Override
            public IterationData prepare(dev.symbiosis.core.loop.IterationContext ctx) {
                throw new UnsupportedOperationException();
            }
        });
        StrategyContext ctx = context(new AtomicInteger());
        assertEquals("mine", r.create("mine", ctx).name());
        r.checkKnown(List.of("mine", "symbiosis"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> r.checkKnown(List.of("theirs")));
        assertTrue(unknown.getMessage().contains("theirs") && unknown.getMessage().contains("mine"));
        r.register("impostor", c -> new RealUpperBound());
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> r.create("impostor", ctx));
        assertTrue(named.getMessage().contains("real-upper-bound"), named.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.register("Not A Name", c -> new RealUpperBound()));
    }

    @Test
    void combinationsOfComponentsAreMadeByNameAndBadOnesRefusedNamingTheComponent() {
        StrategyRegistry r = StrategyRegistry.standard();
        StrategyContext ctx = context(new AtomicInteger());
        Strategy combined = r.create("symbiosis+gap+masked+reset", ctx);
        assertEquals("symbiosis+gap+masked+reset", combined.name());
        assertEquals(true, combined.settings().get("teachableGap"));
        assertEquals(true, combined.settings().get("maskedContext"));
        assertEquals(true, combined.settings().get("generatorReset"));
        assertTrue(combined != r.create("symbiosis+gap+masked+reset", ctx), "a fresh object per call");
        assertTrue(r.contains("symbiosis+gap") && r.contains("symbiosis-generator-reset"));
        assertTrue(!r.contains("symbiosis+gap+gap"));
        r.checkKnown(List.of("symbiosis", "symbiosis+gap+reset", "symbiosis-masked-context"));

        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> r.checkKnown(List.of("symbiosis", "symbiosis+gap+rset")));
        assertTrue(typo.getMessage().contains("'rset'") && typo.getMessage().contains("reset"), typo.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> r.create("symbiosis+masked+gap", ctx));
        assertTrue(order.getMessage().contains("symbiosis+gap+masked"), order.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> r.create("real-mixing+gap", ctx));
        assertTrue(unknown.getMessage().contains("is not a base of combinations"), unknown.getMessage());

        assertTrue(StrategyRegistry.isValidName("symbiosis+gap"));
        assertTrue(!StrategyRegistry.isValidName("symbiosis+") && !StrategyRegistry.isValidName("+gap")
                && !StrategyRegistry.isValidName("symbiosis++gap"));
        // an experiment may list them; the configuration checks their form, the runner that they are known
        ExperimentConfig cfg = ExperimentConfig.preset("smoke").toBuilder()
                .optStrategies(List.of("symbiosis", "symbiosis+gap+masked+reset")).build();
        assertEquals(List.of("symbiosis", "symbiosis+gap+masked+reset"), cfg.strategies());
    }

    @Test
    void combinationsAreKnownToTheStandardRegistryOnlyAndBadOnesSayWhy() {
        StrategyRegistry r = StrategyRegistry.standard();
        StrategyContext ctx = context(new AtomicInteger());
        for (String name : List.of("symbiosis+rest", "symbiosis+dpo+k8", "symbiosis-frozen-generator+rest")) {
            assertTrue(StrategyRegistry.isValidName(name), name);
            assertTrue(r.contains(name), name);
            assertEquals(name, r.create(name, ctx).name());
        }
        r.checkKnown(List.of("symbiosis", "symbiosis+rest"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> r.checkKnown(List.of("symbiosis+rest+dpo")));
        assertTrue(bad.getMessage().contains("choose one of +rest and +dpo"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.create("symbiosis+nothing", ctx));
        assertTrue(!StrategyRegistry.isValidName("symbiosis+") && !StrategyRegistry.isValidName("+rest"));
        // issue 17's two sets of components compose in one name: the components' parser knows rest and dpo
        Strategy gapRest = r.create("symbiosis+gap+rest", ctx);
        assertEquals(true, gapRest.settings().get("teachableGap"));
        assertEquals("REST", String.valueOf(gapRest.settings().get("rewardUpdate")));
        IllegalArgumentException notComposed = assertThrows(IllegalArgumentException.class,
                () -> r.create("symbiosis+masked+rest", ctx));
        assertTrue(notComposed.getMessage().contains("not composed yet"), notComposed.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> r.create("symbiosis+gap+rest+dpo", ctx));
        assertTrue(both.getMessage().contains("choose one of +rest and +dpo"), both.getMessage());
        StrategyRegistry empty = StrategyRegistry.empty();
        assertTrue(!empty.contains("symbiosis+rest"), "an empty registry knows no combination");
    }
}
