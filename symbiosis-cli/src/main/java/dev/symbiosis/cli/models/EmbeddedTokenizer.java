package dev.symbiosis.cli.models;

import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.tokenizer.BpeTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains the embedded default's shared tokenizer: byte-level BPE with {@link #VOCAB_SIZE} ids on the seed split
 * only (the pool, stream, fidelity and evaluation splits are never seen).
 */
public final class EmbeddedTokenizer {

    /** Small enough that the embedding of the 1M-parameter Student stays a minor share of its parameters. */
    public static final int VOCAB_SIZE = 2048;

    private EmbeddedTokenizer() {}

    public static void train(Path seedSplit, Path out) throws IOException {
        List<String> texts;
        try (CorpusReader r = Corpora.open(seedSplit)) {
            texts = r.readAll().stream().map(Document::text).toList();
        }
        new BpeTrainer(VOCAB_SIZE).trainAndWrite(texts, out);
    }

    /** {@code EmbeddedTokenizer SEED_SPLIT OUT_JSON}. */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        train(Path.of(args[0]), Path.of(args[1]));
    }
}
