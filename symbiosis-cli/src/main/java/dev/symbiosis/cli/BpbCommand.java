package dev.symbiosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.eval.PerplexityEvaluator;
import dev.symbiosis.core.eval.PerplexityResult;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.experiment.ExperimentData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bpb}: held-out bits per byte of checkpoints on a corpus, per domain (provenance source) and macro-averaged
 * over the domains: the experiment's headline figure ({@code bpb.macro}) outside the loop, e.g. for Generator 0 and
 * Student 0 on a validation split. Prints one JSON object per model on standard output.
 */
@Command(name = "bpb", mixinStandardHelpOptions = true,
        description = "Bits per byte of checkpoints on a corpus, per domain and macro-averaged (one JSON line per"
                + " model).")
public final class BpbCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, arity = "1..*", paramLabel = "DIR",
            description = "checkpoint folders (config.json, model.safetensors, tokenizer.json)")
    List<Path> models;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "corpus file: .jsonl(.gz) with \"text\" and \"source\" (the domain), or .txt")
    Path data;

    @Option(names = "--per-domain", defaultValue = "0",
            description = "documents per domain, a seeded sample (the experiment draws held-out documents the same"
                    + " way); 0 = every document (default: ${DEFAULT-VALUE})")
    int perDomain;

    @Option(names = "--sample-seed", defaultValue = "42",
            description = "seed of the per-domain sample; the experiment uses its master seed (default:"
                    + " ${DEFAULT-VALUE})")
    long sampleSeed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OfflineDefaults.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (perDomain < 0) {
            err.println("bpb: --per-domain must be >= 0, got " + perDomain);
            return 2;
        }
        List<Document> docs;
        try (CorpusReader r = Corpora.open(data)) {
            docs = sample(r.readAll(), perDomain, sampleSeed);
        } catch (IOException e) {
            err.println("bpb: " + e.getMessage());
            return 1;
        }
        ObjectMapper json = new ObjectMapper();
        for (Path m : models) {
            PerplexityResult result;
            try (DjlLanguageModel lm = DjlLanguageModel.load(m)) {
                result = PerplexityEvaluator.create().withBatchSize(16).evaluate(lm, docs);
            } catch (IOException e) {
                err.println("bpb: " + e.getMessage());
                return 1;
            }
            ObjectNode o = json.createObjectNode();
            o.put("model", m.toString());
            o.put("data", data.toString());
            o.put("documents", docs.size());
            result.figures().forEach(o::put);
            out.println(json.writeValueAsString(o));
            out.flush();
        }
        return 0;
    }

    /** Every document when {@code perDomain} is 0, else the experiment's held-out sample. */
    static List<Document> sample(List<Document> docs, int perDomain, long seed) {
        return perDomain == 0 ? docs : ExperimentData.heldOutByDomain(docs, perDomain, seed);
    }
}
