package dev.symbiosis.djl;

import dev.symbiosis.djl.hub.HubCache;
import dev.symbiosis.djl.hub.HubCheckpoints;
import dev.symbiosis.djl.hub.HubSettings;
import dev.symbiosis.djl.model.PeftAdapterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a checkpoint is: a folder, or a Hugging Face model id ({@code org/name}) with a revision (default
 * {@code main}; a branch, tag or commit hash), found in the local hub cache as huggingface_hub lays it out
 * ({@link HubCache}; {@code HF_HOME} / {@code HF_HUB_CACHE}). Nothing is downloaded unless
 * {@link #withAllowDownload(boolean)} allows it, and never when {@code HF_HUB_OFFLINE} is set; downloads go to the
 * same cache from {@code HF_ENDPOINT} with the token of {@code HF_TOKEN} ({@link HubSettings}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelSource {

    private final Path path;
    private final String repoId;
    private final String revision;
    private final boolean allowDownload;
    private final Map<String, String> env;
    /** Parsed from text that could also have meant a folder: errors then say no such folder exists. */
    private final boolean couldBeFolder;

    private ModelSource(Path path, String repoId, String revision, boolean allowDownload, Map<String, String> env) {
        this(path, repoId, revision, allowDownload, env, false);
    }

    private ModelSource(Path path, String repoId, String revision, boolean allowDownload, Map<String, String> env,
            boolean couldBeFolder) {
        this.path = path;
        this.repoId = repoId;
        this.revision = revision;
        this.allowDownload = allowDownload;
        this.env = env;
        this.couldBeFolder = couldBeFolder;
    }

    /** A checkpoint folder. */
    public static ModelSource of(Path dir) {
        return new ModelSource(Objects.requireNonNull(dir, "dir"), null, null, false, null);
    }

    /**
     * A Hugging Face model id at revision {@code main}.
     *
     * @throws IllegalArgumentException when {@code repoId} is not of the hub's id form
     */
    public static ModelSource hub(String repoId) {
        if (!HubCache.isRepoId(repoId)) {
            throw new IllegalArgumentException("\"" + repoId + "\" is not a Hugging Face model id (org/name)");
        }
        return new ModelSource(null, repoId, "main", false, null);
    }

    /**
     * What a user typed: an existing folder is a folder; else a string of the hub's id form ({@code org/name} or
     * {@code name}) is a hub id; else a folder (that loading will report missing).
     */
    public static ModelSource parse(String pathOrId) {
        Objects.requireNonNull(pathOrId, "pathOrId");
        Path p = Path.of(pathOrId);
        if (Files.isDirectory(p) || !HubCache.isRepoId(pathOrId)) {
            return of(p);
        }
        ModelSource s = hub(pathOrId);
        return new ModelSource(null, s.repoId, s.revision, false, null, true);
    }

    /** This source at another revision (hub ids only; a branch, tag or commit hash). */
    public ModelSource withRevision(String value) {
        if (!isHub()) {
            throw new IllegalStateException("a revision applies to Hugging Face ids, not to the folder " + path);
        }
        HubCheckpoints.checkRevision(value);
        return new ModelSource(null, repoId, value, allowDownload, env, couldBeFolder);
    }

    /** Whether missing files of a hub id may be downloaded (default false). */
    public ModelSource withAllowDownload(boolean value) {
        return new ModelSource(path, repoId, revision, value, env, couldBeFolder);
    }

    /**
     * This source reading the hub settings from {@code variables} instead of the process environment (tests;
     * embedding applications with their own configuration).
     */
    public ModelSource withEnvironment(Map<String, String> variables) {
        return new ModelSource(path, repoId, revision, allowDownload, Map.copyOf(variables), couldBeFolder);
    }

    public boolean isHub() {
        return repoId != null;
    }

    /** The hub id, or null for a folder. */
    public String repoId() {
        return repoId;
    }

    /** The revision of a hub id, or null for a folder. */
    public String revision() {
        return revision;
    }

    /** The folder, or null for a hub id. */
    public Path path() {
        return path;
    }

    public boolean allowDownload() {
        return allowDownload;
    }

    /** The hub settings this source uses. */
    public HubSettings settings() {
        return env == null ? HubSettings.fromEnvironment() : HubSettings.fromEnvironment(env);
    }

    /** A resolved source: the folder to read and, for a hub id, the id and commit (else null). */
    public record Resolved(Path dir, PeftAdapterConfig.Base hubBase) {}

    /**
     * The checkpoint folder: the folder itself, or the hub snapshot (downloading missing files when allowed).
     *
     * @throws IOException when the id is not in the cache and may not be downloaded, or the download fails (the
     *     message names the id, revision and missing files)
     */
    public Resolved resolve() throws IOException {
        if (!isHub()) {
            return new Resolved(path, null);
        }
        HubCheckpoints.Snapshot s;
        try {
            s = HubCheckpoints.resolve(repoId, revision, allowDownload, settings());
        } catch (IOException e) {
            if (couldBeFolder && !allowDownload) {
                throw new IOException("no folder " + repoId + " exists, and as a model id: " + e.getMessage(), e);
            }
            throw e;
        }
        return new Resolved(s.dir(), new PeftAdapterConfig.Base(repoId, s.commit()));
    }

    @Override
    public String toString() {
        return isHub() ? repoId + "@" + revision : path.toString();
    }
}
