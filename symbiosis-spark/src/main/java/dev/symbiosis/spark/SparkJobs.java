package dev.symbiosis.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Settings every job of this module applies to its Spark application, and the session that main classes start.
 *
 * <p>Executors run DJL offline and without telemetry: {@link #OFFLINE_JAVA_OPTIONS} is appended to
 * {@code spark.executor.extraJavaOptions} (and the same facts are set as executor environment variables), so an
 * executor never tries to download PyTorch natives or a model; the natives reach executors on their class path
 * (the application jar's dependencies, {@code --jars} or {@code spark.executor.extraClassPath}).
 * {@link ExecutorModels} refuses to load a model in a JVM that lacks {@code -Dai.djl.offline=true}.
 */
public final class SparkJobs {

    /** The JVM options of every JVM that may load a model. */
    public static final String OFFLINE_JAVA_OPTIONS = "-Dai.djl.offline=true -DOPT_OUT_TRACKING=true";

    private SparkJobs() {}

    /**
     * Adds this module's executor settings to {@code conf}: the offline options appended to
     * {@code spark.executor.extraJavaOptions} (kept if already there), {@code DJL_OFFLINE} and
     * {@code OPT_OUT_TRACKING} in the executors' environment.
     */
    public static SparkConf configure(SparkConf conf) {
        for (String key : new String[] {"spark.executor.extraJavaOptions", "spark.driver.extraJavaOptions"}) {
            String current = conf.get(key, "").trim();
            if (!current.contains("-Dai.djl.offline=true")) {
                current = (current + " -Dai.djl.offline=true").trim();
            }
            if (!current.contains("-DOPT_OUT_TRACKING=true")) {
                current = (current + " -DOPT_OUT_TRACKING=true").trim();
            }
            conf.set(key, current);
        }
        conf.setExecutorEnv("DJL_OFFLINE", "true");
        conf.setExecutorEnv("OPT_OUT_TRACKING", "true");
        return conf;
    }

    /**
     * Marks this (driver) JVM offline before any DJL class is used: main classes call it first, since in client
     * mode the driver JVM is already running when {@code spark.driver.extraJavaOptions} would apply.
     */
    public static void offlineDriver() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    /**
     * The session of a main class: the master and everything else come from spark-submit (or {@code -Dspark.*}
     * system properties); {@link #configure} is applied. Without a master (started outside spark-submit) it runs
     * in {@code local[*]}.
     */
    public static SparkSession session(String appName) {
        offlineDriver();
        SparkConf conf = configure(new SparkConf().setAppName(appName));
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Prints the JVM flags that spark-submit adds to every Spark JVM (Spark's {@code JavaModuleOptions}): a JVM that
     * starts a session itself, outside spark-submit, needs them.
     */
    public static void main(String[] args) {
        System.out.println(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions());
    }

    /** Whether the application runs in local mode (driver and executor are one JVM). */
    public static boolean isLocal(SparkSession spark) {
        return spark.sparkContext().master().toLowerCase(Locale.ROOT).startsWith("local");
    }
}
