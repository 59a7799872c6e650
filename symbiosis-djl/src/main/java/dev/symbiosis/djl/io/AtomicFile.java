package dev.symbiosis.djl.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Atomic file and directory replacement.
 *
 * <p>Stateless and thread-safe (but two writers of the same target race: last rename wins).
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** Renames {@code from} to {@code to}, replacing it, atomically where the file system allows. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A fresh, empty sibling directory of {@code dir} to stage a new version in. */
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
        replaceDir(staged, dir, java.util.Set.of());
    }

    /**
     * As {@link #replaceDir(Path, Path)}, but files of the old directory named in {@code owned} are never carried
     * over: they belong to the writer, and their absence from the new version is meaningful (e.g. an adapter that
     * was merged away).
     */
    public static void replaceDir(Path staged, Path dir, java.util.Set<String> owned) throws IOException {
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
        deleteRecursively(old);
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

    /** Deletes a file or directory tree if present. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
