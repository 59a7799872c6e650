package dev.symbiosis.djl;

import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.AdamW;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.model.Training.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training of a {@link DjlLanguageModel}: weighted texts ({@link #train}, a text's context loss-masked) and
 * prompt/completion pairs with the prompt loss-masked ({@link #fineTune}), cut into context-size windows, bucketed by length, one fresh AdamW and schedule
 * per call, the state before the call put back when the loss is not finite; and the LoRA merge.
 *
 * <p>Not thread-safe.
 */
final class Trainer {

    private final ModelState state;

    Trainer(ModelState state) {
        this.state = state;
    }

    TrainingReport train(List<TrainingText> texts) {
        state.checkOpen();
        if (texts.isEmpty()) {
            return TrainingReport.empty();
        }
        List<Sequence> seqs = new ArrayList<>();
        for (TrainingText t : texts) {
            int[] ids = withEos(state.tokenizer.encode(t.text()).ids());
            float[] w = new float[ids.length];
            Arrays.fill(w, (float) t.weight());
            if (t.hasContext()) {
                // The context is read, not trained: its tail that fits before the text in one window, weight 0,
                // so the text's first token is predicted from it (as fineTune treats a prompt).
                int[] c = state.tokenizer.encode(t.context()).ids();
                int keep = Math.min(c.length, Math.max(0, state.context - ids.length));
                int[] joined = new int[keep + ids.length];
                System.arraycopy(c, c.length - keep, joined, 0, keep);
                System.arraycopy(ids, 0, joined, keep, ids.length);
                float[] jw = new float[joined.length];
                System.arraycopy(w, 0, jw, keep, w.length);
                ids = joined;
                w = jw;
            }
            seqs.addAll(windows(ids, w));
        }
        return fit(texts.size(), seqs, 1.0);
    }

    /** Fine-tunes with the configured learning rate times {@code learningRateScale}. */
    TrainingReport fineTune(List<PromptCompletion> examples, double learningRateScale) {
        state.checkOpen();
        if (examples.isEmpty()) {
            return TrainingReport.empty();
        }
        List<Sequence> seqs = new ArrayList<>();
        for (PromptCompletion ex : examples) {
            Framed f = framed(ex.prompt(), ex.completion(), ex.weight());
            seqs.addAll(windows(f.ids(), f.weights()));
        }
        return fit(examples.size(), seqs, learningRateScale);
    }

    /** A prompt/completion pair as {@link #fineTune} trains it, before it is cut into windows. */
    private record Framed(int[] ids, float[] weights) {}

    /**
     * {@code prompt + completion + end of answer}, the prompt through the chat format (an empty one becomes
     * {@code bos}) and left-truncated so that the whole fits the context when the completion does; the loss weight
     * {@code weight} on the completion and end positions, 0 on the prompt.
     */
    private Framed framed(String prompt, String completion, double weight) {
        int n = state.context;
        int[] p = state.tokenizer.encode(state.chat.wrap(prompt)).ids();
        if (p.length == 0) {
            p = new int[] {state.config.bosTokenId()};
        }
        int[] c = state.tokenizer.encode(completion).ids();
        c = Arrays.copyOf(c, c.length + 1);
        c[c.length - 1] = state.answerEnd >= 0 ? state.answerEnd : state.eos();
        int keepPrompt = Math.min(p.length, Math.max(0, n - c.length));
        int[] ids = new int[keepPrompt + c.length];
        System.arraycopy(p, p.length - keepPrompt, ids, 0, keepPrompt);
        System.arraycopy(c, 0, ids, keepPrompt, c.length);
        float[] w = new float[ids.length];
        Arrays.fill(w, keepPrompt, ids.length, (float) weight);
        if (keepPrompt == 0) {
            w[0] = 0f;
        }
        return new Framed(ids, w);
    }

    /**
     * DPO on preference pairs (see {@link DjlLanguageModel#fineTunePreferences}): each completion framed as
     * {@link #fineTune} frames it and cut to the context's first tokens when longer; the reference log-probabilities
     * computed once before the first step; then {@link TrainerConfig#epochs()} seeded passes over the pairs in
     * batches of {@link TrainerConfig#batchSize()} pairs, one fresh AdamW and schedule, no dropout; the state before
     * the call put back when the loss is not finite.
     */
    TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta) {
        state.checkOpen();
        PreferenceTraining.checkBeta(beta);
        if (pairs.isEmpty()) {
            return TrainingReport.empty();
        }
        Training.noGrad();
        int n = state.context;
        List<Sequence> chosen = new ArrayList<>(pairs.size());
        List<Sequence> rejected = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair p = pairs.get(i);
            for (boolean isChosen : new boolean[] {true, false}) {
                Framed f = framed(p.prompt(), isChosen ? p.chosen() : p.rejected(), 1.0);
                int len = Math.min(n, f.ids().length);
                Sequence seq = new Sequence(Arrays.copyOf(f.ids(), len), Arrays.copyOf(f.weights(), len));
                if (seq.targets() == 0) {
                    throw new IllegalArgumentException("preference pair " + i + ": the "
                            + (isChosen ? "chosen" : "rejected") + " completion carries no loss");
                }
                (isChosen ? chosen : rejected).add(seq);
            }
        }
        TrainerConfig tc = state.trainer;
        CausalLm model = state.model();
        double[] refChosen = new double[pairs.size()];
        double[] refRejected = new double[pairs.size()];
        for (int from = 0; from < pairs.size(); from += tc.batchSize()) {
            int to = Math.min(pairs.size(), from + tc.batchSize());
            List<Sequence> both = new ArrayList<>(chosen.subList(from, to));
            both.addAll(rejected.subList(from, to));
            double[] lp = Training.sequenceLogProbs(model, both, state.eos());
            System.arraycopy(lp, 0, refChosen, from, to - from);
            System.arraycopy(lp, to - from, refRejected, from, to - from);
        }
        List<List<Integer>> batches = new ArrayList<>();
        for (int e = 0; e < tc.epochs(); e++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(tc.seed() * 1_000_003L + e));
            for (int i = 0; i < order.size(); i += tc.batchSize()) {
                batches.add(order.subList(i, Math.min(i + tc.batchSize(), order.size())));
            }
        }
        return optimize(pairs.size(), batches, 1.0, (opt, batch, lr) -> {
            List<Sequence> seqs = new ArrayList<>(2 * batch.size());
            double[] ref = new double[2 * batch.size()];
            for (int j = 0; j < batch.size(); j++) {
                seqs.add(chosen.get(batch.get(j)));
                ref[j] = refChosen[batch.get(j)];
            }
            for (int j = 0; j < batch.size(); j++) {
                seqs.add(rejected.get(batch.get(j)));
                ref[batch.size() + j] = refRejected[batch.get(j)];
            }
            return Training.preferenceStep(model, opt, seqs, ref, beta, state.eos(), lr, tc.weightDecay(), tc.clip());
        });
    }

    /**
     * Folds the LoRA adapter into the base weights and starts a fresh adapter of the same configuration (the model's
     * function is unchanged). Does nothing without LoRA.
     */
    void mergeLora() {
        state.checkOpen();
        Training.noGrad();
        CausalLm model = state.model();
        if (model.lora() == null) {
            return;
        }
        state.baseChanged();
        if (model.mergeAdapterInPlace(state.trainer.seed())) {
            return;
        }
        try {
            state.replace(state.create(model.mergedTensors(), null, "merged"), null);
        } catch (IOException e) {
            throw new IllegalStateException("merge failed", e);
        }
    }

    private int[] withEos(int[] ids) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = state.eos();
        return out;
    }

    /** Cuts a sequence into context-size windows overlapping by one token; drops windows without loss. */
    private List<Sequence> windows(int[] ids, float[] w) {
        int n = state.context;
        List<Sequence> out = new ArrayList<>();
        for (int s = 0; s < ids.length - 1; s += n - 1) {
            int e = Math.min(s + n, ids.length);
            int[] wi = Arrays.copyOfRange(ids, s, e);
            float[] ww = Arrays.copyOfRange(w, s, e);
            ww[0] = 0f;
            Sequence seq = new Sequence(wi, ww);
            if (seq.targets() > 0) {
                out.add(seq);
            }
            if (e == ids.length) {
                break;
            }
        }
        return out;
    }

    private TrainingReport fit(int examples, List<Sequence> seqs, double learningRateScale) {
        Training.noGrad();
        if (seqs.isEmpty()) {
            return new TrainingReport(examples, 0, 0, Double.NaN, Double.NaN);
        }
        TrainerConfig tc = state.trainer;
        List<List<Sequence>> batches = new ArrayList<>(); // every epoch's batches, epoch after epoch
        for (int e = 0; e < tc.epochs(); e++) {
            batches.addAll(bucketed(seqs, tc.batchSize(), new Random(tc.seed() * 1_000_003L + e)));
        }
        CausalLm model = state.model();
        Random dropout = new Random(tc.seed() ^ 0x5DEECE66DL);
        return optimize(examples, batches, learningRateScale, (opt, batch, lr) -> Training.step(model, opt, batch,
                state.eos(), lr, tc.weightDecay(), tc.clip(), dropout));
    }

    /** One optimizer step on a batch at a learning rate. */
    @FunctionalInterface
    private interface BatchStep<B> {
        Training.StepResult run(AdamW opt, B batch, double lr);
    }

    /**
     * The optimisation shared by {@link #fit} and {@link #fineTunePreferences}: one fresh AdamW, a step per batch in
     * order with the warm-up and cosine schedule over all of them (peak: the configured rate times
     * {@code learningRateScale}), the losses and loss tokens summed; when a step
     * throws {@link IllegalStateException} (a loss or gradient that is not finite) the state before the call is
     * put back and the error names the step.
     */
    private <B> TrainingReport optimize(int examples, List<B> batches, double learningRateScale,
            BatchStep<B> stepper) {
        TrainerConfig tc = state.trainer;
        CausalLm model = state.model();
        Map<String, Tensor> snapshotBase = model.lora() == null ? model.baseTensors() : null;
        Map<String, Tensor> snapshotAdapter = model.lora() != null ? model.adapterTensors() : null;
        int step = 0;
        long tokens = 0;
        double sum = 0;
        double last = Double.NaN;
        try (AdamW opt = new AdamW(model.manager(), model.trainableNames(), model.trainable())) {
            for (B batch : batches) {
                // a scale of 1 leaves the rate exactly as configured (x * 1.0 == x)
                double lr = TrainerConfig.schedule(tc.learningRate() * learningRateScale, tc.warmupSteps(), step,
                        batches.size());
                Training.StepResult r = stepper.run(opt, batch, lr);
                step++;
                tokens += r.tokens();
                sum += r.loss();
                last = r.loss();
            }
        } catch (IllegalStateException e) {
            rollback(snapshotBase, snapshotAdapter);
            throw new IllegalStateException(e.getMessage() + " at step " + step + " of " + batches.size()
                    + "; the model was restored to its state before this call", e);
        }
        return new TrainingReport(examples, step, tokens, sum / step, last);
    }

    private void rollback(Map<String, Tensor> base, Map<String, Tensor> adapter) {
        try {
            CausalLm model = state.model();
            if (adapter != null && model.restoreAdapterInPlace(adapter)) {
                return;
            }
            state.replace(state.create(base != null ? base : model.baseTensors(), adapter, "snapshot"),
                    state.baseFiles());
        } catch (IOException e) {
            throw new IllegalStateException("could not restore the snapshot", e);
        }
    }

    /** Seeded shuffle, then length buckets of batchSize sequences, then a seeded batch order. */
    private static List<List<Sequence>> bucketed(List<Sequence> seqs, int batchSize, Random rnd) {
        List<Sequence> order = new ArrayList<>(seqs);
        Collections.shuffle(order, rnd);
        order.sort(Comparator.comparingInt(s -> s.ids().length));
        List<List<Sequence>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            batches.add(order.subList(i, Math.min(i + batchSize, order.size())));
        }
        Collections.shuffle(batches, rnd);
        return batches;
    }
}
