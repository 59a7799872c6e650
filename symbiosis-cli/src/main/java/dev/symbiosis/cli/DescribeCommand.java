package dev.symbiosis.cli;

import dev.symbiosis.experiment.ArmChanges;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code describe}: arms that are described, not tested (a protocol's exploratory arms), over several pretrained
 * pairs ({@link ArmChanges}): each arm's change of a figure from iteration 0 to the last iteration per pair, the
 * mean, and the fraction of the reference arm's change it recovers; printed as a table and, with {@code --out},
 * written as CSV.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Each arm's change from iteration 0 to the last iteration per pretrained pair, its mean and the"
                + " gain recovered (arms described, not tested).")
public final class DescribeCommand implements Callable<Integer> {

    @Option(names = "--pair", required = true, arity = "1..*", paramLabel = "DIR[,DIR...]",
            description = "one pretrained pair's run folders (each with results.jsonl), comma-separated, e.g. its"
                    + " confirmatory seed-1 folder and its exploratory folder; repeatable")
    List<String> pairs;

    @Option(names = "--iteration", defaultValue = "-1", paramLabel = "T",
            description = "the last iteration (default: the last one in the first folder's records)")
    int iteration;

    @Option(names = "--figure", defaultValue = "bpb.macro", paramLabel = "NAME",
            description = "the evaluation figure (default: ${DEFAULT-VALUE})")
    String figure;

    @Option(names = "--reference", defaultValue = "real-upper-bound", paramLabel = "ARM",
            description = "the arm whose change is the whole gain (default: ${DEFAULT-VALUE})")
    String reference;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the rows as CSV")
    Path out;

    @Override
    public Integer call() {
        OfflineDefaults.apply();
        try {
            List<List<Path>> folders = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String p : pairs) {
                List<Path> f = Arrays.stream(p.split(",")).filter(s -> !s.isBlank()).map(Path::of).toList();
                folders.add(f);
                names.add(f.isEmpty() ? "" : pairName(f.get(0)));
            }
            if (folders.get(0).isEmpty()) {
                throw new IllegalArgumentException("a pair without run folders");
            }
            int t = iteration >= 0 ? iteration : ArmChanges.lastIteration(folders.get(0).get(0));
            List<ArmChanges.Row> rows = ArmChanges.of(folders, t, figure, reference);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-40s", "arm"));
            names.forEach(n -> sb.append(String.format(Locale.ROOT, " %10s", clip(n))));
            sb.append(String.format(Locale.ROOT, " %10s %10s%n", "mean", "gain"));
            for (ArmChanges.Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-40s", r.arm()));
                r.perPair().forEach(v -> sb.append(' ').append(number(v, "%+10.4f")));
                sb.append(' ').append(number(r.mean(), "%+10.4f")).append(' ')
                        .append(number(r.gainRecovered(), "%10.2f")).append(System.lineSeparator());
            }
            System.out.printf(Locale.ROOT, "%s from iteration 0 to %d per pair (gain: share of %s's change)%n%s",
                    figure, t, reference, sb);
            if (out != null) {
                ArmChanges.writeCsv(rows, names, out);
                System.out.println("csv: " + out);
            }
            return 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("describe: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("describe: " + e.getMessage());
            return 2;
        }
    }

    /** A pair's column name: its first folder's, or the parent's for a run-seed folder ({@code seed-N}). */
    private static String pairName(Path first) {
        Path parent = first.getParent();
        return first.getFileName().toString().startsWith("seed-") && parent != null
                ? parent.getFileName().toString() : first.getFileName().toString();
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? String.format(Locale.ROOT, "%10s", "-") : String.format(Locale.ROOT, format, v);
    }

    private static String clip(String s) {
        return s.length() <= 10 ? s : s.substring(s.length() - 10);
    }
}
