package dev.symbiosis.cli.corpus;

import picocli.CommandLine.Option;

/**
 * The task-building options shared by {@code prepare-corpus} and {@code build-tasks} (a picocli mixin): how many
 * minimal pairs per kind, the minimum below which a kind is dropped, and entity-cloze items per domain.
 */
public final class TaskOptions {

    /** Default of {@code --max-pairs}. */
    public static final int DEFAULT_MAX_PAIRS = 1000;
    /** Default of {@code --min-pairs}. */
    public static final int DEFAULT_MIN_PAIRS = 300;
    /** Default of {@code --cloze-per-domain}. */
    public static final int DEFAULT_CLOZE_PER_DOMAIN = 200;

    @Option(names = "--max-pairs", defaultValue = "" + DEFAULT_MAX_PAIRS,
            description = "Minimal pairs per kind at most. Default: ${DEFAULT-VALUE}.")
    int maxPairs = DEFAULT_MAX_PAIRS;

    @Option(names = "--min-pairs", defaultValue = "" + DEFAULT_MIN_PAIRS,
            description = "Kinds with fewer minimal pairs are dropped. Default: ${DEFAULT-VALUE}.")
    int minPairs = DEFAULT_MIN_PAIRS;

    @Option(names = "--cloze-per-domain", defaultValue = "" + DEFAULT_CLOZE_PER_DOMAIN,
            description = "Entity-cloze items per domain at most. Default: ${DEFAULT-VALUE}.")
    int clozePerDomain = DEFAULT_CLOZE_PER_DOMAIN;

    /** Why these values cannot be used, or {@code null} when they can. */
    String problem() {
        return maxPairs < 1 || minPairs < 0 || clozePerDomain < 0
                ? "--max-pairs must be >= 1, --min-pairs and --cloze-per-domain >= 0" : null;
    }
}
