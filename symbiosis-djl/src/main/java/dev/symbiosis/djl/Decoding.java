package dev.symbiosis.djl;

import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.model.AttentionCache;
import dev.symbiosis.djl.model.BatchInvariance;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.Sampler;
import dev.symbiosis.djl.model.Training;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generation of a {@link DjlLanguageModel}: prompts through the chat format, left-padded batches prefilled once
 * and decoded a token per step with a key/value cache (or the whole window recomputed, for testing), each row
 * sampled with its own seeded generator, a row's window slid to its last {@code context / 2} tokens when full. On
 * the CPU a row's tokens do not depend on the rows decoded with it, to the bit ({@link BatchInvariance}): the time
 * axis is padded to multiples of {@value BatchInvariance#ALIGN} positions, at least
 * {@value BatchInvariance#MIN_ROWS} rows are decoded at once, and a row that will slide its window is decoded only
 * with rows of its own length (they slide together).
 *
 * <p>Not thread-safe.
 */
final class Decoding {

    /** Rows times vocabulary from which a generation step samples its rows in parallel. */
    private static final long PARALLEL_SAMPLING_LOGITS = 1L << 20;

    private final ModelState state;

    Decoding(ModelState state) {
        this.state = state;
    }

    /** See {@link DjlLanguageModel#generate(List, SamplingConfig, boolean)}. */
    List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling, boolean useCache) {
        return generate(prompts, sampling, useCache, null);
    }

    /** See {@link DjlLanguageModel#generateSeeded}. */
    List<Sample> generateSeeded(List<Prompt> prompts, SamplingConfig sampling, long[] rowSeeds) {
        dev.symbiosis.core.model.Generator.checkRowSeeds(prompts, rowSeeds);
        return generate(prompts, sampling, true, rowSeeds.clone());
    }

    /**
     * @param rowSeeds each row's own seed, or null for row {@code i} of the sampler's seed
     */
    private List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling, boolean useCache,
            long[] rowSeeds) {
        state.checkOpen();
        Training.noGrad();
        Objects.requireNonNull(sampling, "sampling");
        int n = state.context;
        int rowsPerBatch = state.generationRows > 0 ? state.generationRows : Math.max(1, state.maxBatchTokens / n);
        Provenance prov = Provenance.of(state.name).with("temperature", Double.toString(sampling.temperature()))
                .with("top_k", Integer.toString(sampling.topK())).with("top_p", Double.toString(sampling.topP()))
                .with("repetition_penalty", Double.toString(sampling.repetitionPenalty()));
        Sample[] out = new Sample[prompts.size()];
        for (List<Integer> group : decodingGroups(prompts, sampling.maxNewTokens())) {
            for (int from = 0; from < group.size(); from += rowsPerBatch) {
                List<Integer> rows = group.subList(from, Math.min(group.size(), from + rowsPerBatch));
                List<Prompt> chunk = new ArrayList<>(rows.size());
                SplittableRandom[] rnd = new SplittableRandom[rows.size()];
                Provenance[] provs = new Provenance[rows.size()];
                for (int k = 0; k < rows.size(); k++) {
                    int i = rows.get(k);
                    chunk.add(prompts.get(i));
                    rnd[k] = rowSeeds == null ? Sampler.rowRandom(sampling.seed(), i)
                            : Sampler.rowRandom(rowSeeds[i], 0);
                    provs[k] = prov.with("seed", Long.toString(rowSeeds == null ? sampling.seed() : rowSeeds[i]));
                }
                List<Sample> got = generateBatch(chunk, rnd, sampling, useCache, provs);
                for (int k = 0; k < rows.size(); k++) {
                    out[rows.get(k)] = got.get(k);
                }
            }
        }
        return Arrays.asList(out);
    }

    /**
     * The rows of a call in the groups that are decoded together, in order: the rows that never slide their window
     * form one group; a row that will (its prompt and new tokens exceed the context) decodes with the rows of the
     * same prompt length only, so that every row's forwards are those it would have alone
     * ({@link BatchInvariance}).
     */
    private List<List<Integer>> decodingGroups(List<Prompt> prompts, int maxNew) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            int tokens = state.tokenizer.encode(state.chat.wrap(prompts.get(i).text())).ids().length;
            int length = Math.min(state.context, Math.max(1, tokens)); // an empty prompt decodes as bos
            int key = length + maxNew > state.context ? length : -1;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(groups.values());
    }

    private List<Sample> generateBatch(List<Prompt> realPrompts, SplittableRandom[] realRnd, SamplingConfig cfg,
            boolean useCache, Provenance[] prov) {
        // copies of the first row fill the batch up to BatchInvariance.MIN_ROWS; they are done from the start
        int real = realPrompts.size();
        List<Prompt> prompts = new ArrayList<>(realPrompts);
        while (prompts.size() < BatchInvariance.MIN_ROWS) {
            prompts.add(realPrompts.get(0));
        }
        int b = prompts.size();
        int n = state.context;
        int eos = state.eos();
        int maxNew = cfg.maxNewTokens();
        int[][] rows = new int[b][];
        int[] len = new int[b];
        int[] promptLen = new int[b];
        int[] start = new int[b];
        int[] generated = new int[b];
        boolean[] done = new boolean[b];
        SplittableRandom[] rnd = Arrays.copyOf(realRnd, b);
        for (int i = 0; i < b; i++) {
            int[] p = state.tokenizer.encode(state.chat.wrap(prompts.get(i).text())).ids();
            if (p.length == 0) {
                p = new int[] {state.config.bosTokenId()};
            }
            promptLen[i] = p.length;
            rows[i] = Arrays.copyOf(p, p.length + maxNew);
            len[i] = p.length;
            start[i] = Math.max(0, p.length - n);
            done[i] = i >= real;
        }
        CausalLm model = state.model();
        try (AttentionCache cache = model.newCache()) {
            AttentionCache current = null;
            AttentionCache[] holder = {cache};
            float[][] logits = prefill(model, rows, len, start, useCache ? holder : null);
            current = holder[0];
            // rows sample independently (each its own generator): with a large vocabulary (Llama 3: 128,256
            // logits per row, a sort per row under top-p) they are sampled in parallel, with the same tokens
            boolean parallel = (long) b * state.config.vocabSize() >= PARALLEL_SAMPLING_LOGITS && b > 1;
            for (int step = 0; step < maxNew; step++) {
                float[][] stepLogits = logits;
                java.util.stream.IntStream rowIds = java.util.stream.IntStream.range(0, b);
                (parallel ? rowIds.parallel() : rowIds).forEach(i -> {
                    int tok;
                    if (done[i]) {
                        tok = eos;
                    } else {
                        // ids past the tokenizer's (a padded embedding, e.g. Pythia's 50304 rows for 50277
                        // tokens) are never sampled: they have no text
                        for (int k = state.tokenizer.vocabSize(); k < stepLogits[i].length; k++) {
                            stepLogits[i][k] = Float.NEGATIVE_INFINITY;
                        }
                        tok = Sampler.next(stepLogits[i], rows[i], len[i], cfg, rnd[i]);
                        if (state.stopIds.contains(tok)) {
                            done[i] = true;
                        } else {
                            generated[i]++;
                        }
                    }
                    rows[i][len[i]++] = tok;
                });
                boolean allDone = true;
                for (boolean d : done) {
                    allDone &= d;
                }
                if (allDone || step == maxNew - 1) {
                    break;
                }
                boolean slide = false;
                for (int i = 0; i < b; i++) {
                    if (len[i] - start[i] > n) {
                        // only this row's context is cut: other rows keep theirs (batch-independent results)
                        start[i] = len[i] - n / 2;
                        slide = true;
                    }
                }
                if (!useCache || slide) {
                    if (useCache) {
                        current.close();
                        holder[0] = model.newCache();
                    }
                    logits = prefill(model, rows, len, start, useCache ? holder : null);
                    current = holder[0];
                } else {
                    logits = decodeStep(model, rows, len, start, current);
                }
            }
            if (current != cache) {
                current.close();
            }
        }
        List<Sample> out = new ArrayList<>(real);
        for (int i = 0; i < real; i++) {
            int[] p = Arrays.copyOf(rows[i], promptLen[i]);
            int[] g = Arrays.copyOfRange(rows[i], promptLen[i], promptLen[i] + generated[i]);
            String completion = completionText(p, g);
            out.add(new Sample(prompts.get(i), completion, generated[i], prov[i]));
        }
        return out;
    }

    private String completionText(int[] prompt, int[] gen) {
        if (gen.length == 0) {
            return "";
        }
        int ctx = Math.min(prompt.length, 8);
        int[] tail = Arrays.copyOfRange(prompt, prompt.length - ctx, prompt.length);
        int[] joined = Arrays.copyOf(tail, ctx + gen.length);
        System.arraycopy(gen, 0, joined, ctx, gen.length);
        String full = state.tokenizer.decode(joined);
        String head = state.tokenizer.decode(tail);
        return full.startsWith(head) ? full.substring(head.length()) : state.tokenizer.decode(gen);
    }

    /**
     * Runs the window {@code rows[i][start[i], len[i])} of every row, left-padded to a common length, and returns
     * the next-token logits of each row. With a cache holder, fills {@code holder[0]}.
     */
    private float[][] prefill(CausalLm model, int[][] rows, int[] len, int[] start, AttentionCache[] holder) {
        int b = rows.length;
        int t = 0;
        for (int i = 0; i < b; i++) {
            t = Math.max(t, len[i] - start[i]);
        }
        t = BatchInvariance.alignedLength(t); // a row's numbers then do not depend on the batch
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            pad[i] = t - (len[i] - start[i]);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < pad[i] ? state.eos() : rows[i][start[i] + j - pad[i]];
                pos[i * t + j] = Math.max(0, j - pad[i]);
            }
        }
        return model.lastLogits(ids, pos, pad, b, t, holder == null ? null : holder[0]);
    }

    private float[][] decodeStep(CausalLm model, int[][] rows, int[] len, int[] start, AttentionCache cache) {
        int b = rows.length;
        int tk = (int) cache.length() + 1;
        long[] ids = new long[b];
        long[] pos = new long[b];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            int real = len[i] - start[i];
            pad[i] = tk - real;
            ids[i] = rows[i][len[i] - 1];
            pos[i] = real - 1;
        }
        return model.lastLogits(ids, pos, pad, b, 1, cache);
    }
}
