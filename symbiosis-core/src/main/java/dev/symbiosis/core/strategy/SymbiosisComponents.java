package dev.symbiosis.core.strategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Issue 17's components of the full method by name, and arms named as their combination:
 * {@code symbiosis+<component>+<component>...}, e.g. {@code symbiosis+gap+masked+reset}, so that one combination
 * and each of its leave-one-out ablations can be listed in an experiment's {@code strategies} like any other arm.
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
 *       {@code symbiosis-dpo}. Other bases and candidate counts: {@link Strategies#combination}.</li>
 * </ul>
 * A combination names each component once, in the canonical order (so one arm has one name); the strategy it gives
 * has the combination as its {@link SymbiosisStrategy#name()} and run folder. To add a component, add one
 * {@link Component} to {@link #ALL}.
 *
 * <p>Thread-safe: holds only constants.
 */
public final class SymbiosisComponents {

    /** The arm the components are added to. */
    public static final String BASE = Strategies.SYMBIOSIS;

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

    /** Whether {@code name} has the form of a combination ({@code symbiosis+...}); it may still be invalid. */
    public static boolean isCombination(String name) {
        return name != null && name.startsWith(BASE + JOIN);
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
     * The strategy of a combination name: the full method with every named component.
     *
     * @throws IllegalArgumentException if the name does not start with {@code symbiosis+}, or a component is empty,
     *     unknown, repeated or out of the canonical order (the message names it, the known components and, for the
     *     order, the canonical spelling)
     */
    public static SymbiosisStrategy combination(String name) {
        Objects.requireNonNull(name, "name");
        if (!isCombination(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a combination of components: it must read "
                    + BASE + JOIN + "<component>" + JOIN + "..., components " + names());
        }
        String[] parts = name.substring(BASE.length() + JOIN.length()).split("\\+", -1);
        List<Component> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("strategy '" + name + "' has an empty component (two '+' in a row "
                        + "or one at the end); components " + names());
            }
            Component c = ALL.stream().filter(x -> x.name().equals(part)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("strategy '" + name + "': unknown component '" + part
                            + "'; known components " + names()));
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
                    + "one name): write it " + canonicalName(canonical));
        }
        SymbiosisStrategy.Builder b = SymbiosisStrategy.builder(name);
        for (Component c : chosen) {
            b = c.apply().apply(b);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy '" + name + "': " + e.getMessage(), e);
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

    private static String canonicalName(List<Component> components) {
        StringBuilder sb = new StringBuilder(BASE);
        components.forEach(c -> sb.append(JOIN).append(c.name()));
        return sb.toString();
    }

    private static List<String> names() {
        return ALL.stream().map(Component::name).toList();
    }
}
