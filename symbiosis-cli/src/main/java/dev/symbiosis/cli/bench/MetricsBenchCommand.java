package dev.symbiosis.cli.bench;

import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.assets.EmbeddedAssets;
import dev.symbiosis.cli.bench.LexicalBenchmark;
import dev.symbiosis.cli.bench.PosBenchmark;
import dev.symbiosis.cli.bench.SemanticBenchmark;
import java.io.IOException;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench metrics}: the metrics panel's speed on real text (the embedded seed split): lexical panel MB/s on one
 * core, POS tagging tokens/s on one and on all threads, MiniLM sentences/s and hull volume of 10,000 points at
 * k = 5. Prints one JSON line of figures (progress on stderr).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Benchmark the metrics panel on the embedded seed split; prints one JSON line.")
public final class MetricsBenchCommand implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--pos-docs", defaultValue = "300",
            description = "Seed documents tagged by the POS benchmark. Default: ${DEFAULT-VALUE}.")
    int posDocs;

    @Option(names = "--threads", defaultValue = "2", description = "Threads of the parallel POS run (it also runs on one). "
            + "Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--no-encoder", description = "Skip the MiniLM sentence-encoder part.")
    boolean noEncoder;

    @Override
    public Integer call() throws IOException {
        List<String> texts;
        try (CorpusReader r = Corpora.open(EmbeddedAssets.open().split("seed"))) {
            texts = r.readAll().stream().map(Document::text).toList();
        }
        SortedMap<String, Double> figures = new TreeMap<>();
        System.err.println("bench metrics: lexical panel on " + texts.size() + " seed documents");
        figures.putAll(LexicalBenchmark.run(texts, 1, rounds).figures());
        List<String> posTexts = texts.subList(0, Math.min(posDocs, texts.size()));
        System.err.println("bench metrics: POS tagging of " + posTexts.size() + " documents on 1 and " + threads
                + " threads");
        figures.putAll(PosBenchmark.run(posTexts, threads, 1, rounds).figures());
        System.err.println("bench metrics: semantic (MiniLM, hull volume)");
        SemanticBenchmark.Options o = SemanticBenchmark.Options.defaults();
        figures.putAll(SemanticBenchmark.run(System.err, o, !noEncoder).figures());
        System.out.println(Json.writer().writeValueAsString(figures));
        return 0;
    }
}
