/**
 * The engine-free core of Generative Data Symbiosis.
 *
 * <ul>
 *   <li>{@link dev.symbiosis.core.model}: the roles ({@link dev.symbiosis.core.model.Generator},
 *       {@link dev.symbiosis.core.model.Student}) and the values they exchange;</li>
 *   <li>{@link dev.symbiosis.core.feedback}: mining the Student's weaknesses (Step C);</li>
 *   <li>{@link dev.symbiosis.core.curriculum}: turning topics and weaknesses into prompts (Steps A and D);</li>
 *   <li>{@link dev.symbiosis.core.text}: documents and their provenance;</li>
 *   <li>{@link dev.symbiosis.core.measure}: measurements of a set of texts (implemented by symbiosis-metrics).</li>
 * </ul>
 */
package dev.symbiosis.core;
