package dev.symbiosis.djl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a model into a Hugging Face hub cache exactly as huggingface_hub lays it out (src/huggingface_hub/
 * file_download.py, {@code hf_hub_download} / {@code _create_symlink}; the cache guide "Understand caching"):
 * {@code models--org--name/blobs/<etag>} with the sha256 as etag for LFS files (the safetensors here) and the git
 * blob sha1 for the others, {@code snapshots/<commit>/<file>} as relative symbolic links
 * {@code ../../blobs/<etag>}, and {@code refs/<branch>} holding the commit. Written independently of the library's
 * hub classes, so that tests check them against the layout, not against themselves.
 */
final class HubLayout {

    private HubLayout() {}

    static String sha256(byte[] b) {
        return hex("SHA-256", new byte[0], b);
    }

    /** git's blob id: sha1 of {@code "blob <size>\0"} and the content. */
    static String gitSha1(byte[] b) {
        return hex("SHA-1", ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII), b);
    }

    private static String hex(String algorithm, byte[] prefix, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(prefix);
            return HexFormat.of().formatHex(md.digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isLfs(String file) {
        return file.endsWith(".safetensors");
    }

    static String etag(String file, byte[] content) {
        return isLfs(file) ? sha256(content) : gitSha1(content);
    }

    /** Puts every regular file of {@code src} at {@code commit} of {@code repoId}, and points {@code branch} at it. */
    static Path put(Path cache, String repoId, String commit, String branch, Path src) throws IOException {
        Path repo = cache.resolve("models--" + repoId.replace("/", "--"));
        Path snap = repo.resolve("snapshots").resolve(commit);
        Files.createDirectories(snap);
        Files.createDirectories(repo.resolve("blobs"));
        List<Path> files;
        try (var s = Files.list(src)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            String name = f.getFileName().toString();
            Path blob = repo.resolve("blobs").resolve(etag(name, content));
            Files.write(blob, content);
            Files.createSymbolicLink(snap.resolve(name), Path.of("..", "..", "blobs", blob.getFileName().toString()));
        }
        if (branch != null) {
            Files.createDirectories(repo.resolve("refs"));
            Files.writeString(repo.resolve("refs").resolve(branch), commit);
        }
        return snap;
    }
}
