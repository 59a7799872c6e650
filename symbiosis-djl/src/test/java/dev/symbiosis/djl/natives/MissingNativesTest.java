package dev.symbiosis.djl.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.djl.TorchEngine;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class path without PyTorch natives (the library brings none) fails at the first use of the engine with one
 * message naming the dependency to add, and never downloads: run in a child JVM whose class path lacks
 * pytorch-native-cpu and whose DJL caches are empty folders.
 */
class MissingNativesTest {

    /** The child JVM's program: asks for the engine, prints the message of the failure. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                TorchEngine.get();
                System.out.println("ENGINE LOADED");
            } catch (IllegalStateException e) {
                System.out.println("MESSAGE " + e.getMessage());
            }
        }
    }

    @Test
    void aClassPathWithoutNativesGetsOneMessageNamingTheDependency(@TempDir Path cache) throws Exception {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String withoutNatives = entries.stream().filter(e -> !e.contains("pytorch-native-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(entries.stream().anyMatch(e -> e.contains("pytorch-native-cpu")),
                "the test class path should hold the natives the child leaves out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-cp", withoutNatives, Probe.class.getName());
        pb.environment().put("DJL_CACHE_DIR", cache.resolve("djl").toString());
        pb.environment().put("ENGINE_CACHE_DIR", cache.resolve("engines").toString());
        pb.environment().remove("PYTORCH_LIBRARY_PATH");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM should end");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("MESSAGE cannot start DJL's PyTorch engine"), out);
        assertTrue(out.contains("ai.djl.pytorch:pytorch-native-cpu:" + TorchEngine.PYTORCH_VERSION), out);
        assertTrue(out.contains("linux-x86_64"), out);
    }
}
