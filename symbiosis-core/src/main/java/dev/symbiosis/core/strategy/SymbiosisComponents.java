package dev.symbiosis.core.strategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Issue 17's components by name, and arms named as their combination with a variant of the method:
 * {@code <base>+<component>+<component>...}, e.g. {@code symbiosis+gap+masked+reset},
 * {@code symbiosis+dpo+k8} or {@code symbiosis-frozen-generator+gap+rest}, so that one combination and each of its
 * leave-one-out ablations can be listed in an experiment's {@code strategies} like any other arm. The one parser of
 * combination names: every name with a {@value #JOIN} is read here.
 *
 * <p>Bases ({@link #BASES}): the variants of the method that make teaching prompts, {@code symbiosis},
 * {@code symbiosis-frozen-generator}, {@code symbiosis-no-saliency}, {@code symbiosis-random-pool},
 * {@code symbiosis-hotflip-hints}, {@code symbiosis-random-saliency}. A component that the base cannot have (a
 * Generator reset on the frozen Generator, teachable-gap mining on random pool windows, masked context without
 * salient spans) is refused by {@link SymbiosisStrategy.Builder#build()}, naming it.
 *
 * <p>Components ({@link #ALL}, in their canonical order):
 * <ul>
 *   <li>{@code gap}: teachable-gap mining ({@link SymbiosisStrategy.Builder#optTeachableGap}); alone
 *       {@code symbiosis-teachable-gap};</li>
 *   <li>{@code masked}: masked-context teaching ({@link SymbiosisStrategy.Builder#optMaskedContext}); alone
 *       {@code symbiosis-masked-context};</li>
 *   <li>{@code reset}: the Generator reset to Generator 0 before every Step D
 *       ({@link SymbiosisStrategy.Builder#optGeneratorReset}); alone {@code symbiosis-generator-reset};</li>
 *   <li>{@code low-lr}: Step D at {@value #LOW_LEARNING_RATE_SCALE} times the Generator's configured learning rate
 *       ({@link SymbiosisStrategy.Builder#optGeneratorLearningRateScale}); alone
 *       {@code symbiosis-generator-low-lr};</li>
 *   <li>{@code rest} and {@code dpo} (one of them): Student-rewarded teaching, the Generator fine-tuned on the
 *       continuations the Student's gradient prefers ({@link StudentReward#rest()}) or trained by DPO on (best,
 *       worst) pairs ({@link StudentReward#dpo()}), {@link StudentReward#DEFAULT_CANDIDATES} candidates per teaching
 *       prompt ({@link SymbiosisStrategy.Builder#optStudentReward}); alone {@code symbiosis-rest},
 *       {@code symbiosis-dpo};</li>
 *   <li>{@code k<N>} (last, only after {@code rest} or {@code dpo}): {@code N} candidates per teaching prompt
 *       instead of {@value StudentReward#DEFAULT_CANDIDATES}.</li>
 * </ul>
 * A combination names each component once, in the canonical order (so one arm has one name); the strategy it gives
 * has the combination as its {@link SymbiosisStrategy#name()} and run folder. To add a component, add one
 * {@link Component} to {@link #ALL}.
 *
 * <p>Thread-safe: holds only constants.
 */
public final class SymbiosisComponents {

    /** The arm the components are added to when nothing else is said: the full method. */
    public static final String BASE = Strategies.SYMBIOSIS;

    /** The variants of the method a combination may start from: those that make teaching prompts. */
    public static final List<String> BASES = List.of("symbiosis", "symbiosis-frozen-generator",
            "symbiosis-no-saliency", "symbiosis-random-pool", "symbiosis-hotflip-hints", "symbiosis-random-saliency");

    /** The candidate-count part of a combination: {@code k} and 1-3 digits. */
    private static final java.util.regex.Pattern CANDIDATES = java.util.regex.Pattern.compile("k[0-9]{1,3}");

    /** The learning-rate factor of the {@code low-lr} component: a tenth of the configured rate. */
    public static final double LOW_LEARNING_RATE_SCALE = 0.1;

    /** What joins the base and the components in a combination's name. */
    public static final String JOIN = "+";

    /**
     * One component.
     *
     * @param name its name in combinations (lowercase letters, digits and dashes)
     * @param arm the name of the arm that adds it alone to the full method
     * @param apply switches it on in a builder
     */
    public record Component(String name, String arm, UnaryOperator<SymbiosisStrategy.Builder> apply) {
        public Component {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arm, "arm");
            Objects.requireNonNull(apply, "apply");
        }
    }

    /** Every component, in the canonical order of combination names. */
    public static final List<Component> ALL = List.of(
            new Component("gap", "symbiosis-teachable-gap", b -> b.optTeachableGap(true)),
            new Component("masked", "symbiosis-masked-context", b -> b.optMaskedContext(true)),
            new Component("reset", "symbiosis-generator-reset", b -> b.optGeneratorReset(true)),
            new Component("low-lr", "symbiosis-generator-low-lr",
                    b -> b.optGeneratorLearningRateScale(LOW_LEARNING_RATE_SCALE)),
            new Component("rest", "symbiosis-rest", b -> b.optStudentReward(StudentReward.rest())),
            new Component("dpo", "symbiosis-dpo", b -> b.optStudentReward(StudentReward.dpo())));

    private SymbiosisComponents() {}

    /** The arms that add one component alone, in the order of {@link #ALL}. */
    public static List<String> singleComponentArms() {
        return ALL.stream().map(Component::arm).toList();
    }

    /**
     * Whether {@code name} has the form of a combination (it contains {@value #JOIN}); it may still be invalid
     * ({@link #isKnown}).
     */
    public static boolean isCombination(String name) {
        return name != null && name.contains(JOIN);
    }

    /**
     * The strategy of a single-component arm ({@link Component#arm()}) or of a combination name.
     *
     * @throws IllegalArgumentException for anything else, naming the unknown, repeated or misplaced component and the
     *     known ones in their order
     */
    public static SymbiosisStrategy byName(String name) {
        Objects.requireNonNull(name, "name");
        for (Component c : ALL) {
            if (c.arm().equals(name)) {
                return c.apply().apply(SymbiosisStrategy.builder(name)).build();
            }
        }
        return combination(name);
    }

    /**
     * The strategy of a combination name: the base variant with every named component, named {@code name}.
     *
     * @throws IllegalArgumentException naming {@code name} and the part at fault: a base that is not one of
     *     {@link #BASES}, a component that is empty, unknown, repeated or out of the canonical order (with the
     *     canonical spelling), both {@code rest} and {@code dpo}, {@code k<N>} without one of them or not last, or
     *     a component the base cannot have
     */
    public static SymbiosisStrategy combination(String name) {
        Objects.requireNonNull(name, "name");
        if (!isCombination(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a combination of components: it must read "
                    + "<base>" + JOIN + "<component>" + JOIN + "..., bases " + BASES + ", components " + names());
        }
        String[] parts = name.split(java.util.regex.Pattern.quote(JOIN), -1);
        if (!BASES.contains(parts[0])) {
            throw new IllegalArgumentException("strategy '" + name + "': '" + parts[0] + "' is not a base of "
                    + "combinations; bases " + BASES);
        }
        List<Component> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Integer candidates = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException("strategy '" + name + "' has an empty component (two '+' in a row "
                        + "or one at the end); components " + names());
            }
            if (CANDIDATES.matcher(part).matches()) {
                if (candidates != null) {
                    throw new IllegalArgumentException("strategy '" + name + "' names component 'k' twice");
                }
                if (!seen.contains("rest") && !seen.contains("dpo") || i != parts.length - 1) {
                    throw new IllegalArgumentException("strategy '" + name + "': '" + part + "' (candidates per "
                            + "teaching prompt) comes last, after +rest or +dpo");
                }
                candidates = Integer.parseInt(part.substring(1));
                continue;
            }
            Component c = ALL.stream().filter(x -> x.name().equals(part)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("strategy '" + name + "': unknown component '" + part
                            + "'; known components " + names() + " and k<N> after rest or dpo"));
            if (!seen.add(part)) {
                throw new IllegalArgumentException("strategy '" + name + "' names component '" + part + "' twice");
            }
            chosen.add(c);
        }
        if (seen.contains("rest") && seen.contains("dpo")) {
            throw new IllegalArgumentException("strategy '" + name + "': choose one of +rest and +dpo");
        }
        List<Component> canonical = ALL.stream().filter(chosen::contains).toList();
        if (!canonical.equals(chosen)) {
            throw new IllegalArgumentException("strategy '" + name + "' lists its components out of order (one arm, "
                    + "one name): write it " + canonicalName(parts[0], canonical, candidates));
        }
        try {
            SymbiosisStrategy.Builder b = Strategies.symbiosis(parts[0]).toBuilder(name);
            for (Component c : chosen) {
                b = c.apply().apply(b);
            }
            if (candidates != null) {
                StudentReward reward = seen.contains("rest") ? StudentReward.rest() : StudentReward.dpo();
                b = b.optStudentReward(reward.withCandidates(candidates));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith(name + ":") ? message
                    : "strategy '" + name + "': " + message, e);
        }
    }

    /** Whether {@code name} is a single-component arm or a valid combination. */
    public static boolean isKnown(String name) {
        if (name == null) {
            return false;
        }
        if (singleComponentArms().contains(name)) {
            return true;
        }
        if (!isCombination(name)) {
            return false;
        }
        try {
            combination(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String canonicalName(String base, List<Component> components, Integer candidates) {
        StringBuilder sb = new StringBuilder(base);
        components.forEach(c -> sb.append(JOIN).append(c.name()));
        if (candidates != null) {
            sb.append(JOIN).append('k').append(candidates);
        }
        return sb.toString();
    }

    private static List<String> names() {
        return ALL.stream().map(Component::name).toList();
    }
}
