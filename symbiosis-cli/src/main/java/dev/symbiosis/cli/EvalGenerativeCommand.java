package dev.symbiosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.eval.AnswerExtractor;
import dev.symbiosis.core.eval.EvalSuiteReader;
import dev.symbiosis.core.eval.ExactMatch;
import dev.symbiosis.core.eval.GenerativeEvaluator;
import dev.symbiosis.core.eval.GenerativeItem;
import dev.symbiosis.core.eval.GenerativeItemResult;
import dev.symbiosis.core.eval.GenerativeResult;
import dev.symbiosis.core.eval.GenerativeTaskReader;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.djl.DjlLanguageModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eval-generative}: runs generate-and-check task files (the project's generative JSONL or GSM8K's) against a
 * checkpoint (GPT-2, GPT-NeoX, Llama) and prints one JSON line of figures: exact-match accuracy per task with its 95% Wilson interval,
 * pass@k, and their macro average ({@link GenerativeResult#figures()}). Progress goes to standard error;
 * {@code --items-out} writes every item's completions, answers and verdicts as JSON lines.
 */
@Command(name = "eval-generative", mixinStandardHelpOptions = true,
        description = "Evaluate a " + ModelOptions.FAMILIES + " checkpoint on generative task files (exact match, pass@k); prints one JSON line.")
public final class EvalGenerativeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "task files (.jsonl, .jsonl.gz)")
    List<Path> files;

    @Option(names = {"-n", "--samples"}, defaultValue = "1",
            description = "completions per item; 1 = greedy (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--k", split = ",", paramLabel = "K",
            description = "pass@k for these k <= samples (default: 1 and, with more samples, the number of samples)")
    List<Integer> ks;

    @Option(names = "--max-new-tokens", defaultValue = "" + GenerativeEvaluator.DEFAULT_MAX_NEW_TOKENS,
            description = "tokens per completion at most (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0.8",
            description = "sampling temperature > 0 when samples > 1 (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.95",
            description = "nucleus mass when samples > 1 (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "sampler seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch-size", defaultValue = "" + GenerativeEvaluator.DEFAULT_BATCH_SIZE,
            description = "items per generator call (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--extract", paramLabel = "NAME", description = "answer extractor for every item: last_number,"
            + " first_number or first_line (default: the item's metadata.extract, else by answer type)")
    String extract;

    @Option(names = "--items-out", paramLabel = "FILE", description = "write per-item results as JSON lines")
    Path itemsOut;

    @Override
    public Integer call() throws Exception {
        OfflineDefaults.apply();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        GenerativeEvaluator evaluator;
        List<GenerativeItem> items;
        try {
            List<Integer> k = ks != null ? ks : samples > 1 ? List.of(1, samples) : List.of(1);
            evaluator = GenerativeEvaluator.create().withBatchSize(batchSize).withMaxNewTokens(maxNewTokens)
                    .withSamples(samples, k.stream().mapToInt(Integer::intValue).toArray());
            if (samples > 1) {
                evaluator = evaluator.withSampling(SamplingConfig.defaults().withTemperature(temperature)
                        .withTopP(topP).withSeed(seed));
            }
            if (extract != null) {
                evaluator = evaluator.withChecker(ExactMatch.create().withExtractor(AnswerExtractor.named(extract)));
            }
            items = GenerativeTaskReader.read(files, EvalSuiteReader.Options.defaults());
        } catch (IllegalArgumentException | IOException e) { // bad options, unreadable or malformed task files
            System.err.println("eval-generative: " + e.getMessage());
            return 2;
        }
        try (DjlLanguageModel lm = DjlLanguageModel.load(model.source())) {
            GenerativeResult r = evaluator.evaluate(lm, items,
                    (done, total) -> System.err.printf("eval-generative: %d/%d items%n", done, total));
            ObjectMapper mapper = new ObjectMapper();
            if (itemsOut != null) {
                List<String> lines = new ArrayList<>();
                for (GenerativeItemResult ir : r.items()) {
                    lines.add(mapper.writeValueAsString(ir));
                }
                Files.write(itemsOut, lines, StandardCharsets.UTF_8);
            }
            out.println(mapper.writeValueAsString(r.figures()));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("eval-generative: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
