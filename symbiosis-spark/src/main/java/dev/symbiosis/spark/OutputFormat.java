package dev.symbiosis.spark;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** How a job writes its tables: Parquet, or JSON Lines compressed with gzip. */
public enum OutputFormat {
    PARQUET(".parquet"),
    JSONL(".jsonl.gz");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    /** The file name extension of a part file. */
    public String extension() {
        return extension;
    }

    /** {@code parquet} or {@code jsonl}, case-insensitive. */
    public static OutputFormat parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "parquet" -> PARQUET;
            case "jsonl", "json" -> JSONL;
            default -> throw new IllegalArgumentException("format must be parquet or jsonl, got '" + s + "'");
        };
    }

    /** Writes {@code df} to the folder {@code path} (which must not exist) with Spark's committer. */
    public void write(Dataset<Row> df, String path) {
        if (this == PARQUET) {
            df.write().mode(SaveMode.ErrorIfExists).parquet(path);
        } else {
            df.write().mode(SaveMode.ErrorIfExists).option("compression", "gzip").json(path);
        }
    }
}
