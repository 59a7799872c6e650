package dev.symbiosis.cli;

import dev.symbiosis.cli.bench.BenchCommand;
import dev.symbiosis.cli.data.PrepareDataCommand;
import dev.symbiosis.cli.data.SplitValidationCommand;
import dev.symbiosis.cli.ExperimentCommand;
import dev.symbiosis.cli.corpus.BuildTasksCommand;
import dev.symbiosis.cli.corpus.PrepareCorpusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code symbiosis} command line: one executable jar, one subcommand per entry point.
 *
 * <p>DJL is switched offline and its telemetry off before any DJL class loads: {@link #main} sets the system
 * properties first thing, so that a plain {@code java -jar symbiosis.jar} never calls out. It then lets G1 size the
 * Java heap from what start-up left live ({@link HeapSizing}) unless the user sized the heap.
 */
@Command(
        name = "symbiosis",
        mixinStandardHelpOptions = true,
        versionProvider = SymbiosisCli.Version.class,
        description = "Generative Data Symbiosis: co-evolving Generator and Student language models against model"
                + " collapse.",
        subcommands = {
            ExperimentCommand.class,
            MetricsCommand.class,
            ScoreCommand.class,
            BpbCommand.class,
            GenerateCommand.class,
            EvalGenerativeCommand.class,
            TrainTokenizerCommand.class,
            PretrainCommand.class,
            MergeCommand.class,
            PrepareDataCommand.class,
            PrepareCorpusCommand.class,
            BuildTasksCommand.class,
            SplitValidationCommand.class,
            StudyCommand.class,
            DescribeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class SymbiosisCli {

    private SymbiosisCli() {}

    public static void main(String[] args) {
        OfflineDefaults.apply();
        HeapSizing.compactIfLeftToJvm();
        System.exit(commandLine().execute(args));
    }


    /** System property that, set to {@code true}, prints the stack trace of a failed command. */
    public static final String STACKTRACE_PROPERTY = "symbiosis.stacktrace";

    @CommandLine.Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "On failure, print the stack trace (also -D" + STACKTRACE_PROPERTY + "=true).")
    boolean stacktrace;

    /**
     * The command line with every subcommand. A command that fails with an exception prints one line, {@code
     * symbiosis <command>: <message>}, and exits with 1; the stack trace only with {@code --stacktrace} or
     * {@code -Dsymbiosis.stacktrace=true}.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SymbiosisCli());
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            boolean trace = Boolean.getBoolean(STACKTRACE_PROPERTY);
            for (CommandLine.ParseResult p = parsed; p != null && !trace; p = p.subcommand()) {
                trace = p.hasMatchedOption("--stacktrace");
            }
            java.io.PrintWriter err = command.getErr();
            if (trace) {
                e.printStackTrace(err);
            } else {
                err.println(oneLineError(command.getCommandName(), e));
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    /**
     * One line for a failed command: the message of a usage-like failure (bad input, missing file, a refused
     * value) as it is, another exception's type with it, and where to ask for the stack trace.
     */
    static String oneLineError(String command, Throwable e) {
        Throwable shown = e;
        while ((shown instanceof java.io.UncheckedIOException || shown instanceof java.util.concurrent
                .ExecutionException) && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() == null ? "" : shown.getMessage().replaceAll("\\s*\\R\\s*", " ")
                .strip();
        boolean expected = shown instanceof java.io.IOException || shown instanceof IllegalArgumentException
                || shown instanceof IllegalStateException;
        if (shown instanceof java.nio.file.NoSuchFileException n && message.equals(n.getFile())) {
            message = n.getFile() + ": no such file or folder";
        }
        String text = expected && !message.isEmpty() ? message : shown.getClass().getName()
                + (message.isEmpty() ? "" : ": " + message);
        return "symbiosis " + command + ": " + text + " (--stacktrace for details)";
    }

    /** Prints the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SymbiosisCli.class.getPackage().getImplementationVersion();
            return new String[] {"symbiosis " + (v == null ? "development build" : v)};
        }
    }
}
