package dev.symbiosis.djl.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache as huggingface_hub lays it out (its {@code file_download.py} and the cache
 * documentation): {@code <cache>/models--<org>--<name>/} holds {@code refs/<revision>} (a file with the commit hash
 * a branch or tag pointed to when last resolved), {@code snapshots/<commit>/<file>} (symbolic links, relative, into
 * {@code blobs/}), {@code blobs/<etag>} (the content: the sha256 for LFS files, the git blob sha1 for others),
 * {@code blobs/<etag>.incomplete} (a download under way) and {@code .no_exist/<commit>/<file>} (empty markers of
 * files known not to exist at that commit).
 *
 * <p>Immutable and thread-safe; the files it points at are not guarded against other processes.
 */
public final class HubCache {

    /** huggingface_hub's {@code validate_repo_id}: an optional namespace and a name of word characters, - and . */
    private static final Pattern REPO_ID = Pattern.compile("^([\\w\\-.]+/)?[\\w\\-.]+$");
    private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{40}$");

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    /** The cache directory. */
    public Path root() {
        return root;
    }

    /** Whether {@code s} has the form of a hub model id ({@code name} or {@code org/name}). */
    public static boolean isRepoId(String s) {
        return s != null && s.length() <= 96 && REPO_ID.matcher(s).matches() && !s.contains("--")
                && !s.contains("..") && !s.startsWith(".") && !s.endsWith(".") && !s.startsWith("-");
    }

    /** Whether {@code s} is a full commit hash. */
    public static boolean isCommit(String s) {
        return s != null && COMMIT.matcher(s).matches();
    }

    /**
     * The folder of a model repository: {@code models--org--name}.
     *
     * @throws IllegalArgumentException when {@code repoId} is not a hub id
     */
    public Path repoDir(String repoId) {
        if (!isRepoId(repoId)) {
            throw new IllegalArgumentException("\"" + repoId + "\" is not a Hugging Face model id (org/name)");
        }
        return root.resolve("models--" + repoId.replace("/", "--"));
    }

    /** {@code refs/<revision>} of the repository. */
    public Path refFile(String repoId, String revision) {
        return repoDir(repoId).resolve("refs").resolve(revision);
    }

    /**
     * The commit {@code revision} stands for in the cache: the revision itself when it is a commit hash with a
     * snapshot, else the content of {@code refs/<revision>}; null when the cache does not know it.
     */
    public String commitOf(String repoId, String revision) throws IOException {
        if (isCommit(revision) && Files.isDirectory(snapshotDir(repoId, revision))) {
            return revision;
        }
        Path ref = refFile(repoId, revision);
        if (!Files.isRegularFile(ref)) {
            return null;
        }
        String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        if (!isCommit(commit)) {
            throw new IOException(ref + ": not a commit hash: \"" + commit + "\"");
        }
        return commit;
    }

    /** {@code snapshots/<commit>/}. */
    public Path snapshotDir(String repoId, String commit) {
        return repoDir(repoId).resolve("snapshots").resolve(commit);
    }

    /** {@code blobs/<etag>}. */
    public Path blob(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(etag);
    }

    /** Whether the cache records that {@code file} does not exist at {@code commit} ({@code .no_exist}). */
    public boolean knownMissing(String repoId, String commit, String file) {
        return Files.exists(repoDir(repoId).resolve(".no_exist").resolve(commit).resolve(file));
    }

    /** Records that {@code file} does not exist at {@code commit}, as huggingface_hub does. */
    public void markMissing(String repoId, String commit, String file) throws IOException {
        Path marker = repoDir(repoId).resolve(".no_exist").resolve(commit).resolve(file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }
}
