/**
 * Scale-out of the library's data jobs on Apache Spark 4: pool scoring and hard-example mining, bulk generation,
 * corpus metrics and near-duplicate removal, with one model per executor JVM ({@link dev.symbiosis.spark.ExecutorModels}).
 * See docs/scale-out.md.
 */
package dev.symbiosis.spark;
