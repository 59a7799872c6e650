package dev.symbiosis.djl.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Recognises PyTorch's pickle-based weight files ({@code pytorch_model.bin}, {@code *.pt}, {@code *.pth},
 * {@code *.ckpt}, {@code *.pkl}), which this library never loads: unpickling can execute arbitrary code. Errors
 * name the file and say that safetensors is required. Stateless and thread-safe.
 */
final class PickleFormats {

    /** File name endings of pickle-based checkpoints. */
    static final List<String> EXTENSIONS = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle");

    private PickleFormats() {}

    static boolean isPickleName(Path file) {
        String n = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /**
     * Whether the first bytes are those of a pickle stream (protocol 2-5 opcode) or of the zip archive that
     * {@code torch.save} writes.
     */
    static boolean looksLikePickle(byte[] head, int length) {
        // a safetensors header length (little-endian, under 16 MB) may also start with 0x80, 0x02-0x05 (640, 896,
        // 1152 or 1408 bytes ...), but its bytes 3-7 are zero, where a pickle has opcodes and their arguments
        boolean smallLength = length >= 8 && head[3] == 0 && head[4] == 0 && head[5] == 0 && head[6] == 0
                && head[7] == 0;
        return length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5 && !smallLength
                || length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** The refusal of a pickle-based file. */
    static IOException refusal(Path file) {
        return new IOException(file + ": a pickle-based PyTorch checkpoint is never loaded (unpickling can execute "
                + "code); safetensors is required: convert it, e.g. with safetensors.torch.save_file, to "
                + "model.safetensors");
    }

    /**
     * The error for a missing safetensors file: names the pickle-based weight files in the same folder when there
     * are any, else says the file is missing.
     */
    static IOException missing(Path safetensors, String what, Throwable cause) {
        Path folder = safetensors.toAbsolutePath().getParent();
        List<String> pickles = List.of();
        if (folder != null && Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                pickles = s.filter(PickleFormats::isPickleName).map(p -> p.getFileName().toString()).sorted()
                        .toList();
            } catch (IOException ignored) {
                // the plain message below still names the file
            }
        }
        String message = pickles.isEmpty() ? safetensors + ": " + what
                : safetensors + ": " + what + "; the folder holds only pickle-based weights " + pickles
                        + ", which are never loaded (unpickling can execute code): safetensors is required";
        return new IOException(message, cause);
    }
}
