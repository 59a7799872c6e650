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

    /**
     * The baselines of the proposal (Section 3.2) and their variants as the literature runs them
     * ({@link RecursiveCollapse}: first teacher made explicit, the growing accumulate set of Gerstgrasser et al.,
     * recursive training with 1/phi fresh real text).
     */
    public static final List<String> BASELINES = List.of("recursive-replace", "recursive-replace-self",
            "recursive-replace-from-initial", "recursive-accumulate", "recursive-accumulate-growing",
            "recursive-real-mixing", "static-synthetic", "real-mixing", "real-upper-bound");

    /**
     * Controls: {@code symbiosis-random-saliency} (random spans instead of the salient ones),
     * {@code static-synthetic-student0} (the static set written by Student 0), {@code random-real-to-student}
     * (random real pool windows to the Student, the real-token share of {@code symbiosis-hard-to-student}).
     */
    public static final List<String> CONTROLS = List.of("symbiosis-random-saliency", "static-synthetic-student0",
            "random-real-to-student");

    /**
     * Student-rewarded teaching (issue 17, point 2; {@link SymbiosisStrategy.Builder#optStudentReward}) with
     * {@link StudentReward#DEFAULT_CANDIDATES} candidates: {@code symbiosis-rest}, {@code symbiosis-dpo}; and its
     * matched-compute controls, best-of-k by the Generator's own likelihood with the same k:
     * {@code symbiosis-frozen-generator-best-of-k}, {@code static-synthetic-best-of-k}.
     */
    public static final List<String> STUDENT_REWARDED = List.of("symbiosis-rest", "symbiosis-dpo",
            "symbiosis-frozen-generator-best-of-k", "static-synthetic-best-of-k");

    /**
     * Issue 17's other components, each added alone to the full method ({@link SymbiosisComponents}):
     * {@code symbiosis-teachable-gap}, {@code symbiosis-masked-context}, {@code symbiosis-generator-reset},
     * {@code symbiosis-generator-low-lr}.
     * Combinations ({@code symbiosis+gap+masked+reset}, {@code symbiosis+gap+rest},
     * {@code symbiosis-frozen-generator+rest+k8}; {@link SymbiosisComponents}) are known to {@link #byName} too, but
     * not listed.
     */
    public static final List<String> COMPONENTS = SymbiosisComponents.singleComponentArms().stream()
            .filter(a -> !STUDENT_REWARDED.contains(a)).toList();

    /**
     * Every listed name {@link #byName} knows: the full method, its ablations, the baselines, the controls, the
     * single-component arms and {@link #STUDENT_REWARDED}. Combinations are not listed.
     */
    public static final List<String> NAMES = names();

    /** The controls {@link #symbiosis} makes (variants of the full method's flow). */
    private static final List<String> SYMBIOSIS_CONTROLS = List.of("symbiosis-random-saliency",
            "random-real-to-student");

    private Strategies() {}

    private static List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(SYMBIOSIS);
        all.addAll(ABLATIONS);
        all.addAll(BASELINES);
        all.addAll(CONTROLS);
        all.addAll(COMPONENTS);
        all.addAll(STUDENT_REWARDED);
        return List.copyOf(all);
    }

    /** Whether {@code name} is one of {@link #NAMES} or a valid combination ({@link SymbiosisComponents}). */
    public static boolean isKnown(String name) {
        return NAMES.contains(name) || SymbiosisComponents.isKnown(name);
    }

    /**
     * The full method or one of its ablations, by name.
     *
     * @throws IllegalArgumentException if {@code name} is not {@code symbiosis} or one of {@link #ABLATIONS}, the
     *     symbiosis controls or the Symbiosis arms of {@link #STUDENT_REWARDED}
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
            case "symbiosis-random-saliency" -> SymbiosisStrategy.randomSaliency();
            case "random-real-to-student" -> SymbiosisStrategy.randomRealToStudent();
            case "symbiosis-rest" -> SymbiosisStrategy.rest();
            case "symbiosis-dpo" -> SymbiosisStrategy.dpo();
            case "symbiosis-frozen-generator-best-of-k" ->
                    SymbiosisStrategy.frozenGeneratorBestOfK(StudentReward.DEFAULT_CANDIDATES);
            default -> {
                if (COMPONENTS.contains(name) || SymbiosisComponents.isCombination(name)) {
                    yield SymbiosisComponents.byName(name); // names the bad part of a combination
                }
                throw new IllegalArgumentException("'" + name + "' is not symbiosis or one of its ablations "
                    + ABLATIONS + " or controls " + SYMBIOSIS_CONTROLS + " or components " + COMPONENTS);
            }
        };
    }

    /**
     * A strategy by name.
     *
     * @param name one of {@link #NAMES}
     * @param accumulateSeedData the real seed data of {@code recursive-accumulate} and
     *     {@code recursive-accumulate-growing} (ignored by the others; must be non-empty for them)
     * @param staticSetBudgets size of the static set of {@code static-synthetic} in per-iteration budgets
     *     ({@code >= 1}; the experiment uses its number of iterations)
     * @throws IllegalArgumentException for an unknown name, naming the known ones
     */
    public static Strategy byName(String name, List<Document> accumulateSeedData, int staticSetBudgets) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "recursive-replace" -> RecursiveCollapse.replace();
            case "recursive-replace-from-initial" -> RecursiveCollapse.replaceFromInitialWeights();
            case "recursive-replace-self" -> RecursiveCollapse.replaceSelf();
            case "recursive-accumulate" -> RecursiveCollapse.accumulate(accumulateSeedData);
            case "recursive-accumulate-growing" -> RecursiveCollapse.accumulateGrowing(accumulateSeedData);
            case "recursive-real-mixing" -> RecursiveCollapse.realMixing(RealMixing.GOLDEN_REAL_SHARE);
            case "static-synthetic" -> new StaticSynthetic(staticSetBudgets);
            case "static-synthetic-student0" -> StaticSynthetic.fromStudent0(staticSetBudgets);
            case "real-mixing" -> RealMixing.golden();
            case "real-upper-bound" -> new RealUpperBound();
            case "static-synthetic-best-of-k" ->
                    StaticSynthetic.bestOfK(staticSetBudgets, StudentReward.DEFAULT_CANDIDATES);
            default -> {
                if (!name.equals(SYMBIOSIS) && !ABLATIONS.contains(name) && !SYMBIOSIS_CONTROLS.contains(name)
                        && !COMPONENTS.contains(name) && !STUDENT_REWARDED.contains(name) && !SymbiosisComponents.isCombination(name)) {
                    throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + NAMES);
                }
                yield symbiosis(name);
            }
        };
    }
}
