package dev.symbiosis.testkit;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Scales the declared tries of a {@link ScaledTries} property by its test class's {@link Contract#triesFactor()}:
 * {@code max(1, round(declared * factor))}. Properties without declared tries, and test classes that are no
 * {@link Contract}, are left as they are.
 */
final class TriesFactorHook implements AroundPropertyHook {

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (context.testInstance() instanceof Contract contract && context.attributes().tries().isPresent()) {
            double factor = contract.triesFactor();
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException(context.containerClass().getName()
                        + ".triesFactor() must be finite and > 0, got " + factor);
            }
            int declared = context.attributes().tries().get();
            long scaled = Math.round(declared * factor);
            context.attributes().setTries((int) Math.max(1, Math.min(Integer.MAX_VALUE, scaled)));
        }
        return property.execute();
    }
}
