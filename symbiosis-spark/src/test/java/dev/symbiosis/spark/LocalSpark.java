package dev.symbiosis.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one embedded session of a test class: {@code local[2]}, no UI, few shuffle partitions. */
final class LocalSpark {

    private LocalSpark() {}

    static SparkSession start(String name) {
        SparkConf conf = SparkJobs.configure(new SparkConf().setMaster("local[2]").setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "4")
                .set("spark.default.parallelism", "2"));
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
