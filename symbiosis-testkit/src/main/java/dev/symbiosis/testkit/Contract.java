package dev.symbiosis.testkit;

/**
 * What every contract of this kit shares: how many tries its properties run.
 *
 * <p>Each property declares a small number of tries in its {@code @Property(tries = ...)}: at most 10 where a model
 * runs, 2 or 3 where it trains, so that a contract on a tiny DJL model finishes in seconds (the curriculum's
 * properties, which run no model, up to 30). A test class scales them all at once by overriding
 * {@link #triesFactor()}; one that implements several contracts has one factor for all of them.
 */
public interface Contract {

    /**
     * Multiplies the declared tries of every property: a property runs {@code max(1, round(declared * factor))}
     * tries. Read once per property, before its first try. Return e.g. {@code 0.3} for a large model on a CPU, or
     * {@code 10} to search harder on a fast implementation.
     *
     * @return a finite factor {@code > 0} (anything else fails each property with a message naming the test
     *     class); {@code 1.0} by default
     */
    default double triesFactor() {
        return 1.0;
    }
}
