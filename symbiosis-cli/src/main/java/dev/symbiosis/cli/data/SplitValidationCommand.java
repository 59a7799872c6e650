package dev.symbiosis.cli.data;

import dev.symbiosis.cli.OfflineDefaults;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code split-validation}: carves a validation split out of the seed split (see {@link ValidationSplit}) and
 * writes {@code train.jsonl.gz} (the seed split without it: what Generator 0 and Student 0 are pretrained on) and
 * {@code validation.jsonl.gz} (what learning rates and other settings are chosen on; in no other split) into the
 * output folder, byte-reproducibly (gzip with mtime 0, atomic renames).
 */
@Command(name = "split-validation", mixinStandardHelpOptions = true,
        description = "Carve a validation split (N documents per domain, seeded) out of the seed split.")
public final class SplitValidationCommand implements Callable<Integer> {

    @Option(names = "--seed-split", required = true, paramLabel = "FILE",
            description = "JSONL(.gz) split to carve from (\"id\" and \"source\" per line). The embedded bundle"
                    + " already holds its validation split, carved by this rule with the defaults")
    Path seedSplit;

    @Option(names = "--per-domain", defaultValue = "16",
            description = "documents held out per domain (default: ${DEFAULT-VALUE})")
    int perDomain;

    @Option(names = "--seed", defaultValue = "20260102", description = "seed of the carve (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "folder for train.jsonl.gz and validation.jsonl.gz")
    Path out;

    @Override
    public Integer call() {
        OfflineDefaults.apply();
        PrintStream err = System.err;
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            Path in = seedSplit;
            ValidationSplit.Parts parts = ValidationSplit.carve(ValidationSplit.read(in), perDomain, seed);
            DeterministicFiles.writeAtomically(out.resolve("train.jsonl.gz"),
                    DeterministicFiles.gzip(ValidationSplit.jsonLines(parts.train())));
            DeterministicFiles.writeAtomically(out.resolve("validation.jsonl.gz"),
                    DeterministicFiles.gzip(ValidationSplit.jsonLines(parts.validation())));
            stdout.printf("split-validation: %d training and %d validation documents (%d per domain: %s) in %s%n",
                    parts.train().size(), parts.validation().size(), perDomain, parts.perDomain().keySet(), out);
            return 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("split-validation: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("split-validation: " + e.getMessage());
            return 2;
        }
    }
}
