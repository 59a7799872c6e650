package dev.symbiosis.metrics.syntax;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import opennlp.tools.postag.POSModel;
import opennlp.tools.postag.POSTagFormat;
import opennlp.tools.postag.POSTaggerME;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.tokenize.TokenizerModel;

/**
 * {@link SyntaxAnalyzer} over Apache OpenNLP 2.5.4 with the UD English-EWT models 1.3 (Apache-2.0, Maven artifacts
 * {@code org.apache.opennlp:opennlp-models-{sentdetect,tokenizer,pos}-en:1.3.0}): maximum-entropy sentence detector,
 * tokenizer and POS tagger (beam search), the tagger emitting UPOS tags (compound tags such as {@code AUX+PART} for
 * contractions the tokenizer keeps whole, see {@link TaggedSentence}). The models are read once per JVM from the
 * classpath resources {@value #SENTENCE_MODEL}, {@value #TOKENIZER_MODEL} and {@value #POS_MODEL} (about 1 s) and
 * shared by every analyzer.
 *
 * <p><b>Threads.</b> OpenNLP's {@code SentenceDetectorME}, {@code TokenizerME} and {@code POSTaggerME} are not
 * thread-safe; the models are. An analyzer keeps a pool of pipelines (one of each), and a pipeline is used by one
 * thread at a time, so the analyzer itself is thread-safe. {@link #analyzeAll(List)} splits its texts into
 * contiguous chunks and tags them on up to {@link #threads()} threads (the caller and {@code threads - 1} short-lived
 * daemon threads), each with its own pipeline; results are put back in text order. Tagging a text depends only on
 * the text, so the result is identical for every thread count (a test checks 1 and 2).
 */
public final class OpenNlpAnalyzer implements SyntaxAnalyzer {

    /** Classpath resource of the sentence model. */
    public static final String SENTENCE_MODEL = "opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin";
    /** Classpath resource of the tokenizer model. */
    public static final String TOKENIZER_MODEL = "opennlp-en-ud-ewt-tokens-1.3-2.5.4.bin";
    /** Classpath resource of the POS model. */
    public static final String POS_MODEL = "opennlp-en-ud-ewt-pos-1.3-2.5.4.bin";

    /** Below this many characters in all, {@link #analyzeAll} stays on the calling thread. */
    static final int PARALLEL_MIN_CHARS = 4_000;

    private final int threads;
    private final ConcurrentLinkedQueue<Pipeline> idle = new ConcurrentLinkedQueue<>();

    private OpenNlpAnalyzer(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        Models.get(); // fail fast if a model is missing
    }

    /** An analyzer tagging on as many threads as there are processors. */
    public static OpenNlpAnalyzer create() {
        return new OpenNlpAnalyzer(Runtime.getRuntime().availableProcessors());
    }

    /**
     * An analyzer tagging on up to {@code threads} threads in {@link #analyzeAll(List)}.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws UncheckedIOException if a model cannot be read from the classpath
     */
    public static OpenNlpAnalyzer create(int threads) {
        return new OpenNlpAnalyzer(threads);
    }

    /** The number of threads of {@link #analyzeAll(List)}. */
    public int threads() {
        return threads;
    }

    @Override
    public List<TaggedSentence> analyze(String text) {
        Objects.requireNonNull(text, "text");
        Pipeline p = borrow();
        try {
            return p.analyze(text);
        } finally {
            idle.add(p);
        }
    }

    @Override
    public TaggedSentence tag(List<String> tokens) {
        String[] t = tokens.toArray(new String[0]);
        Pipeline p = borrow();
        try {
            return TaggedSentence.of(t, p.tagger.tag(t));
        } finally {
            idle.add(p);
        }
    }

    @Override
    public List<List<TaggedSentence>> analyzeAll(List<String> texts) {
        int n = texts.size();
        long chars = 0;
        for (String t : texts) {
            chars += t.length();
        }
        int workers = (int) Math.min(threads, n);
        if (workers <= 1 || chars < PARALLEL_MIN_CHARS) {
            return SyntaxAnalyzer.super.analyzeAll(texts);
        }
        @SuppressWarnings("unchecked")
        List<TaggedSentence>[] results = new List[n];
        int chunks = Math.min(n, 8 * workers);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            Pipeline p = borrow();
            try {
                int c;
                while ((c = next.getAndIncrement()) < chunks && failure.get() == null) {
                    int from = (int) ((long) c * n / chunks);
                    int to = (int) ((long) (c + 1) * n / chunks);
                    for (int i = from; i < to; i++) {
                        results[i] = p.analyze(texts.get(i));
                    }
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                idle.add(p);
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            Thread t = new Thread(work, "opennlp-tagger-" + w);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        work.run();
        boolean interrupted = false;
        for (Thread t : started) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return Arrays.asList(results);
    }

    private Pipeline borrow() {
        Pipeline p = idle.poll();
        return p != null ? p : new Pipeline(Models.get());
    }

    @Override
    public String toString() {
        return "OpenNlpAnalyzer[UD English-EWT 1.3, threads=" + threads + "]";
    }

    /** One sentence detector, tokenizer and tagger: confined to one thread at a time. */
    private static final class Pipeline {
        final SentenceDetectorME sentences;
        final TokenizerME tokenizer;
        final POSTaggerME tagger;

        Pipeline(Models m) {
            this.sentences = new SentenceDetectorME(m.sentence);
            this.tokenizer = new TokenizerME(m.tokenizer);
            // UD: the model's own UPOS tags are kept as they are (CUSTOM gives the same tags but logs a warning
            // that the format is unknown, because of the compound tags)
            this.tagger = new POSTaggerME(m.pos, POSTagFormat.UD);
        }

        List<TaggedSentence> analyze(String text) {
            List<TaggedSentence> out = new ArrayList<>();
            for (String s : sentences.sentDetect(text)) {
                String[] tokens = tokenizer.tokenize(s);
                if (tokens.length > 0) {
                    out.add(TaggedSentence.of(tokens, tagger.tag(tokens)));
                }
            }
            return out;
        }
    }

    /** The three models, read once. */
    private static final class Models {
        final SentenceModel sentence;
        final TokenizerModel tokenizer;
        final POSModel pos;

        private Models() {
            try (InputStream s = open(SENTENCE_MODEL); InputStream t = open(TOKENIZER_MODEL);
                    InputStream p = open(POS_MODEL)) {
                sentence = new SentenceModel(s);
                tokenizer = new TokenizerModel(t);
                pos = new POSModel(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the OpenNLP UD English models", e);
            }
        }

        private static InputStream open(String resource) throws IOException {
            InputStream in = OpenNlpAnalyzer.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("classpath resource not found: " + resource
                        + " (add org.apache.opennlp:opennlp-models-*-en:1.3.0)");
            }
            return in;
        }

        private static volatile Models instance;

        /** The shared models, read on first use (a failed read is retried by the next call). */
        static Models get() {
            Models m = instance;
            if (m == null) {
                synchronized (Models.class) {
                    m = instance;
                    if (m == null) {
                        m = new Models();
                        instance = m;
                    }
                }
            }
            return m;
        }
    }
}
