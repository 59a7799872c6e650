package dev.symbiosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.djl.DjlLanguageModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code score}: per-token log-likelihoods of a text under a checkpoint (GPT-2, GPT-NeoX, Llama). With {@code --json} prints one JSON
 * object {@code {"ids": [...], "token_logprobs": [...]}} where {@code token_logprobs[i] = log p(ids[i+1] |
 * ids[0..i])} in nats (no BOS is prepended), so that the numbers can be compared with Hugging Face transformers;
 * otherwise a table of tokens with log-probability and entropy and a summary line.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a text with a " + ModelOptions.FAMILIES + " checkpoint: per-token log-probabilities (nats)"
                + " and entropies.")
public final class ScoreCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--text", required = true, description = "the text to score (not empty)")
    String text;

    @Option(names = "--json", description = "print {\"ids\": [...], \"token_logprobs\": [...]} on one line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        OfflineDefaults.apply();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            System.err.println("score: --text must not be empty");
            return 2;
        }
        TokenScores s;
        try (DjlLanguageModel lm = DjlLanguageModel.load(model.source())) {
            s = lm.score(List.of(text)).get(0);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("score: " + e.getMessage());
            return 1;
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            ArrayNode ids = o.putArray("ids");
            for (int i = 0; i < s.size(); i++) {
                ids.add(s.ids().get(i));
            }
            ArrayNode lp = o.putArray("token_logprobs");
            for (int i = 0; i < s.predictedCount(); i++) {
                lp.add(s.logProbs().get(i));
            }
            out.println(mapper.writeValueAsString(o));
            return 0;
        }
        out.printf(Locale.ROOT, "%5s %7s %10s %10s  %s%n", "i", "id", "logprob", "entropy", "token");
        for (int i = 0; i < s.size(); i++) {
            String piece = text.substring(s.starts().get(i), s.ends().get(i));
            String lp = i == 0 ? "-" : String.format(Locale.ROOT, "%.4f", s.logProbs().get(i - 1));
            String h = i == 0 ? "-" : String.format(Locale.ROOT, "%.4f", s.entropies().get(i - 1));
            out.printf(Locale.ROOT, "%5d %7d %10s %10s  %s%n", i, s.ids().get(i), lp, h, quote(piece));
        }
        if (s.predictedCount() > 0) {
            double nll = -s.meanLogProb();
            out.printf(Locale.ROOT, "tokens %d, predicted %d, mean NLL %.4f nats, perplexity %.3f%n", s.size(),
                    s.predictedCount(), nll, Math.exp(nll));
        } else {
            out.printf(Locale.ROOT, "tokens %d: a single token has nothing to predict%n", s.size());
        }
        return 0;
    }

    private static String quote(String piece) {
        return "\"" + piece.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"")
                + "\"";
    }
}
