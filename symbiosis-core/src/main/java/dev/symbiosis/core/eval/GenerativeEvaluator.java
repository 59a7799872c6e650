package dev.symbiosis.core.eval;

import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates generate-and-check tasks (GSM8K-style exact match, HumanEval-style pass@k with a user
 * {@link AnswerChecker}) with any core {@link Generator}.
 *
 * <p><b>Sampling.</b> Each item's prompt is continued {@code samples} times. With one sample (the default) decoding is
 * greedy ({@link SamplingConfig#greedy}) with {@code maxNewTokens} new tokens, so the result is that of the model,
 * not of a seed. With more, the completions are drawn with {@link #withSampling} (default temperature 0.8, top-p
 * 0.95, as Chen et al. 2021 for pass@k), the batch's seed being the configured seed plus the batch index.
 *
 * <p><b>Figures.</b> Per task: exact-match accuracy = items whose first completion the checker accepts, with a 95%
 * Wilson interval ({@link Proportion}); for every k of {@link #withSamples} the mean over items of the unbiased
 * estimator {@code 1 - C(n - c, k) / C(n, k)} ({@link PassAtK}); per item the completions, answers and verdicts
 * ({@link GenerativeResult}).
 *
 * <p><b>Batching.</b> Items are taken in input order, {@code batchSize} at a time; every sample of a batch goes to
 * the generator in one call (item by item, sample by sample). Greedy results do not depend on the batch size for a
 * deterministic generator; sampled results are reproducible for the same seed, batch size and items.
 *
 * <p>Immutable and thread-safe; concurrent evaluations are as safe as the generator and checker are.
 */
public final class GenerativeEvaluator {

    /** Default number of items per generator call. */
    public static final int DEFAULT_BATCH_SIZE = 16;
    /** Default number of new tokens per completion: enough for a short answer, cheap for tiny models. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 16;

    private final int batchSize;
    private final int maxNewTokens;
    private final int samples;
    private final List<Integer> passAtK;
    private final SamplingConfig sampling;
    private final AnswerChecker checker;

    private GenerativeEvaluator(int batchSize, int maxNewTokens, int samples, List<Integer> passAtK,
            SamplingConfig sampling, AnswerChecker checker) {
        this.batchSize = batchSize;
        this.maxNewTokens = maxNewTokens;
        this.samples = samples;
        this.passAtK = passAtK;
        this.sampling = sampling;
        this.checker = checker;
    }

    /**
     * {@value #DEFAULT_BATCH_SIZE} items per call, {@value #DEFAULT_MAX_NEW_TOKENS} new tokens, one greedy sample,
     * pass@1, {@link ExactMatch#create()}.
     */
    public static GenerativeEvaluator create() {
        return new GenerativeEvaluator(DEFAULT_BATCH_SIZE, DEFAULT_MAX_NEW_TOKENS, 1, List.of(1),
                SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95), ExactMatch.create());
    }

    /** A copy generating for {@code items} items per call ({@code >= 1}). */
    public GenerativeEvaluator withBatchSize(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + items);
        }
        return new GenerativeEvaluator(items, maxNewTokens, samples, passAtK, sampling, checker);
    }

    /** A copy generating at most {@code tokens} new tokens per completion ({@code >= 1}; overrides the sampler's). */
    public GenerativeEvaluator withMaxNewTokens(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + tokens);
        }
        return new GenerativeEvaluator(batchSize, tokens, samples, passAtK, sampling, checker);
    }

    /**
     * A copy drawing {@code n} completions per item and reporting pass@k for each of {@code ks}; default one greedy
     * completion and pass@1.
     *
     * @throws IllegalArgumentException if {@code n < 1}, {@code ks} is empty, or a k is below 1 or above {@code n}
     */
    public GenerativeEvaluator withSamples(int n, int... ks) {
        if (n < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + n);
        }
        if (ks.length == 0) {
            throw new IllegalArgumentException("give at least one k for pass@k");
        }
        Set<Integer> set = new TreeSet<>();
        for (int k : ks) {
            if (k < 1 || k > n) {
                throw new IllegalArgumentException("pass@k needs 1 <= k <= samples, got k = " + k + " with " + n
                        + " samples per item");
            }
            set.add(k);
        }
        return new GenerativeEvaluator(batchSize, maxNewTokens, n, List.copyOf(set), sampling, checker);
    }

    /**
     * A copy drawing the completions of multi-sample runs with {@code config} (its {@code maxNewTokens} is replaced
     * by this evaluator's); ignored with one sample, which is greedy. Default temperature 0.8, top-p 0.95, seed 0.
     *
     * @throws IllegalArgumentException if {@code config} is greedy (every sample would be the same)
     */
    public GenerativeEvaluator withSampling(SamplingConfig config) {
        Objects.requireNonNull(config, "sampling");
        if (config.isGreedy()) {
            throw new IllegalArgumentException("a greedy sampler draws the same completion every time; use one sample"
                    + " for greedy decoding");
        }
        return new GenerativeEvaluator(batchSize, maxNewTokens, samples, passAtK, config, checker);
    }

    /** A copy judging completions with {@code checker} (default {@link ExactMatch#create()}). */
    public GenerativeEvaluator withChecker(AnswerChecker checker) {
        return new GenerativeEvaluator(batchSize, maxNewTokens, samples, passAtK, sampling,
                Objects.requireNonNull(checker, "checker"));
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    public int samples() {
        return samples;
    }

    /** The k of the reported pass@k, ascending. */
    public List<Integer> passAtK() {
        return passAtK;
    }

    public AnswerChecker checker() {
        return checker;
    }

    /** The sampler of one generator call: greedy with one sample, else the configured one with a per-batch seed. */
    SamplingConfig samplingFor(int batchIndex) {
        if (samples == 1) {
            return SamplingConfig.greedy(maxNewTokens);
        }
        return sampling.withMaxNewTokens(maxNewTokens).withSeed(sampling.seed() + batchIndex);
    }

    /** Evaluates without progress reports. */
    public GenerativeResult evaluate(Generator generator, List<GenerativeItem> items) {
        return evaluate(generator, items, EvalProgress.NONE);
    }

    /**
     * Generates and checks every item.
     *
     * @param items at least one item, ids unique; tasks are reported in order of first appearance
     * @param progress receives (items done, items total) after every batch
     * @throws IllegalArgumentException if there are no items or two share an id
     * @throws IllegalStateException if the generator returns the wrong number of samples or samples of other prompts
     */
    public GenerativeResult evaluate(Generator generator, List<GenerativeItem> items, EvalProgress progress) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(progress, "progress");
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no generative items to evaluate");
        }
        Set<String> ids = new HashSet<>();
        for (GenerativeItem it : items) {
            if (!ids.add(it.id())) {
                throw new IllegalArgumentException("duplicate item id '" + it.id() + "'");
            }
        }
        List<GenerativeItemResult> results = new ArrayList<>(items.size());
        for (int from = 0, batch = 0; from < items.size(); from += batchSize, batch++) {
            List<GenerativeItem> chunk = items.subList(from, Math.min(items.size(), from + batchSize));
            results.addAll(generateBatch(generator, chunk, samplingFor(batch)));
            progress.progress(from + chunk.size(), items.size());
        }
        Map<String, List<GenerativeItemResult>> byTask = new LinkedHashMap<>();
        for (GenerativeItemResult r : results) {
            byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r);
        }
        List<GenerativeTaskResult> tasks = new ArrayList<>();
        for (Map.Entry<String, List<GenerativeItemResult>> e : byTask.entrySet()) {
            List<GenerativeItemResult> rs = e.getValue();
            int right = (int) rs.stream().filter(GenerativeItemResult::firstCorrect).count();
            Map<Integer, Double> pass = new TreeMap<>();
            for (int k : passAtK) {
                pass.put(k, rs.stream().mapToDouble(r -> PassAtK.estimate(r.samples(), r.correctCount(), k))
                        .average().orElseThrow());
            }
            tasks.add(new GenerativeTaskResult(e.getKey(), rs.size(), samples, Proportion.of(right, rs.size()),
                    pass));
        }
        double macro = tasks.stream().mapToDouble(t -> t.exactMatch().value()).average().orElseThrow();
        return new GenerativeResult(tasks, macro, results);
    }

    private List<GenerativeItemResult> generateBatch(Generator generator, List<GenerativeItem> batch,
            SamplingConfig config) {
        List<Prompt> prompts = new ArrayList<>(batch.size() * samples);
        for (GenerativeItem it : batch) {
            Prompt p = new Prompt(it.prompt(), Provenance.of(it.source()).with("kind", "eval").with("item", it.id()));
            for (int s = 0; s < samples; s++) {
                prompts.add(p);
            }
        }
        List<Sample> out = generator.generate(prompts, config);
        if (out == null || out.size() != prompts.size()) {
            throw new IllegalStateException("generator returned " + (out == null ? "null" : out.size() + " samples")
                    + " for " + prompts.size() + " prompts");
        }
        List<GenerativeItemResult> results = new ArrayList<>(batch.size());
        int k = 0;
        for (GenerativeItem it : batch) {
            List<String> completions = new ArrayList<>(samples);
            List<String> answers = new ArrayList<>(samples);
            List<Boolean> correct = new ArrayList<>(samples);
            int right = 0;
            for (int s = 0; s < samples; s++, k++) {
                Sample sample = out.get(k);
                if (sample == null || !sample.prompt().text().equals(it.prompt())) {
                    throw new IllegalStateException("generator returned a sample of another prompt for item '"
                            + it.id() + "' sample " + s);
                }
                AnswerChecker.Verdict v = checker.check(it, sample.completion());
                if (v == null) {
                    throw new IllegalStateException("checker returned no verdict for item '" + it.id() + "'");
                }
                completions.add(sample.completion());
                answers.add(v.answer());
                correct.add(v.correct());
                right += v.correct() ? 1 : 0;
            }
            results.add(new GenerativeItemResult(it.id(), it.task(), completions, answers, correct, right));
        }
        return results;
    }
}
