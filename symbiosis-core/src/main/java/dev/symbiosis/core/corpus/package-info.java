/**
 * Reading users' corpora and writing run outputs, streaming: no reader ever holds more than one line (bounded by a
 * configurable limit) plus one document in memory, so a 10 GB corpus can be read with a small heap.
 *
 * <ul>
 *   <li>{@link dev.symbiosis.core.corpus.CorpusReader}: the common reader contract ({@code Iterable<Document>},
 *       {@code stream()}, {@code AutoCloseable}); errors during iteration are
 *       {@link java.io.UncheckedIOException}s wrapping a {@link dev.symbiosis.core.corpus.CorpusFormatException}
 *       that names the file, line and (for JSON syntax errors) column;</li>
 *   <li>{@link dev.symbiosis.core.corpus.JsonlCorpusReader}: JSON Lines, optionally gzip-compressed;</li>
 *   <li>{@link dev.symbiosis.core.corpus.TextCorpusReader}: plain text files or folders of them;</li>
 *   <li>{@link dev.symbiosis.core.corpus.Corpora}: opens either by file name;</li>
 *   <li>{@link dev.symbiosis.core.corpus.JsonlCorpusWriter}: atomic JSONL writer that the JSONL reader reads back
 *       unchanged;</li>
 *   <li>{@link dev.symbiosis.core.corpus.Utf8LineReader} and {@link dev.symbiosis.core.corpus.JsonLines}: the strict,
 *       bounded building blocks, also used by the evaluation-suite reader.</li>
 * </ul>
 */
package dev.symbiosis.core.corpus;
