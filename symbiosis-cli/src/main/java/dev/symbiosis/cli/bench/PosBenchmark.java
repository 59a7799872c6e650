package dev.symbiosis.cli.bench;

import dev.symbiosis.metrics.syntax.OpenNlpAnalyzer;
import dev.symbiosis.metrics.syntax.TaggedSentence;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Throughput of the OpenNLP UD English pipeline ({@link OpenNlpAnalyzer}: sentence detection, tokenization, POS
 * tagging) in tokens per second, on one thread and on several. Not a test: call {@link #run(List, int, int, int)}
 * (the command line's {@code bench metrics} command does) or {@link #main(String[])}.
 *
 * <p>Method: for each configuration, {@code warmup} untimed passes of {@link OpenNlpAnalyzer#analyzeAll(List)} over
 * the whole set, then {@code rounds} timed passes; the figure is the median. Tokens are OpenNLP tokens (before
 * compound tags are expanded). The one-thread configuration also reports the thread's CPU time, the fair per-core
 * figure on a shared machine. The models are loaded before timing.
 */
public final class PosBenchmark {

    private PosBenchmark() {}

    /**
     * The result of a run.
     *
     * @param texts number of texts
     * @param sentences sentences of one pass
     * @param tokens tokens of one pass
     * @param threads the thread count of the parallel configuration
     * @param oneThreadSeconds median wall time of a pass on one thread
     * @param oneThreadCpuSeconds median CPU time of that thread for a pass
     * @param parallelSeconds median wall time of a pass on {@code threads} threads
     */
    public record Result(int texts, long sentences, long tokens, int threads, double oneThreadSeconds,
            double oneThreadCpuSeconds, double parallelSeconds) {

        /** Tokens per second on one thread, wall clock. */
        public double tokensPerSecondOneThread() {
            return tokens / oneThreadSeconds;
        }

        /** Tokens per CPU-second on one thread (per-core speed, robust to a busy machine). */
        public double tokensPerCpuSecond() {
            return tokens / oneThreadCpuSeconds;
        }

        /** Tokens per second on {@link #threads()} threads, wall clock. */
        public double tokensPerSecondParallel() {
            return tokens / parallelSeconds;
        }

        /** Named figures ({@code bench.pos.*}), sorted. */
        public SortedMap<String, Double> figures() {
            SortedMap<String, Double> f = new TreeMap<>();
            f.put("bench.pos.texts", (double) texts);
            f.put("bench.pos.sentences", (double) sentences);
            f.put("bench.pos.tokens", (double) tokens);
            f.put("bench.pos.threads", (double) threads);
            f.put("bench.pos.tokens_per_s_1_thread", tokensPerSecondOneThread());
            f.put("bench.pos.tokens_per_cpu_s_1_thread", tokensPerCpuSecond());
            f.put("bench.pos.tokens_per_s_parallel", tokensPerSecondParallel());
            f.put("bench.pos.speedup", oneThreadSeconds / parallelSeconds);
            return Collections.unmodifiableSortedMap(f);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "POS pipeline: %d texts, %d sentences, %d tokens; 1 thread %.0f tokens/s "
                    + "wall (%.0f tokens/CPU-s); %d threads %.0f tokens/s wall (speed-up %.2f)", texts, sentences,
                    tokens, tokensPerSecondOneThread(), tokensPerCpuSecond(), threads, tokensPerSecondParallel(),
                    oneThreadSeconds / parallelSeconds);
        }
    }

    /**
     * Times {@link OpenNlpAnalyzer#analyzeAll(List)} on one thread (the calling one) and on {@code threads}.
     *
     * @param texts the corpus
     * @param threads threads of the parallel configuration, {@code >= 1}
     * @param warmup untimed passes per configuration, {@code >= 0}
     * @param rounds timed passes per configuration, {@code >= 1}
     */
    public static Result run(List<String> texts, int threads, int warmup, int rounds) {
        Objects.requireNonNull(texts, "texts");
        if (threads < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("threads >= 1, warmup >= 0 and rounds >= 1 required");
        }
        OpenNlpAnalyzer one = OpenNlpAnalyzer.create(1);
        OpenNlpAnalyzer many = OpenNlpAnalyzer.create(threads);
        long sentences = 0;
        long tokens = 0;
        for (List<TaggedSentence> text : one.analyzeAll(texts)) {
            sentences += text.size();
            for (TaggedSentence s : text) {
                tokens += s.size();
            }
        }
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        for (int i = 0; i < warmup; i++) {
            one.analyzeAll(texts);
        }
        for (int i = 0; i < rounds; i++) {
            long c0 = bean.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            one.analyzeAll(texts);
            wall[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (bean.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        double[] parallel = new double[rounds];
        for (int i = 0; i < warmup; i++) {
            many.analyzeAll(texts);
        }
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            many.analyzeAll(texts);
            parallel[i] = (System.nanoTime() - t0) / 1e9;
        }
        return new Result(texts.size(), sentences, tokens, threads, median(wall), median(cpu), median(parallel));
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /**
     * Reproducible English texts from a small phrase grammar over about 150 common words: declaratives with
     * optional adjectives, prepositional phrases, subordinate and coordinate clauses, questions; 1 to 4 sentences
     * per text.
     */
    public static List<String> syntheticEnglish(long seed, int count) {
        String[] dets = {"the", "a", "this", "that", "every", "my", "our", "some", "no", "his", "her"};
        String[] nouns = {"cat", "dog", "teacher", "river", "city", "child", "engine", "report", "garden", "storm",
            "window", "letter", "market", "doctor", "student", "road", "mountain", "computer", "question", "answer",
            "friend", "village", "song", "book", "door", "morning", "problem", "team", "government", "idea"};
        String[] verbs = {"saw", "found", "liked", "moved", "built", "opened", "carried", "watched", "wrote",
            "read", "sold", "bought", "fixed", "painted", "closed", "followed", "heard", "helped", "left", "knew"};
        String[] intransitive = {"slept", "arrived", "laughed", "waited", "fell", "rose", "stayed", "failed"};
        String[] adjs = {"old", "small", "bright", "quiet", "heavy", "green", "strange", "new", "long", "happy",
            "cold", "young", "broken", "famous", "empty"};
        String[] advs = {"quickly", "slowly", "often", "never", "suddenly", "carefully", "again", "already"};
        String[] preps = {"near", "behind", "under", "after", "with", "before", "across", "into", "from", "over"};
        String[] subs = {"because", "although", "when", "if", "while", "since"};
        String[] pronouns = {"he", "she", "it", "they", "we", "you", "I"};
        String[] modals = {"will", "can", "should", "might", "must"};
        String[] names = {"Anna", "Peter", "London", "Maria", "Paris", "John"};
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(count);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.setLength(0);
            int sentences = 1 + r.nextInt(4);
            for (int k = 0; k < sentences; k++) {
                StringBuilder s = new StringBuilder();
                int form = r.nextInt(10);
                if (form == 0) {
                    s.append("did ").append(pick(r, pronouns)).append(' ').append("see ").append(np(r, dets, adjs, nouns))
                            .append('?');
                } else {
                    if (r.nextInt(4) == 0) {
                        s.append(pick(r, subs)).append(' ').append(pick(r, pronouns)).append(' ')
                                .append(pick(r, intransitive)).append(", ");
                    }
                    s.append(r.nextInt(5) == 0 ? pick(r, names) : np(r, dets, adjs, nouns)).append(' ');
                    if (r.nextInt(3) == 0) {
                        s.append(pick(r, modals)).append(' ').append(r.nextBoolean() ? "see" : "help").append(' ');
                    } else {
                        if (r.nextInt(4) == 0) {
                            s.append(pick(r, advs)).append(' ');
                        }
                        s.append(pick(r, verbs)).append(' ');
                    }
                    s.append(np(r, dets, adjs, nouns));
                    if (r.nextBoolean()) {
                        s.append(' ').append(pick(r, preps)).append(' ').append(np(r, dets, adjs, nouns));
                    }
                    if (r.nextInt(4) == 0) {
                        s.append(" and ").append(pick(r, pronouns)).append(' ').append(pick(r, intransitive));
                    }
                    s.append(r.nextInt(6) == 0 ? '!' : '.');
                }
                s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
                b.append(s).append(' ');
            }
            out.add(b.toString().trim());
        }
        return out;
    }

    private static String pick(SplittableRandom r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    private static String np(SplittableRandom r, String[] dets, String[] adjs, String[] nouns) {
        StringBuilder s = new StringBuilder(pick(r, dets)).append(' ');
        if (r.nextInt(3) == 0) {
            s.append(pick(r, adjs)).append(' ');
        }
        return s.append(pick(r, nouns)).toString();
    }

    /**
     * Runs the benchmark with every available processor for the parallel configuration and prints the result.
     *
     * @param args optional: a UTF-8 file of one text per line, or a number of synthetic texts (default 3000)
     */
    public static void main(String[] args) throws IOException {
        List<String> texts;
        if (args.length > 0 && !args[0].matches("\\d+")) {
            texts = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
            texts.removeIf(String::isBlank);
        } else {
            texts = syntheticEnglish(20260101L, args.length > 0 ? Integer.parseInt(args[0]) : 3000);
        }
        System.out.println(run(texts, Runtime.getRuntime().availableProcessors(), 1, 3));
    }
}
