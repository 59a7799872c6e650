package dev.symbiosis.cli.bench;

import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.lexical.WordTokenizer;
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
 * Throughput of {@link LexicalPanel} on one core: every lexical figure of a text set, megabytes (10^6 bytes of
 * UTF-8) of input per second. Not a test: call {@link #run(List, int, int)} (the command line's {@code bench metrics}
 * command does) or {@link #main(String[])}.
 *
 * <p>Method: {@code warmup} untimed passes over the whole set (JIT), then {@code rounds} timed passes, each a
 * fresh {@link LexicalPanel#measure(List)} on the calling thread; the figure is the median round, in wall-clock time
 * and in the thread's CPU time (the latter is the one to quote on a shared machine: it does not count time spent
 * waiting for a core, though cache contention still shows). The corpus of
 * {@link #main(String[])} is a file (one text per line) or, without argument, {@link #syntheticCorpus(long, int)}.
 */
public final class LexicalBenchmark {

    private LexicalBenchmark() {}

    /**
     * The result of a run.
     *
     * @param texts number of texts
     * @param bytes UTF-8 bytes of one pass
     * @param tokens word tokens of one pass
     * @param medianSeconds median wall-clock time of one pass
     * @param medianCpuSeconds median CPU time of the measuring thread for one pass
     * @param megabytesPerSecond {@code bytes / 10^6 / medianSeconds}
     * @param megabytesPerCpuSecond {@code bytes / 10^6 / medianCpuSeconds}
     * @param tokensPerSecond {@code tokens / medianSeconds}
     */
    public record Result(int texts, long bytes, long tokens, double medianSeconds, double medianCpuSeconds,
            double megabytesPerSecond, double megabytesPerCpuSecond, double tokensPerSecond) {

        /** Named figures ({@code bench.lexical.*}), sorted. */
        public SortedMap<String, Double> figures() {
            SortedMap<String, Double> f = new TreeMap<>();
            f.put("bench.lexical.texts", (double) texts);
            f.put("bench.lexical.bytes", (double) bytes);
            f.put("bench.lexical.tokens", (double) tokens);
            f.put("bench.lexical.seconds", medianSeconds);
            f.put("bench.lexical.cpu_seconds", medianCpuSeconds);
            f.put("bench.lexical.mb_per_s", megabytesPerSecond);
            f.put("bench.lexical.mb_per_cpu_s", megabytesPerCpuSecond);
            f.put("bench.lexical.tokens_per_s", tokensPerSecond);
            return Collections.unmodifiableSortedMap(f);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "lexical panel, 1 core: %d texts, %.1f MB, %d tokens, %.3f s/pass "
                    + "(%.3f s CPU): %.1f MB/s wall, %.1f MB/s CPU, %.2f M tokens/s wall", texts, bytes / 1e6, tokens,
                    medianSeconds, medianCpuSeconds, megabytesPerSecond, megabytesPerCpuSecond, tokensPerSecond / 1e6);
        }
    }

    /**
     * Times the default {@link LexicalPanel} on these texts, on the calling thread.
     *
     * @param texts the corpus
     * @param warmup untimed passes, {@code >= 0}
     * @param rounds timed passes, {@code >= 1}
     */
    public static Result run(List<String> texts, int warmup, int rounds) {
        Objects.requireNonNull(texts, "texts");
        if (warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("warmup >= 0 and rounds >= 1 required");
        }
        long bytes = 0;
        for (String t : texts) {
            bytes += t.getBytes(StandardCharsets.UTF_8).length;
        }
        LexicalPanel panel = LexicalPanel.create();
        double tokens = 0;
        for (int i = 0; i < warmup; i++) {
            tokens = panel.measure(texts).get("lexical.tokens");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] seconds = new double[rounds];
        double[] cpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            tokens = panel.measure(texts).get("lexical.tokens");
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        Arrays.sort(seconds);
        Arrays.sort(cpu);
        double median = seconds[rounds / 2];
        double medianCpu = cpu[rounds / 2];
        return new Result(texts.size(), bytes, (long) tokens, median, medianCpu, bytes / 1e6 / median,
                bytes / 1e6 / medianCpu, tokens / median);
    }

    /**
     * A reproducible English-like corpus: words drawn from a Zipf law (exponent 1.07) over 30,000 pseudo-words
     * made of syllables, sentences of 5 to 30 words with capitals, commas and full stops, texts of 1 to 6
     * sentences, until {@code targetBytes} characters.
     */
    public static List<String> syntheticCorpus(long seed, int targetBytes) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] syllables = {"the", "an", "ka", "lo", "mer", "ist", "on", "re", "ing", "ba", "tu", "de", "son",
            "al", "ver", "pri", "ex", "com", "ly", "ness", "ta", "mi", "gor", "ble"};
        int vocabulary = 30_000;
        String[] words = new String[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            StringBuilder w = new StringBuilder();
            int n = 1 + (i < 100 ? 0 : i < 3000 ? r.nextInt(2) : 1 + r.nextInt(3));
            for (int k = 0; k < n; k++) {
                w.append(syllables[r.nextInt(syllables.length)]);
            }
            words[i] = w.toString();
        }
        double[] cumulative = new double[vocabulary];
        double s = 0;
        for (int i = 0; i < vocabulary; i++) {
            s += 1 / Math.pow(i + 1, 1.07);
            cumulative[i] = s;
        }
        List<String> texts = new ArrayList<>();
        long size = 0;
        StringBuilder b = new StringBuilder();
        while (size < targetBytes) {
            b.setLength(0);
            int sentences = 1 + r.nextInt(6);
            for (int k = 0; k < sentences; k++) {
                int len = 5 + r.nextInt(26);
                for (int j = 0; j < len; j++) {
                    int idx = Arrays.binarySearch(cumulative, r.nextDouble() * s);
                    String w = words[Math.min(vocabulary - 1, idx < 0 ? -idx - 1 : idx)];
                    if (j == 0) {
                        b.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
                    } else {
                        b.append(w);
                    }
                    b.append(j == len - 1 ? ". " : r.nextInt(12) == 0 ? ", " : " ");
                }
            }
            String text = b.toString().trim();
            texts.add(text);
            size += text.length() + 1;
        }
        return texts;
    }

    /**
     * Runs the benchmark and prints the result and the panel's figures.
     *
     * @param args optional: a UTF-8 file of one text per line, or a number of megabytes of synthetic text (default
     *     64)
     */
    public static void main(String[] args) throws IOException {
        List<String> texts;
        if (args.length > 0 && !args[0].matches("\\d+")) {
            texts = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        } else {
            int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
            texts = syntheticCorpus(20260101L, megabytes * 1_000_000);
        }
        Result result = run(texts, 2, 5);
        System.out.println(result);
        System.out.println(LexicalPanel.of(WordTokenizer.unicode(), 50, 0.72).measure(texts));
    }
}
