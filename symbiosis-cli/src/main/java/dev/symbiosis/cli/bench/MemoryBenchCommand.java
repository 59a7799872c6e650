package dev.symbiosis.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.cli.OfflineDefaults;
import dev.symbiosis.assets.EmbeddedAssets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code symbiosis bench memory}: does native memory grow over a long run? The embedded Student (LoRA, as in the
 * experiment) makes {@code --steps} training steps and {@code --batches} generation batches in {@code --rounds}
 * interleaved rounds; the resident set ({@code VmRSS} of /proc/self/status: JVM heap, metaspace and every native
 * allocation) and the Java heap (in use and committed) are printed as JSON after loading, after every round and
 * at the end. The first round is the warm-up (allocator pools, JIT, the tokenizer's caches): growth is judged from
 * its end. The JVM grows its committed heap lazily, which shows in the RSS too: run with a fixed, pre-touched heap
 * ({@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch ...}) to see native growth alone.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Resident memory over training steps and generation batches of the embedded Student (JSON).")
public final class MemoryBenchCommand implements Callable<Integer> {

    @Option(names = "--steps", defaultValue = "200", description = "training steps in all (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batches", defaultValue = "50",
            description = "generation batches in all (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--rounds", defaultValue = "10",
            description = "rounds the work is split into, RSS printed after each (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--batch-size", defaultValue = "8",
            description = "texts per training step and prompts per generation batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--max-new-tokens", defaultValue = "48", description = "tokens per sample (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--model", description = "A checkpoint folder; default the embedded Student 0.")
    Path model;

    /** Runs the command as its own program (offline, one PyTorch thread unless set). */
    public static void main(String[] args) {
        OfflineDefaults.apply();
        System.exit(new CommandLine(new MemoryBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (steps < rounds || batches < rounds || rounds < 2 || batchSize < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "need --rounds >= 2, --steps and --batches >= --rounds, --batch-size >= 1");
        }
        EmbeddedAssets assets = EmbeddedAssets.open();
        Path checkpoint = model != null ? model : assets.model("student-0");
        List<String> texts = new ArrayList<>();
        try (CorpusReader r = Corpora.open(assets.split("seed"))) {
            for (Document d : r.readAll()) {
                // one context window per text, so that one step is exactly batchSize texts
                texts.add(d.text().substring(0, Math.min(300, d.text().length())));
            }
        }
        ObjectNode out = Json.object();
        out.put("model", model != null ? model.toString() : "embedded student-0");
        out.put("lora", "rank 8, alpha 16 (as the experiment)");
        out.put("batch_size", batchSize);
        out.put("max_new_tokens", maxNewTokens);
        out.put("pytorch_threads", System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
        ArrayNode samples = out.putArray("samples");
        sample(samples, "before load", 0, 0);
        Provenance prov = Provenance.of("bench-memory");
        long t0 = System.nanoTime();
        int stepsDone = 0;
        int batchesDone = 0;
        int cursor = 0;
        try (DjlLanguageModel m = DjlLanguageModel.builder(checkpoint)
                .optLora(new LoraConfig(8, 16, 0.0, LoraConfig.ALL_TARGETS))
                .optTrainer(new TrainerConfig(1e-3, 2, 0.01, batchSize, 1, 1.0, 42)).build()) {
            sample(samples, "after load", 0, 0);
            for (int round = 1; round <= rounds; round++) {
                int stepsTarget = (int) ((long) steps * round / rounds);
                while (stepsDone < stepsTarget) {
                    List<TrainingText> batch = new ArrayList<>();
                    for (int i = 0; i < batchSize; i++) {
                        batch.add(TrainingText.of(texts.get(cursor++ % texts.size()), prov));
                    }
                    TrainingReport rep = m.train(batch);
                    stepsDone += rep.steps();
                }
                int batchesTarget = (int) ((long) batches * round / rounds);
                while (batchesDone < batchesTarget) {
                    List<Prompt> prompts = new ArrayList<>();
                    for (int i = 0; i < batchSize; i++) {
                        String t = texts.get((cursor + 7 * i) % texts.size());
                        prompts.add(new Prompt(t.substring(0, Math.min(40, t.length())), prov));
                    }
                    m.generate(prompts, SamplingConfig.defaults().withMaxNewTokens(maxNewTokens)
                            .withSeed(batchesDone));
                    batchesDone++;
                }
                sample(samples, round == 1 ? "after round 1 (warm-up)" : "after round " + round, stepsDone,
                        batchesDone);
                System.err.printf("round %d/%d: %d steps, %d batches, RSS %.0f MiB%n", round, rounds, stepsDone,
                        batchesDone, ProcessMemory.rssMib());
            }
        }
        sample(samples, "after close", stepsDone, batchesDone);
        double warm = samples.get(2).path("rss_mib").asDouble();
        double end = samples.get(samples.size() - 2).path("rss_mib").asDouble();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 2; i < samples.size() - 1; i++) {
            min = Math.min(min, samples.get(i).path("rss_mib").asDouble());
            max = Math.max(max, samples.get(i).path("rss_mib").asDouble());
        }
        out.put("training_steps", stepsDone);
        out.put("generation_batches", batchesDone);
        out.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        out.put("rss_start_mib", samples.get(1).path("rss_mib").asDouble());
        out.put("rss_after_warmup_mib", warm);
        out.put("rss_end_mib", end);
        out.put("rss_growth_after_warmup_mib", Math.round((end - warm) * 10) / 10.0);
        out.put("rss_range_after_warmup_mib", Math.round((max - min) * 10) / 10.0);
        out.put("peak_rss_mib", ProcessMemory.peakRssMib());
        System.out.println(Json.prettyWriter().writeValueAsString(out));
        return 0;
    }

    private static void sample(ArrayNode samples, String phase, int steps, int batches) {
        Runtime rt = Runtime.getRuntime();
        ObjectNode s = samples.addObject();
        s.put("phase", phase);
        s.put("training_steps", steps);
        s.put("generation_batches", batches);
        s.put("rss_mib", Math.round(ProcessMemory.rssMib() * 10) / 10.0);
        s.put("heap_used_mib", Math.round((rt.totalMemory() - rt.freeMemory()) / 1048576.0 * 10) / 10.0);
        s.put("heap_committed_mib", Math.round(rt.totalMemory() / 1048576.0 * 10) / 10.0);
    }
}
