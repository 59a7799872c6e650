package dev.symbiosis.experiment;

import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.strategy.Strategies;
import dev.symbiosis.core.strategy.SymbiosisComponents;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strategies by name, for configurations that list strategies as strings: {@link #standard()} knows the method,
 * its ablations and the baselines ({@link Strategies#NAMES}) and the combinations of a variant of the method with
 * components, such as {@code symbiosis+rest} or {@code symbiosis+dpo+k8} ({@link SymbiosisComponents#combination});
 * {@link #register} adds a user's strategy, which then runs under the same loop, budget, evaluation and statistics
 * as the others.
 *
 * <p>Besides the registered names, the registry makes an arm named as a combination of issue 17's components,
 * {@code symbiosis+<component>+...} (e.g. {@code symbiosis+gap+masked+reset}, see {@link SymbiosisComponents}): the
 * full method with those components, under that name. A registered name is looked up first, so a user's strategy
 * registered under such a name wins.
 *
 * <p>A factory is called once per run seed (strategies keep state across iterations, so every run seed needs a
 * fresh object); the strategy it returns must have the registered name. Not thread-safe while registering; reading
 * a registry that is no longer changed is safe from any thread.
 */
public final class StrategyRegistry {

    /** Makes a fresh strategy for one run seed. */
    @FunctionalInterface
    public interface StrategyFactory {

        /**
         * A new strategy object.
         *
         * @param context the configuration, the run seed and the data a strategy may need
         */
        Strategy create(StrategyContext context);
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(\\+[a-z0-9][a-z0-9-]*)*");
    private static final String ACCUMULATE = "recursive-accumulate";

    private final Map<String, StrategyFactory> factories = new LinkedHashMap<>();
    /** Whether combination names ({@link SymbiosisComponents#combination}) are known: true for {@link #standard()}. */
    private boolean combinations;

    private StrategyRegistry() {}

    /** An empty registry. */
    public static StrategyRegistry empty() {
        return new StrategyRegistry();
    }

    /**
     * A new registry with the standard strategies: {@code symbiosis}, its ablations {@link Strategies#ABLATIONS}
     * and the baselines {@link Strategies#BASELINES}. {@code static-synthetic} holds {@code iterations} budgets;
     * {@code recursive-accumulate} draws {@link ExperimentConfig#accumulateSample()} real seed documents with the
     * master seed.
     */
    public static StrategyRegistry standard() {
        StrategyRegistry r = new StrategyRegistry();
        for (String name : Strategies.NAMES) {
            // only the recursive-accumulate variants read the seed documents (so only it makes the context read them)
            r.register(name, c -> Strategies.byName(name, name.startsWith(ACCUMULATE)
                    ? ExperimentData.subsample(c.seedDocuments(), c.config().accumulateSample(), c.config().seed())
                    : List.of(), c.config().iterations()));
        }
        r.combinations = true;
        return r;
    }

    /**
     * Whether {@code name} has the form of a strategy name: lowercase letters, digits and dashes, or such parts
     * joined by {@value SymbiosisComponents#JOIN} (a combination).
     */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Registers (or replaces) a strategy.
     *
     * @return this registry
     * @throws IllegalArgumentException if the name is not lowercase letters, digits and dashes
     */
    public StrategyRegistry register(String name, StrategyFactory factory) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("a strategy name is lowercase letters, digits and dashes, parts joined"
                    + " by '+' (it names a folder), got '" + name + "'");
        }
        factories.put(name, Objects.requireNonNull(factory, "factory"));
        return this;
    }

    /** Whether a name is registered, or (in a standard registry) is a valid combination. */
    public boolean contains(String name) {
        return factories.containsKey(name) || combinationError(name) == null;
    }

    /**
     * Why {@code name} is not a combination this registry makes, or null when it is one. A registered name is
     * never looked at as a combination.
     */
    private String combinationError(String name) {
        if (!combinations || !SymbiosisComponents.isCombination(name)) {
            return "not a combination";
        }
        try {
            SymbiosisComponents.combination(name);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The registered names, in registration order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(factories.keySet());
    }

    /**
     * A fresh strategy.
     *
     * @throws IllegalArgumentException for an unknown name (naming the known ones) or a factory whose strategy
     *     has another name
     */
    public Strategy create(String name, StrategyContext context) {
        StrategyFactory f = factories.get(name);
        if (f == null && combinations && SymbiosisComponents.isCombination(name)) {
            f = c -> SymbiosisComponents.combination(name); // names a bad component
        }
        if (f == null) {
            throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + List.copyOf(names())
                    + ", and combinations <base>+<component>+... of the bases " + SymbiosisComponents.BASES
                    + " and the components "
                    + SymbiosisComponents.ALL.stream().map(SymbiosisComponents.Component::name).toList());
        }
        Strategy s = Objects.requireNonNull(f.create(context), () -> "the factory of '" + name + "' returned null");
        if (!s.name().equals(name)) {
            throw new IllegalArgumentException("the factory registered as '" + name + "' made a strategy named '"
                    + s.name() + "'; a strategy's name() must be the name it is registered under");
        }
        return s;
    }

    /**
     * Checks that every name is registered.
     *
     * @throws IllegalArgumentException naming the first unknown name and the known ones
     */
    public void checkKnown(List<String> names) {
        for (String n : names) {
            if (!contains(n)) {
                String why = combinations && SymbiosisComponents.isCombination(n) ? " (" + combinationError(n) + ")" : "";
                throw new IllegalArgumentException("unknown strategy '" + n + "' in strategies" + why + "; known: "
                        + List.copyOf(names()) + (combinations ? " and combinations such as symbiosis+rest" : ""));
            }
        }
    }
}
