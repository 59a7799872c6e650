package dev.symbiosis.cli;

import dev.symbiosis.experiment.ExperimentConfig;
import dev.symbiosis.experiment.Study;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code study}: a confirmatory study over several pretrained pairs by a declared protocol (docs/protocol.md's unless
 * {@code --protocol} names another), each pair one experiment's output folder ({@link Study}): the primary and secondary comparisons with their verdicts, the fraction of the
 * real-data gain recovered over every run, the calibration conditions per pair and a forest plot, written into
 * {@code --out}.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "The declared comparisons (docs/protocol.md) over several pretrained pairs' experiment folders.")
public final class StudyCommand implements Callable<Integer> {

    @Option(names = "--pair", required = true, arity = "1..*", paramLabel = "DIR",
            description = "one pretrained pair's experiment output folder (its seed-* run folders, or one run folder);"
                    + " repeatable")
    List<Path> pairs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for study.html and its files")
    Path out;

    @Option(names = "--iteration", defaultValue = "-1", paramLabel = "T",
            description = "the last iteration, where the comparisons are made (default: the first run's iterations)")
    int iteration;

    @Option(names = "--protocol", paramLabel = "FILE",
            description = "the declared comparisons as JSON: {\"name\": ..., \"primary\": [\"a\", \"b\"], \"secondary\":"
                    + " [[\"a\", \"b\"], ...]} (default: docs/protocol.md's, symbiosis vs static-synthetic and four"
                    + " secondary comparisons)")
    Path protocol;

    @Override
    public Integer call() {
        OfflineDefaults.apply();
        try {
            List<Study.Pair> p = Study.pairs(pairs);
            int t = iteration >= 0 ? iteration : ExperimentConfig.ofRun(p.get(0).runs().get(0)).iterations();
            Study.Protocol declared = protocol == null ? Study.Protocol.ISSUE_16 : Study.Protocol.read(protocol);
            Study.Result r = Study.compute(p, t, declared);
            Path report = Study.write(r, out);
            var c = r.primary().comparison();
            System.out.printf(Locale.ROOT, "study: %d pairs, %d runs; %s - %s at iteration %d: %+.4f [%+.4f, %+.4f],"
                    + " margin %.4f: %s%nreport: %s%n", c.pairs(), c.runs(), c.a(), c.b(), t, c.difference(),
                    c.lower95(), c.upper95(), c.margin(), c.verdict().words(), report);
            return 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("study: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("study: " + e.getMessage());
            return 2;
        }
    }
}
