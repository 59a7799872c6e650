package dev.symbiosis.core.strategy;

import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The strategies by their stable names, for configurations that list strategies as strings (the experiment's
 * {@code strategies} field). A name is also the strategy's {@link Strategy#name()} and its run folder.
 *
 * <p>Thread-safe: holds only constants.
 */
public final class Strategies {

    /** The full method. */
    public static final String SYMBIOSIS = "symbiosis";

    /**
     * The ablations of the full method, each changing one component (see {@link SymbiosisStrategy}):
     * {@code symbiosis-frozen-generator}, {@code symbiosis-no-saliency}, {@code symbiosis-random-pool},
     * {@code symbiosis-hard-to-student}, {@code symbiosis-hotflip-hints}.
     */
    public static final List<String> ABLATIONS = List.of("symbiosis-frozen-generator", "symbiosis-no-saliency",
            "symbiosis-random-pool", "symbiosis-hard-to-student", "symbiosis-hotflip-hints");

    /** The baselines of the proposal (Section 3.2) and their variants. */
    public static final List<String> BASELINES = List.of("recursive-replace", "recursive-replace-from-initial",
            "recursive-accumulate", "static-synthetic", "real-mixing", "real-upper-bound");

    /** Every name {@link #byName} knows: the full method, its ablations, the baselines. */
    public static final List<String> NAMES = names();

    private Strategies() {}

    private static List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(SYMBIOSIS);
        all.addAll(ABLATIONS);
        all.addAll(BASELINES);
        return List.copyOf(all);
    }

    /** Whether {@code name} is one of {@link #NAMES}. */
    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }

    /**
     * The full method or one of its ablations, by name.
     *
     * @throws IllegalArgumentException if {@code name} is not {@code symbiosis} or one of {@link #ABLATIONS}
     */
    public static SymbiosisStrategy symbiosis(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "symbiosis" -> SymbiosisStrategy.create();
            case "symbiosis-frozen-generator" -> SymbiosisStrategy.frozenGenerator();
            case "symbiosis-no-saliency" -> SymbiosisStrategy.noSaliency();
            case "symbiosis-random-pool" -> SymbiosisStrategy.randomPool();
            case "symbiosis-hard-to-student" -> SymbiosisStrategy.hardToStudent();
            case "symbiosis-hotflip-hints" -> SymbiosisStrategy.hotflipHints();
            default -> throw new IllegalArgumentException("'" + name + "' is not symbiosis or one of its ablations "
                    + ABLATIONS);
        };
    }

    /**
     * A strategy by name.
     *
     * @param name one of {@link #NAMES}
     * @param accumulateSeedData the real seed data of {@code recursive-accumulate} (ignored by the others; must be
     *     non-empty for it)
     * @param staticSetBudgets size of the static set of {@code static-synthetic} in per-iteration budgets
     *     ({@code >= 1}; the experiment uses its number of iterations)
     * @throws IllegalArgumentException for an unknown name, naming the known ones
     */
    public static Strategy byName(String name, List<Document> accumulateSeedData, int staticSetBudgets) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "recursive-replace" -> RecursiveCollapse.replace();
            case "recursive-replace-from-initial" -> RecursiveCollapse.replaceFromInitialWeights();
            case "recursive-accumulate" -> RecursiveCollapse.accumulate(accumulateSeedData);
            case "static-synthetic" -> new StaticSynthetic(staticSetBudgets);
            case "real-mixing" -> RealMixing.golden();
            case "real-upper-bound" -> new RealUpperBound();
            default -> {
                if (!name.equals(SYMBIOSIS) && !ABLATIONS.contains(name)) {
                    throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + NAMES);
                }
                yield symbiosis(name);
            }
        };
    }
}
