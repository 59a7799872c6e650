package dev.symbiosis.examples;

import dev.symbiosis.metrics.MetricsPanel;
import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.semantic.MiniLmEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Diversity of your own texts: {@code MetricsOnYourText FILE} with one text per line prints the lexical figures
 * and, with the MiniLM sentence encoder, the semantic ones (mean cosine distance, hull volume, Vendi score).
 * The command-line equivalent is {@code symbiosis.jar metrics --input FILE}.
 */
public final class MetricsOnYourText {

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (args.length != 1) {
            System.err.println("usage: MetricsOnYourText FILE (one text per line)");
            System.exit(2);
        }
        List<String> texts = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8).stream()
                .filter(s -> !s.isBlank()).toList();
        try (MiniLmEncoder encoder = MiniLmEncoder.create()) {
            MetricsPanel panel = MetricsPanel.builder().lexical(LexicalPanel.create()).encoder(encoder)
                    .pcaFit(MetricsPanel.PcaFit.SELF).build();
            panel.measure(texts).forEach((name, value) -> System.out.printf("%-40s %.6g%n", name, value));
        }
    }
}
