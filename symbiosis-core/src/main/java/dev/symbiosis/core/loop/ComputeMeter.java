package dev.symbiosis.core.loop;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.NullMarked;

/**
 * The model work one iteration of one strategy asks for, in token positions, by model role: what a comparison at
 * matched compute needs (issue 16 point 5). Counted where the loop hands work to a model, never inside an engine, so
 * the counts depend only on the texts: a generation served from the run's cache ({@link GenerationCache}) counts as
 * if it had been sampled, and a serial and a concurrent run count the same.
 *
 * <p>What counts: scoring ({@code score}) a forward pass over every token of every text; saliency a forward and a
 * backward pass; parameter-gradient cosines ({@link dev.symbiosis.core.model.ParameterGradients}) a forward and a
 * backward pass over the target and every candidate; training and fine-tuning the tokens the trainer reports (those
 * with a loss, over every epoch) once forward and once backward, and preference training
 * ({@link dev.symbiosis.core.model.PreferenceTraining}) as well plus a forward pass over the chosen and rejected
 * completions (its reference); generation through {@link IterationContext#generate} the prompt's tokens plus the
 * sampled tokens, forward. The held-out evaluation is not counted (every arm pays the same).
 *
 * <p>Figures ({@link #figures()}): {@code tokens.forward.<role>} and {@code tokens.backward.<role>} for the roles
 * {@value #STUDENT} and {@value #GENERATOR}, only for roles that did work. Not thread-safe: one meter per iteration
 * of one strategy, on that strategy's thread.
 */
@NullMarked
public final class ComputeMeter {

    /** The role of the strategy's Student. */
    public static final String STUDENT = "student";
    /** The role of the strategy's Generator. */
    public static final String GENERATOR = "generator";

    private final SortedMap<String, Long> counts = new TreeMap<>();

    /** Adds {@code tokens} forward positions of {@code role}. */
    public void forward(String role, long tokens) {
        add("tokens.forward." + role, tokens);
    }

    /** Adds {@code tokens} backward positions of {@code role}. */
    public void backward(String role, long tokens) {
        add("tokens.backward." + role, tokens);
    }

    private void add(String key, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException(key + ": token count must be >= 0, got " + tokens);
        }
        counts.merge(key, tokens, Long::sum);
    }

    /** The counts so far, as doubles (the timing file's type); empty when nothing was counted. */
    public SortedMap<String, Double> figures() {
        SortedMap<String, Double> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, (double) v));
        return Collections.unmodifiableSortedMap(out);
    }
}
