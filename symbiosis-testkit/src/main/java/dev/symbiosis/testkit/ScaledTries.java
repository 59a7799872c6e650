package dev.symbiosis.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Marks a contract property whose declared tries the test class's {@link Contract#triesFactor()} scales. jqwik
 * does not look for lifecycle hooks on the interfaces a test class implements, so each property carries this.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@AddLifecycleHook(TriesFactorHook.class)
@interface ScaledTries {}
