package dev.symbiosis.cli.guide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.cli.OfflineDefaults;
import dev.symbiosis.cli.SymbiosisCli;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Runs the guide's commands one after the other in this JVM, in its working directory, as {@code symbiosis ...}
 * would (the arguments exactly as the guide writes them): {@code GuideCommandsMain COMMANDS_JSON}, a JSON array of
 * argument arrays. Command {@code i}'s standard output goes to {@code guide-out/<i>.out}; a line per command with its
 * exit code and wall time goes to standard error. Stops at the first command that fails, with its exit code.
 */
public final class GuideCommandsMain {

    private GuideCommandsMain() {}

    public static void main(String[] args) throws Exception {
        OfflineDefaults.apply();
        JsonNode commands = new ObjectMapper().readTree(Files.readAllBytes(Path.of(args[0])));
        Path outDir = Files.createDirectories(Path.of("guide-out"));
        PrintStream stdout = System.out;
        for (int i = 0; i < commands.size(); i++) {
            List<String> argv = new ArrayList<>();
            commands.get(i).forEach(a -> argv.add(a.asText()));
            long t0 = System.nanoTime();
            int code;
            try (PrintStream out = new PrintStream(new FileOutputStream(outDir.resolve(i + ".out").toFile()), true,
                    StandardCharsets.UTF_8)) {
                System.setOut(out);
                CommandLine cl = SymbiosisCli.commandLine();
                code = cl.execute(argv.toArray(String[]::new));
            } finally {
                System.setOut(stdout);
            }
            System.err.printf(Locale.ROOT, "guide: [%d] symbiosis %s -> exit %d in %.1f s%n", i,
                    String.join(" ", argv), code, (System.nanoTime() - t0) / 1e9);
            if (code != 0) {
                System.exit(code);
            }
        }
        System.exit(0);
    }
}
