package dev.symbiosis.core.loop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The library's one atomic-file utility: write-then-rename for files, stage-then-swap for directories. A crash
 * leaves either the old version or the new one, never half of one. Used by the run folder (records, checkpoints)
 * and by the engine (safetensors, saved models).
 *
 * <p>Stateless and thread-safe (but two writers of the same target race: the last rename wins).
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes {@code bytes} to {@code file} atomically: a temp file of a unique name ({@code <name>.<random>.tmp})
     * in the same folder, fsync, rename. Two processes writing the same file (e.g. extracting a shared asset)
     * never write into each other's temp file; the last rename wins. A crash leaves at most the temp file.
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes lines (each followed by a newline) atomically. */
    public static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Renames {@code from} to {@code to}, replacing it, atomically where the file system allows. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A fresh, empty sibling directory of {@code dir} ({@code .<name>.staging-<uuid>}) to stage a new version in. */
    public static Path stagingDir(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        return Files.createDirectory(abs.resolveSibling("." + abs.getFileName() + ".staging-" + UUID.randomUUID()));
    }

    /**
     * Replaces directory {@code dir} with the staged directory: files of the old {@code dir} that the staged one
     * does not have are carried over, then the old version is swapped out by two renames and deleted. A crash
     * leaves either the old directory (possibly renamed to {@code .<name>.old-*} next to it) or the new one
     * complete, never a directory mixing files of both versions.
     */
    public static void replaceDir(Path staged, Path dir) throws IOException {
        replaceDir(staged, dir, Set.of());
    }

    /**
     * As {@link #replaceDir(Path, Path)}, but files of the old directory named in {@code owned} are never carried
     * over: they belong to the writer, and their absence from the new version is meaningful (e.g. an adapter that
     * was merged away).
     */
    public static void replaceDir(Path staged, Path dir, Set<String> owned) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (!Files.exists(abs)) {
            Files.move(staged, abs, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try (Stream<Path> old = Files.list(abs)) {
            for (Path p : old.toList()) {
                Path target = staged.resolve(p.getFileName().toString());
                if (!Files.exists(target) && !owned.contains(p.getFileName().toString())) {
                    copyRecursively(p, target);
                }
            }
        }
        Path old = abs.resolveSibling("." + abs.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(staged, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            Files.createDirectories(to);
            try (Stream<Path> s = Files.list(from)) {
                for (Path p : s.toList()) {
                    copyRecursively(p, to.resolve(p.getFileName().toString()));
                }
            }
        } else {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Deletes a file tree if it exists. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
