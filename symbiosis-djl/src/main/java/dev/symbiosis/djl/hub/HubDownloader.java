package dev.symbiosis.djl.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads single files of a hub model repository into the {@link HubCache} layout, speaking the hub's resolve
 * endpoint as huggingface_hub's {@code file_download.py} does ({@code get_hf_file_metadata} and {@code http_get}):
 * a HEAD of {@code <endpoint>/<repo>/resolve/<revision>/<file>} without following absolute redirects gives the
 * commit ({@code X-Repo-Commit}), the etag ({@code X-Linked-Etag} for LFS files, else {@code ETag}; quotes and
 * {@code W/} removed), the size ({@code X-Linked-Size}, else {@code Content-Length}) and, for LFS files, the
 * storage URL ({@code Location}); relative redirects (a renamed repository) are followed. The content goes to
 * {@code blobs/<etag>.incomplete}, resumed with {@code Range: bytes=<n>-} when a partial file is there, then is
 * checked (the size; the sha256 when the etag is one, as for LFS files; the git blob sha1 when the etag is a
 * 40-digit hash, as for other files) and moved to {@code blobs/<etag>}, and {@code snapshots/<commit>/<file>}
 * becomes a relative symbolic link to it (a copy where links cannot be made). A 404 whose
 * {@code X-Error-Code} is {@code EntryNotFound} means the file does not exist.
 *
 * <p>The token ({@link HubSettings}) is sent as {@code Authorization: Bearer} to the endpoint's host only, never
 * to the storage host a redirect names, and never appears in a message. Thread-safe; concurrent downloads of one
 * file by several processes are not coordinated.
 */
public final class HubDownloader {

    private static final int MAX_REDIRECTS = 5;
    private static final String USER_AGENT = "symbiosis-djl; hf_hub-compatible";

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpClient http;

    public HubDownloader(HubSettings settings) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheDir());
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** What the resolve endpoint says of a file. */
    public record FileMetadata(String commit, String etag, long size, URI location) {}

    /** The resolve URL of a file; the revision and each path segment percent-encoded. */
    URI resolveUrl(String repoId, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String seg : file.split("/")) {
            path.append('/').append(encode(seg));
        }
        return URI.create(settings.endpoint() + "/" + repoId + "/resolve/" + encode(revision) + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity");
        if (settings.token() != null && sameHost(uri, settings.endpoint())) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b;
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b)
                && a.getScheme().equalsIgnoreCase(b.getScheme());
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /**
     * The metadata of {@code file} at {@code revision}, or empty when the hub says the file does not exist there.
     *
     * @throws IOException naming the repository, revision and file: repository or revision not found, access
     *     denied (gated or private: the message says whether a token was sent, not the token), other HTTP errors,
     *     or a response without the headers the hub sends
     */
    public Optional<FileMetadata> metadata(String repoId, String revision, String file) throws IOException {
        URI uri = resolveUrl(repoId, revision, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding(), repoId, file);
            int code = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (code >= 300 && code < 400 && location.isPresent() && location.get().startsWith("/")) {
                uri = uri.resolve(location.get()); // a renamed repository: huggingface_hub follows relative ones
                continue;
            }
            if (code == 404) {
                String err = r.headers().firstValue("X-Error-Code").orElse("");
                if (err.equals("EntryNotFound")) {
                    return Optional.empty();
                }
                throw new IOException(describe(repoId, revision, file) + ": "
                        + (err.equals("RevisionNotFound") ? "revision not found"
                                : err.equals("RepositoryNotFound") ? "repository not found"
                                        : "not found (HTTP 404" + (err.isEmpty() ? "" : ", " + err) + ")"));
            }
            if (code == 401 || code == 403) {
                throw new IOException(describe(repoId, revision, file) + ": access denied (HTTP " + code + "); "
                        + (settings.hasToken() ? "the token in HF_TOKEN has no access to this repository (gated"
                                + " models need their terms accepted on the hub)"
                                : "the repository is gated or private: set HF_TOKEN to a token with access"));
            }
            if (code >= 400 || (code >= 300 && location.isEmpty())) {
                throw new IOException(describe(repoId, revision, file) + ": HTTP " + code + " from " + uri.getHost());
            }
            String commit = r.headers().firstValue("X-Repo-Commit").orElse(null);
            String etag = r.headers().firstValue("X-Linked-Etag").or(() -> r.headers().firstValue("ETag"))
                    .map(HubDownloader::normalizeEtag).orElse(null);
            long size = r.headers().firstValue("X-Linked-Size").or(() -> r.headers().firstValue("Content-Length"))
                    .map(Long::parseLong).orElse(-1L);
            if (commit == null || etag == null || etag.isEmpty()) {
                throw new IOException(describe(repoId, revision, file) + ": the hub's answer lacks "
                        + (commit == null ? "X-Repo-Commit" : "an ETag") + "; is HF_ENDPOINT a Hugging Face hub?");
            }
            if (!HubCache.isCommit(commit)) {
                throw new IOException(describe(repoId, revision, file) + ": X-Repo-Commit is not a commit hash");
            }
            if (etag.contains("/") || etag.contains("\\") || etag.startsWith(".")) {
                throw new IOException(describe(repoId, revision, file) + ": ETag cannot name a blob file");
            }
            URI target = location.map(uri::resolve).orElse(uri);
            return Optional.of(new FileMetadata(commit, etag, size, target));
        }
        throw new IOException(describe(repoId, revision, file) + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** huggingface_hub's {@code _normalize_etag}: without a weak prefix and quotes. */
    static String normalizeEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    private static String describe(String repoId, String revision, String file) {
        return "Hugging Face model " + repoId + " (revision " + revision + "), file " + file;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String repoId, String file)
            throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + file + " of " + repoId, e);
        } catch (IOException e) {
            throw new IOException("cannot reach " + req.uri().getScheme() + "://" + req.uri().getHost()
                    + (req.uri().getPort() >= 0 ? ":" + req.uri().getPort() : "") + " for " + file + " of " + repoId
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code snapshots/<commit>/<file>} of {@code meta} present: the blob is downloaded (resuming a partial
     * one) and checked unless it is already in the cache, then linked.
     *
     * @return the snapshot file
     * @throws IOException naming the file: transfer errors, a size or checksum that does not match (the partial
     *     file is then removed)
     */
    public Path fetch(String repoId, String file, FileMetadata meta) throws IOException {
        Path pointer = cache.snapshotDir(repoId, meta.commit()).resolve(file);
        Path blob = cache.blob(repoId, meta.etag());
        if (!Files.exists(blob)) {
            download(repoId, file, meta, blob);
        }
        Files.createDirectories(pointer.getParent());
        if (Files.exists(pointer, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(pointer);
        }
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, pointer, StandardCopyOption.REPLACE_EXISTING); // as huggingface_hub without symlinks
        }
        return pointer;
    }

    private void download(String repoId, String file, FileMetadata meta, Path blob) throws IOException {
        Files.createDirectories(blob.getParent());
        Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (meta.size() >= 0 && have > meta.size()) {
            Files.delete(partial);
            have = 0;
        }
        if (meta.size() < 0 || have < meta.size()) {
            URI uri = meta.location();
            HttpResponse<InputStream> r = null;
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder b = request(uri).GET();
                if (have > 0) {
                    b.header("Range", "bytes=" + have + "-");
                }
                r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), repoId, file);
                Optional<String> location = r.headers().firstValue("Location");
                if (r.statusCode() >= 300 && r.statusCode() < 400 && location.isPresent()) {
                    r.body().close();
                    uri = uri.resolve(location.get());
                    r = null;
                    continue;
                }
                break;
            }
            if (r == null) {
                throw new IOException(file + " of " + repoId + ": more than " + MAX_REDIRECTS + " redirects");
            }
            int code = r.statusCode();
            try (InputStream in = r.body()) {
                if (code == 416 && meta.size() >= 0 && have == meta.size()) {
                    in.transferTo(OutputStream.nullOutputStream());
                } else if (code == 206 && have > 0) {
                    String range = r.headers().firstValue("Content-Range").orElse("");
                    if (!range.startsWith("bytes " + have + "-")) {
                        throw new IOException(file + " of " + repoId + ": resumed at byte " + have
                                + " but the server sent range \"" + range + "\"");
                    }
                    try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.APPEND)) {
                        in.transferTo(out);
                    }
                } else if (code == 200) {
                    try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                        in.transferTo(out); // the server ignored the range: start over
                    }
                } else {
                    throw new IOException(file + " of " + repoId + ": HTTP " + code + " from " + uri.getHost());
                }
            }
        }
        try {
            verify(repoId, file, meta, partial);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Checks the size and, when the etag is a sha256 (LFS) or a git blob sha1, the content. */
    static void verify(String repoId, String file, FileMetadata meta, Path content) throws IOException {
        long size = Files.size(content);
        if (meta.size() >= 0 && size != meta.size()) {
            throw new IOException(file + " of " + repoId + ": downloaded " + size + " bytes, the hub announced "
                    + meta.size());
        }
        String etag = meta.etag().toLowerCase(Locale.ROOT);
        String algorithm;
        byte[] prefix;
        if (etag.matches("[0-9a-f]{64}")) {
            algorithm = "SHA-256";
            prefix = new byte[0];
        } else if (etag.matches("[0-9a-f]{40}")) {
            algorithm = "SHA-1"; // git's blob id: sha1("blob <size>\0" + content)
            prefix = ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII);
        } else {
            return; // an etag that is no content hash: only the size can be checked
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(prefix);
        try (InputStream in = Files.newInputStream(content)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(etag)) {
            throw new IOException(file + " of " + repoId + ": checksum mismatch: " + algorithm + " " + got
                    + ", the hub's etag " + etag + "; the partial download was removed");
        }
    }
}
