package dev.symbiosis.core.eval;

import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Held-out perplexity and bits per byte per domain: documents are grouped by {@link
 * dev.symbiosis.core.text.Provenance#source()}, scored whole, and their negative log-likelihoods summed.
 *
 * <p><b>What counts.</b> For each document the scorer's {@link TokenScores} give {@code n} tokens of which the
 * {@code n - 1} after the first are predicted. Per source:
 * <ul>
 *   <li>{@code tokens} = number of predicted tokens; {@code nll} = {@code -sum(logProbs)} in nats;</li>
 *   <li>{@code natsPerToken = nll / tokens}, {@code perplexity = exp(natsPerToken)};</li>
 *   <li>{@code bytes} = UTF-8 bytes of the text minus the UTF-8 bytes of the first token's span
 *       {@code [starts[0], ends[0])}, since the first token is not predicted (a BOS token with the empty span
 *       {@code [0, 0)} removes nothing, so then every byte counts);</li>
 *   <li>{@code bitsPerByte = nll / ln 2 / bytes}: tokenizer-independent, comparable across models.</li>
 * </ul>
 * The macro average of bits per byte is the unweighted mean over sources with at least one predicted byte; the
 * pooled figures sum over all documents. Documents longer than the scorer's context must be windowed by the caller
 * first (the scorer decides what it does with them).
 *
 * <p>Streaming: the documents may be a lazy {@link Iterable} (e.g. a {@link dev.symbiosis.core.corpus.CorpusReader});
 * only one batch is held. Immutable and thread-safe; concurrent evaluations are as safe as the scorer is.
 */
public final class PerplexityEvaluator {

    /** Default number of documents per scorer call. */
    public static final int DEFAULT_BATCH_SIZE = 8;

    private final int batchSize;

    private PerplexityEvaluator(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Batches of {@value #DEFAULT_BATCH_SIZE} documents. */
    public static PerplexityEvaluator create() {
        return new PerplexityEvaluator(DEFAULT_BATCH_SIZE);
    }

    /** A copy scoring {@code documents} documents per call ({@code >= 1}). */
    public PerplexityEvaluator withBatchSize(int documents) {
        if (documents < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + documents);
        }
        return new PerplexityEvaluator(documents);
    }

    public int batchSize() {
        return batchSize;
    }

    /** Evaluates without progress reports. */
    public PerplexityResult evaluate(TextScorer scorer, Iterable<Document> documents) {
        return evaluate(scorer, documents, EvalProgress.NONE);
    }

    /**
     * Scores every document.
     *
     * @param progress receives (documents done, total) after every batch; total is {@code -1} unless
     *     {@code documents} is a {@link Collection}
     * @throws IllegalArgumentException if there are no documents
     * @throws IllegalStateException if the scorer returns the wrong number of results or scores of another text
     */
    public PerplexityResult evaluate(TextScorer scorer, Iterable<Document> documents, EvalProgress progress) {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(progress, "progress");
        long total = documents instanceof Collection<?> c ? c.size() : -1;
        Map<String, Sums> bySource = new TreeMap<>();
        List<Document> batch = new ArrayList<>(batchSize);
        long done = 0;
        for (Document d : documents) {
            batch.add(d);
            if (batch.size() == batchSize) {
                scoreBatch(scorer, batch, bySource);
                done += batch.size();
                batch.clear();
                progress.progress(done, total);
            }
        }
        if (!batch.isEmpty()) {
            scoreBatch(scorer, batch, bySource);
            done += batch.size();
            progress.progress(done, total);
        }
        if (bySource.isEmpty()) {
            throw new IllegalArgumentException("no documents to evaluate");
        }
        Sums all = new Sums();
        List<SourcePerplexity> sources = new ArrayList<>();
        double macro = 0;
        int withBytes = 0;
        for (Map.Entry<String, Sums> e : bySource.entrySet()) {
            Sums s = e.getValue();
            SourcePerplexity sp = SourcePerplexity.of(e.getKey(), s.documents, s.tokens, s.nll, s.bytes);
            sources.add(sp);
            if (s.bytes > 0) {
                macro += sp.bitsPerByte();
                withBytes++;
            }
            all.documents += s.documents;
            all.tokens += s.tokens;
            all.nll += s.nll;
            all.bytes += s.bytes;
        }
        return new PerplexityResult(sources, withBytes == 0 ? Double.NaN : macro / withBytes,
                SourcePerplexity.of(PerplexityResult.ALL, all.documents, all.tokens, all.nll, all.bytes));
    }

    private static void scoreBatch(TextScorer scorer, List<Document> batch, Map<String, Sums> bySource) {
        List<String> texts = batch.stream().map(Document::text).toList();
        List<TokenScores> scores = scorer.score(texts);
        if (scores == null || scores.size() != texts.size()) {
            throw new IllegalStateException("scorer returned " + (scores == null ? "null" : scores.size() + " results")
                    + " for " + texts.size() + " texts");
        }
        for (int i = 0; i < batch.size(); i++) {
            Document d = batch.get(i);
            TokenScores s = scores.get(i);
            if (s == null || !s.text().equals(d.text())) {
                throw new IllegalStateException("scorer returned scores of a different text for document '" + d.id()
                        + "'");
            }
            Sums sums = bySource.computeIfAbsent(d.provenance().source(), k -> new Sums());
            sums.documents++;
            sums.tokens += s.predictedCount();
            sums.nll -= s.sumLogProb();
            sums.bytes += predictedBytes(s);
        }
    }

    /**
     * UTF-8 bytes of the text minus those of the first token's span (the part the model predicts): the denominator
     * of bits per byte, so that models with different tokenizers compare.
     */
    public static long predictedBytes(TokenScores s) {
        String t = s.text();
        return utf8Length(t, 0, t.length()) - utf8Length(t, s.starts().get(0), s.ends().get(0));
    }

    /**
     * UTF-8 length of {@code text[from, to)}: 1 to 3 bytes per BMP char, 4 per surrogate pair; a surrogate without its
     * partner in the range counts 2, so that the two halves of a pair split by a token boundary add up to 4. The
     * counting this evaluator's {@code bytes} use, for callers that split them by token.
     */
    public static long utf8Length(String text, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 2;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static final class Sums {
        int documents;
        long tokens;
        double nll;
        long bytes;
    }
}
