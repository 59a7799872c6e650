package dev.symbiosis.core.model;

/**
 * What one call of {@link Student#train} or {@link Generator#fineTune} did. Holds no wall-clock values, so that
 * reports of two runs with the same seed are equal.
 *
 * @param examples number of examples given
 * @param steps optimizer steps taken, {@code >= 0}
 * @param tokens tokens that carried loss, {@code >= 0}
 * @param meanLoss mean of the per-step (weighted) cross-entropy in nats per token; {@code NaN} when no step ran
 * @param finalLoss loss of the last step; {@code NaN} when no step ran
 */
public record TrainingReport(int examples, int steps, long tokens, double meanLoss, double finalLoss) {

    public TrainingReport {
        if (examples < 0 || steps < 0 || tokens < 0) {
            throw new IllegalArgumentException(
                    "counts must be >= 0: examples=" + examples + " steps=" + steps + " tokens=" + tokens);
        }
        if (steps > 0 && !(Double.isFinite(meanLoss) && Double.isFinite(finalLoss))) {
            throw new IllegalArgumentException("losses of a report with steps must be finite");
        }
    }

    /** The report of a call that had nothing to train on. */
    public static TrainingReport empty() {
        return new TrainingReport(0, 0, 0, Double.NaN, Double.NaN);
    }
}
