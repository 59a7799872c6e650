package dev.symbiosis.examples.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code symbiosis} command line: one executable jar, one subcommand per entry point.
 *
 * <p>DJL is switched offline and its telemetry off before any DJL class loads: {@link #main} sets the system
 * properties first thing, so that a plain {@code java -jar symbiosis.jar} never calls out.
 */
@Command(
        name = "symbiosis",
        mixinStandardHelpOptions = true,
        versionProvider = SymbiosisCli.Version.class,
        description = "Generative Data Symbiosis: co-evolving Generator and Student language models against model"
                + " collapse.",
        subcommands = {CommandLine.HelpCommand.class})
public final class SymbiosisCli {

    /**
     * Subcommand classes, in the order {@code --help} lists them. Each is a picocli {@code @Command} with a
     * no-argument constructor.
     */
    static final List<String> SUBCOMMANDS = List.of(
            "dev.symbiosis.examples.experiment.ExperimentCommand",
            "dev.symbiosis.examples.cli.MetricsCommand",
            "dev.symbiosis.examples.cli.ScoreCommand",
            "dev.symbiosis.examples.cli.GenerateCommand",
            "dev.symbiosis.examples.cli.TrainTokenizerCommand",
            "dev.symbiosis.examples.cli.PretrainCommand",
            "dev.symbiosis.examples.data.PrepareDataCommand",
            "dev.symbiosis.examples.bench.BenchCommand");

    private SymbiosisCli() {}

    public static void main(String[] args) {
        configureOffline();
        System.exit(commandLine().execute(args));
    }

    /** Sets DJL's offline and no-telemetry properties unless the user set them explicitly. */
    public static void configureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** The command line with every subcommand present on the class path. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SymbiosisCli());
        for (String name : SUBCOMMANDS) {
            Object command = instantiate(name);
            if (command != null) {
                cl.addSubcommand(command);
            }
        }
        return cl;
    }

    // Subcommands are looked up by name so that the CLI builds while entry points are added one by one;
    // a listed command that is absent is simply not offered.
    private static Object instantiate(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create command " + className, e);
        }
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
