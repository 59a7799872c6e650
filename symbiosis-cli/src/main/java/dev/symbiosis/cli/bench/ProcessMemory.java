package dev.symbiosis.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status} (Linux): {@code VmHWM} is the peak resident set,
 * the same quantity as the peer's {@code ru_maxrss}; it counts the JVM heap, metaspace and every native
 * allocation (PyTorch tensors, the tokenizer library).
 */
public final class ProcessMemory {

    private ProcessMemory() {}

    /** Peak resident set size in MiB, or -1 where /proc is not available. */
    public static double peakRssMib() {
        return statusKib("VmHWM:") / 1024.0;
    }

    /** Current resident set size in MiB, or -1 where /proc is not available. */
    public static double rssMib() {
        return statusKib("VmRSS:") / 1024.0;
    }

    private static long statusKib(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1024;
        }
        return -1024;
    }
}
