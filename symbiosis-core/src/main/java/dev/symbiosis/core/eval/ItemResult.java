package dev.symbiosis.core.eval;

import java.util.List;
import java.util.Objects;

/**
 * What the evaluator found for one item, kept so that paired tests (McNemar, bootstrap) can compare two models item
 * by item.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises as is.
 *
 * @param id item id
 * @param task task name
 * @param answer index of the right choice
 * @param predicted choice with the highest summed log-likelihood (lowest index on ties)
 * @param correct {@code predicted == answer}
 * @param predictedNorm choice with the highest length-normalised log-likelihood (lowest index on ties)
 * @param correctNorm {@code predictedNorm == answer}
 * @param logLikelihoods summed log-likelihood of each choice's continuation, nats
 */
public record ItemResult(String id, String task, int answer, int predicted, boolean correct, int predictedNorm,
        boolean correctNorm, List<Double> logLikelihoods) {

    public ItemResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        logLikelihoods = List.copyOf(logLikelihoods);
    }
}
