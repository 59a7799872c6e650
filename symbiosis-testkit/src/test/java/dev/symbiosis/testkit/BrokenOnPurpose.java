package dev.symbiosis.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Marks a contract test class of a deliberately broken implementation: it runs only inside {@link ContractRun},
 * so that an IDE that runs every class of the package does not report its expected failures.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AddLifecycleHook(BrokenOnPurpose.OnlyInsideAContractRun.class)
@interface BrokenOnPurpose {

    /** Skips the class unless {@link ContractRun#ACTIVE} is set. */
    final class OnlyInsideAContractRun implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return System.getProperty(ContractRun.ACTIVE) != null ? SkipResult.doNotSkip()
                    : SkipResult.skip("broken on purpose; ContractRun runs it and expects failures");
        }
    }
}
