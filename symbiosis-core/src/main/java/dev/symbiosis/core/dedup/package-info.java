/**
 * Near-duplicate control of synthetic data: {@link dev.symbiosis.core.dedup.MinHash} signatures of word shingles
 * and the greedy {@link dev.symbiosis.core.dedup.NearDuplicateFilter} that a
 * {@link dev.symbiosis.core.curriculum.Curriculum} can supply to the loop.
 */
package dev.symbiosis.core.dedup;
