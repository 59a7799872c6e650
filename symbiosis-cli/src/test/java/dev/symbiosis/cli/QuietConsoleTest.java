package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.assets.EmbeddedAssets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a CPU machine the console shows results only: DJL's GPU probes (PyTorch and ONNX Runtime), platform matching and
 * thread notices stay at the debug level. Run in a child JVM because the logger reads its configuration once per
 * process; the child first loads a PyTorch model ({@code score}), then the ONNX sentence encoder ({@code metrics}).
 */
class QuietConsoleTest {

    private static String run(List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-cp", System.getProperty("java.class.path"), SymbiosisCli.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the command should end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void noEngineChatterOnTheConsole(@TempDir Path dir) throws Exception {
        Path model = EmbeddedAssets.open().model("student-0");
        Path texts = dir.resolve("texts.txt");
        Files.writeString(texts, "The king spoke to the people.\nThe war was long and the winter cold.\n");
        String score = run(List.of("score", "--model", model.toString(), "--text", "The king said."));
        String metrics = run(List.of("metrics", "--input", texts.toString(), "--no-syntax"));
        for (String out : List.of(score, metrics)) {
            assertFalse(out.contains("ai.djl"), out);
            assertFalse(out.contains("CUDA"), out);
        }
        assertTrue(score.contains("perplexity"), score);
        assertTrue(metrics.contains("semantic."), metrics);
    }
}
