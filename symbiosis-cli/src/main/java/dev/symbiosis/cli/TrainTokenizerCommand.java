package dev.symbiosis.cli;

import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.tokenizer.BpeTrainer;
import dev.symbiosis.djl.tokenizer.BpeVocabulary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code symbiosis train-tokenizer}: trains a GPT-2-style byte-level BPE tokenizer on text corpora and writes a
 * Hugging Face {@code tokenizer.json} (special tokens {@code <|endoftext|>} and {@code <|pad|>} last).
 *
 * <p>Corpora are read lazily with {@link Corpora#open}: {@code .txt} / {@code .txt.gz} files (paragraph groups),
 * folders of them, and {@code .jsonl} / {@code .jsonl.gz} files with a {@code "text"} field. Progress goes to
 * stderr; exit code 0 on success, 1 if a corpus cannot be read or the output cannot be written.
 */
@Command(
        name = "train-tokenizer",
        mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE tokenizer (GPT-2 style) and write a Hugging Face tokenizer.json.")
public final class TrainTokenizerCommand implements Callable<Integer> {

    @Option(names = "--corpus", arity = "1..*", required = true, paramLabel = "FILE",
            description = "Training text: .txt[.gz] files or folders of them, or .jsonl[.gz] with a \"text\" field.")
    List<Path> corpus = new ArrayList<>();

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "4096",
            description = "Vocabulary size including the 256 byte tokens and 2 special tokens (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The tokenizer.json to write.")
    Path out;

    @Option(names = "--min-frequency", paramLabel = "N", defaultValue = "" + BpeTrainer.DEFAULT_MIN_FREQUENCY,
            description = "Merge only pairs seen at least N times (default: ${DEFAULT-VALUE}).")
    int minFrequency;

    @Option(names = "--max-input-chars", paramLabel = "N", defaultValue = "" + BpeTrainer.DEFAULT_MAX_INPUT_CHARS,
            description = "Read at most N characters of the corpora (default: ${DEFAULT-VALUE}).")
    long maxInputChars;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        BpeTrainer trainer;
        try {
            trainer = new BpeTrainer(vocabSize)
                    .optMinFrequency(minFrequency)
                    .optMaxInputChars(maxInputChars)
                    .optProgressListener(new StderrProgress(err));
        } catch (IllegalArgumentException e) {
            err.println("train-tokenizer: " + e.getMessage());
            return 2;
        }
        List<CorpusReader> readers = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (Path p : corpus) {
                readers.add(Corpora.open(p));
            }
            BpeVocabulary vocab;
            try {
                vocab = trainer.trainAndWrite(new Texts(readers), out);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            err.printf(Locale.ROOT, "train-tokenizer: wrote %s: %d tokens (%d merges) in %.1f s%n", out,
                    vocab.size(), vocab.mergeCount(), (System.nanoTime() - t0) / 1e9);
            return 0;
        } catch (IOException e) {
            err.println("train-tokenizer: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("train-tokenizer: " + e.getMessage());
            return 2;
        } finally {
            for (CorpusReader r : readers) {
                try {
                    r.close();
                } catch (IOException ignored) {
                    // closing a reader we only read from: nothing left to lose
                }
            }
        }
    }

    /** The texts of every document of every reader, in order, as one pass. */
    private static final class Texts implements Iterable<String> {
        private final List<CorpusReader> readers;

        Texts(List<CorpusReader> readers) {
            this.readers = readers;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int reader = 0;
                private Iterator<Document> current;

                @Override
                public boolean hasNext() {
                    while (current == null || !current.hasNext()) {
                        if (reader >= readers.size()) {
                            return false;
                        }
                        current = readers.get(reader++).iterator();
                    }
                    return true;
                }

                @Override
                public String next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current.next().text();
                }
            };
        }
    }

    /** One line per million characters read and per 500 merges. */
    private static final class StderrProgress implements BpeTrainer.ProgressListener {
        private final PrintStream err;
        private long lastMerges = -1;

        StderrProgress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void onProgress(String phase, long done, long total) {
            if ("read".equals(phase)) {
                err.printf(Locale.ROOT, "train-tokenizer: read %.1f M chars%s%n", done / 1e6,
                        total >= 0 ? " (done)" : "");
            } else if (done == total || done - lastMerges >= 500) {
                lastMerges = done;
                err.printf(Locale.ROOT, "train-tokenizer: %d / %d merges%n", done, total);
            }
        }
    }
}
