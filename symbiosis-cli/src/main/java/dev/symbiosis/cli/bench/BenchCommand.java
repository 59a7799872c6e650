package dev.symbiosis.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code symbiosis bench}: benchmark suites.
 *
 * <ul>
 *   <li>{@code bench engine [flags]}: the peer GPT workloads ({@code gpt_bench.py}) on the project's GPT-2 engine.
 *       It is the default suite: {@code bench [flags]} runs {@code bench engine [flags]}.</li>
 *   <li>{@code bench metrics [args]}: the metrics panel on real text ({@link MetricsBenchCommand}).</li>
 *   <li>{@code bench memory [flags]}: resident memory over a long run of training and generation
 *       ({@link MemoryBenchCommand}).</li>
 * </ul>
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {EngineBenchCommand.class, MemoryBenchCommand.class},
        description = {"Benchmarks. Suites: 'engine' (the default: 'bench [flags]' = 'bench engine [flags]'),",
            "'metrics' (when the metrics suite is built in), 'memory' (RSS over 200 training steps and 50",
            "generation batches)."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine self = spec.commandLine();
        CommandLine suite;
        List<String> rest = args;
        if (!args.isEmpty() && args.get(0).equals("metrics")) {
            suite = new CommandLine(new MetricsBenchCommand());
            rest = args.subList(1, args.size());
        } else {
            suite = new CommandLine(new EngineBenchCommand());
        }
        suite.setOut(self.getOut());
        suite.setErr(self.getErr());
        return suite.execute(rest.toArray(new String[0]));
    }
}
