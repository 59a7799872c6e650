package dev.symbiosis.djl.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opens a model by Hugging Face id: finds the snapshot of {@code id} at {@code revision} in the local hub cache
 * ({@link HubCache}) and, only when the caller allows it and HF_HUB_OFFLINE is not set, downloads the files a
 * checkpoint needs that the snapshot lacks ({@link HubDownloader}).
 *
 * <p>A checkpoint needs {@code config.json}, {@code tokenizer.json} and the weights ({@code model.safetensors}, or
 * {@code model.safetensors.index.json} and every shard it lists); {@code generation_config.json},
 * {@code tokenizer_config.json} and {@code special_tokens_map.json} are fetched when the hub has them. A revision
 * the cache already resolved ({@code refs/<revision>}, or a commit hash) stays at that commit: only missing files
 * of that commit are fetched. A revision the cache does not know is resolved by the hub ({@code X-Repo-Commit}).
 *
 * <p>Stateless and thread-safe.
 */
public final class HubCheckpoints {

    /** Files every checkpoint needs besides weights. */
    public static final List<String> REQUIRED = List.of("config.json", "tokenizer.json");
    /** Files fetched when the repository has them. */
    public static final List<String> OPTIONAL = List.of("generation_config.json", "tokenizer_config.json",
            "special_tokens_map.json");
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    /** A branch, tag (possibly with slashes, e.g. {@code refs/pr/1}) or commit: no absolute or parent paths. */
    private static final java.util.regex.Pattern REVISION = java.util.regex.Pattern.compile("[\\w.\\-]+(/[\\w.\\-]+)*");

    private HubCheckpoints() {}

    /**
     * Checks that {@code revision} names a branch, tag or commit (word characters, {@code -}, {@code .}, and
     * {@code /} between parts), never a path outside {@code refs/}.
     *
     * @throws IllegalArgumentException naming the revision otherwise
     */
    public static void checkRevision(String revision) {
        if (revision == null || !REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new IllegalArgumentException("invalid revision \"" + revision + "\": give a branch, tag or commit"
                    + " hash");
        }
    }

    /** A resolved snapshot folder and its commit. */
    public record Snapshot(String repoId, String commit, Path dir) {}

    /**
     * The snapshot of {@code repoId} at {@code revision}.
     *
     * @param allowDownload whether missing files may be downloaded (never when HF_HUB_OFFLINE is set)
     * @throws IOException naming the id, revision, cache folder and the missing files, and saying how to get them,
     *     when the cache lacks what is needed and downloading is not allowed or not possible; download errors
     */
    public static Snapshot resolve(String repoId, String revision, boolean allowDownload, HubSettings settings)
            throws IOException {
        HubCache cache = new HubCache(settings.cacheDir());
        String rev = revision == null || revision.isBlank() ? "main" : revision;
        cache.repoDir(repoId); // validates the id
        checkRevision(rev);
        String commit = cache.commitOf(repoId, rev);
        List<String> missing = new ArrayList<>();
        if (commit != null) {
            Path snap = cache.snapshotDir(repoId, commit);
            missing = missing(cache, repoId, commit, snap, false);
            List<String> optional = missing(cache, repoId, commit, snap, true);
            if (missing.isEmpty() && (!allowDownload || settings.offline() || optional.isEmpty())) {
                return new Snapshot(repoId, commit, snap);
            }
        }
        String where = "Hugging Face model " + repoId + " (revision " + rev + ")";
        String what = commit == null ? "is not in the hub cache " + settings.cacheDir()
                : "lacks " + missing + " in its hub cache snapshot " + cache.snapshotDir(repoId, commit);
        if (!allowDownload) {
            throw new IOException(where + " " + what + "; download it (e.g. huggingface-cli download " + repoId
                    + "), or allow downloading (--allow-download, ModelSource.withAllowDownload(true))");
        }
        if (settings.offline()) {
            throw new IOException(where + " " + what + ", and HF_HUB_OFFLINE is set, so nothing is downloaded");
        }
        return download(cache, repoId, commit != null ? commit : rev, rev, settings);
    }

    /** Required (or, with {@code optional}, optional) files absent from the snapshot and not known to be absent. */
    static List<String> missing(HubCache cache, String repoId, String commit, Path snap, boolean optional)
            throws IOException {
        List<String> out = new ArrayList<>();
        if (optional) {
            for (String f : OPTIONAL) {
                if (!Files.exists(snap.resolve(f)) && !cache.knownMissing(repoId, commit, f)) {
                    out.add(f);
                }
            }
            return out;
        }
        for (String f : REQUIRED) {
            if (!Files.exists(snap.resolve(f))) {
                out.add(f);
            }
        }
        if (!Files.exists(snap.resolve(SINGLE))) {
            if (Files.exists(snap.resolve(INDEX))) {
                for (String shard : shards(snap.resolve(INDEX))) {
                    if (!Files.exists(snap.resolve(shard))) {
                        out.add(shard);
                    }
                }
            } else {
                out.add(SINGLE + " or " + INDEX);
            }
        }
        return out;
    }

    /** The shard files an index lists, in first-use order. */
    static List<String> shards(Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(index, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new IOException(index + ": missing field weight_map");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode v : map) {
            String f = v.asText();
            if (!v.isTextual() || f.contains("..") || f.startsWith("/") || f.contains("\\")) {
                throw new IOException(index + ": field weight_map names an invalid shard file " + v);
            }
            out.add(f);
        }
        return new ArrayList<>(out);
    }

    private static Snapshot download(HubCache cache, String repoId, String revision, String ref, HubSettings settings)
            throws IOException {
        HubDownloader dl = new HubDownloader(settings);
        HubDownloader.FileMetadata config = dl.metadata(repoId, revision, "config.json").orElseThrow(
                () -> new IOException("Hugging Face model " + repoId + " (revision " + revision
                        + ") has no config.json"));
        String commit = config.commit();
        if (!ref.equals(commit)) {
            Path refFile = cache.refFile(repoId, ref);
            Files.createDirectories(refFile.getParent());
            Files.writeString(refFile, commit, StandardCharsets.UTF_8);
        }
        Path snap = cache.snapshotDir(repoId, commit);
        if (!Files.exists(snap.resolve("config.json"))) {
            dl.fetch(repoId, "config.json", config);
        }
        for (String f : REQUIRED.subList(1, REQUIRED.size())) {
            if (!Files.exists(snap.resolve(f))) {
                HubDownloader.FileMetadata m = dl.metadata(repoId, commit, f).orElseThrow(() -> new IOException(
                        "Hugging Face model " + repoId + " (commit " + commit + ") has no " + f));
                dl.fetch(repoId, f, m);
            }
        }
        for (String f : OPTIONAL) {
            if (!Files.exists(snap.resolve(f)) && !cache.knownMissing(repoId, commit, f)) {
                fetchIfPresent(dl, cache, repoId, commit, f);
            }
        }
        if (!Files.exists(snap.resolve(SINGLE))) {
            if (Files.exists(snap.resolve(INDEX)) || cache.knownMissing(repoId, commit, SINGLE)
                    || !fetchIfPresent(dl, cache, repoId, commit, SINGLE)) {
                if (!Files.exists(snap.resolve(INDEX)) && !fetchIfPresent(dl, cache, repoId, commit, INDEX)) {
                    throw new IOException("Hugging Face model " + repoId + " (commit " + commit + ") has neither "
                            + SINGLE + " nor " + INDEX + " (only safetensors weights are read)");
                }
                for (String shard : shards(snap.resolve(INDEX))) {
                    if (!Files.exists(snap.resolve(shard))) {
                        HubDownloader.FileMetadata m = dl.metadata(repoId, commit, shard).orElseThrow(
                                () -> new IOException("Hugging Face model " + repoId + " (commit " + commit + "): "
                                        + INDEX + " lists " + shard + ", which the hub does not have"));
                        dl.fetch(repoId, shard, m);
                    }
                }
            }
        }
        return new Snapshot(repoId, commit, snap);
    }

    private static boolean fetchIfPresent(HubDownloader dl, HubCache cache, String repoId, String commit, String f)
            throws IOException {
        Optional<HubDownloader.FileMetadata> m = dl.metadata(repoId, commit, f);
        if (m.isEmpty()) {
            cache.markMissing(repoId, commit, f);
            return false;
        }
        dl.fetch(repoId, f, m.get());
        return true;
    }
}
