package dev.symbiosis.core.eval;

/**
 * Receives the progress of an evaluation as (done, total) units: items for multiple choice, documents for
 * perplexity. Called on the evaluating thread after every batch. Has the shape of the loop's progress sink, so a
 * method reference adapts one to the other.
 */
@FunctionalInterface
public interface EvalProgress {

    /** Ignores progress. */
    EvalProgress NONE = (done, total) -> {};

    void progress(long done, long total);
}
