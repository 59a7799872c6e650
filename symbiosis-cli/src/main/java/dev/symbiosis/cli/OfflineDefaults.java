package dev.symbiosis.cli;

/**
 * The system properties every JVM of the command line sets before any DJL class loads: DJL offline and its telemetry
 * off (otherwise DJL calls out at start-up), and one PyTorch intra-op and inter-op thread. A property the user set
 * ({@code -D...}) is left as it is. Its own class, free of the command line's other classes, so that every
 * subcommand (and a test's {@code main}) can apply it without importing the command table.
 */
public final class OfflineDefaults {

    private OfflineDefaults() {}

    /** Sets DJL's offline, no-telemetry and thread properties unless the user set them explicitly. */
    public static void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        // One intra-op thread: on small models and shared 2-core machines, two PyTorch threads spin against each
        // other and against the JVM (measured about 10x slower for the embedded models). Override with -D.
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
