package dev.symbiosis.cli;

import dev.symbiosis.core.loop.ProgressStyle;
import dev.symbiosis.djl.Pretrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pretrain}: trains a GPT-2 model from scratch on corpus files with a given tokenizer (see
 * {@link Pretrainer}). Shows a progress bar (step, loss, tokens per second, ETA) on standard error, writes a
 * resumable checkpoint every {@code --checkpoint-every} steps and at the end; running the same command again resumes
 * from the last checkpoint. The checkpoint directory holds {@code training-log.jsonl} (step, loss, lr per step).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train a GPT-2 model from scratch (resumable: re-run the same command to continue).")
public final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--corpus", required = true, arity = "1..*", paramLabel = "FILE",
            description = "corpus files or folders: .jsonl(.gz) with a \"text\" field, .txt(.gz), or folders of .txt")
    List<Path> corpus;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "tokenizer.json to use")
    Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "checkpoint directory")
    Path out;

    @Option(names = "--d-model", defaultValue = "128", description = "width n_embd (default: ${DEFAULT-VALUE})")
    int dModel;

    @Option(names = "--n-layer", defaultValue = "4", description = "blocks (default: ${DEFAULT-VALUE})")
    int nLayer;

    @Option(names = "--n-head", defaultValue = "4", description = "attention heads (default: ${DEFAULT-VALUE})")
    int nHead;

    @Option(names = "--ctx", defaultValue = "128", description = "context length n_positions"
            + " (default: ${DEFAULT-VALUE})")
    int ctx;

    @Option(names = "--steps", defaultValue = "1000", description = "optimizer steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "16", description = "windows per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", defaultValue = "-1",
            description = "warm-up steps; -1 = 5%% of the steps, at most 200 (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW weight decay"
            + " (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "0", description = "initialisation and batch seed"
            + " (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--domains", split = ",", paramLabel = "NAME",
            description = "train only on documents of these domains (the JSONL \"source\" field), comma-separated;"
                    + " default: every document")
    List<String> domains = List.of();

    @Option(names = "--checkpoint-every", defaultValue = "200",
            description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--threads", defaultValue = "1",
            description = "PyTorch intra-op threads; 0 = PyTorch's default (all cores). One is the default because on a"
                    + " shared machine oversubscribed OpenMP threads made steps several times slower; raise it on a"
                    + " machine of your own (see docs/performance.md) (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        OfflineDefaults.apply();
        if (threads > 0) {
            // read once by the PyTorch engine when it starts, which happens below
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        } else if (threads < 0) {
            System.err.println("pretrain: --threads must be >= 0");
            return 2;
        }
        PrintStream err = System.err;
        err.println("pretrain: " + (threads == 0 ? "PyTorch's default intra-op threads (all cores)"
                : threads + " PyTorch intra-op thread" + (threads == 1 ? "" : "s")) + " (--threads)");
        Pretrainer p;
        try {
            p = Pretrainer.builder(corpus, tokenizer, out).optDModel(dModel).optLayers(nLayer).optHeads(nHead)
                    .optContext(ctx).optSteps(steps).optBatch(batch).optLearningRate(lr).optWeightDecay(weightDecay)
                    .optSeed(seed).optCheckpointEvery(checkpointEvery).optDomains(Set.copyOf(domains));
            if (warmup >= 0) {
                p.optWarmup(warmup);
            }
        } catch (IllegalArgumentException e) {
            err.println("pretrain: " + e.getMessage());
            return 2;
        }
        Bar bar = new Bar(err, ProgressStyle.detect());
        p.optListener(bar);
        try {
            Pretrainer.Result r = p.run();
            bar.finish();
            err.printf(Locale.ROOT, "pretrain: %d steps done (resumed from %d), final loss %.4f, checkpoint %s%n",
                    r.steps(), r.resumedFrom(), r.finalLoss(), out);
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            bar.finish();
            err.println("pretrain: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Progress on standard error: a one-line bar redrawn at most every 200 ms at a terminal, or whole lines (at
     * quarters, at the end and at most one per ten seconds) when output is redirected ({@link ProgressStyle}).
     */
    static final class Bar implements Pretrainer.Listener {
        private static final int WIDTH = 30;
        private final PrintStream err;
        private final ProgressStyle style;
        private long startNanos;
        private int fromStep;
        private long lastDraw;
        private double lastFraction = -1;
        private boolean drawn;

        Bar(PrintStream err, ProgressStyle style) {
            this.err = err;
            this.style = style;
        }

        @Override
        public void started(int from, int total, long corpusTokens, long parameters) {
            fromStep = from;
            startNanos = System.nanoTime();
            if (from >= total) {
                err.printf(Locale.ROOT, "pretrain: the checkpoint is already at step %d of %d; nothing to do%n", from,
                        total);
            } else {
                err.printf(Locale.ROOT, "pretrain: %,d parameters, corpus %,d tokens, steps %d..%d%n", parameters,
                        corpusTokens, from + 1, total);
            }
        }

        @Override
        public void step(int step, int total, double loss, double lr, double tokensPerSecond) {
            long now = System.nanoTime();
            double frac = (double) step / total;
            double elapsed = (now - startNanos) / 1e9;
            int done = step - fromStep;
            double eta = done == 0 ? 0 : elapsed / done * (total - step);
            if (style == ProgressStyle.LINES) {
                if (ProgressStyle.lineDue(frac, lastFraction, now - lastDraw)) {
                    lastDraw = now;
                    lastFraction = frac;
                    err.printf(Locale.ROOT, "pretrain: step %d/%d loss %.4f lr %.2e %.1fk tok/s ETA %s%n", step,
                            total, loss, lr, tokensPerSecond / 1000, Pretrainer.clock(eta));
                }
                return;
            }
            if (step < total && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            int filled = (int) Math.round(frac * WIDTH);
            err.printf(Locale.ROOT, "\r[%s%s] %d/%d loss %.4f lr %.2e %.1fk tok/s ETA %s   ", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), step, total, loss, lr, tokensPerSecond / 1000,
                    Pretrainer.clock(eta));
            drawn = true;
        }

        @Override
        public void checkpoint(int step, Path dir) {
            // the bar line already shows the step; nothing else to print
        }

        void finish() {
            if (drawn) {
                err.println();
                drawn = false;
            }
        }
    }
}
