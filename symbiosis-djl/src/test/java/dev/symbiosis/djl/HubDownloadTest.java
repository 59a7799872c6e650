package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads with {@code --allow-download} against a local server (127.0.0.1 only, started here) that answers as
 * the hub's resolve endpoint does, as huggingface_hub expects it (src/huggingface_hub/file_download.py:
 * {@code get_hf_file_metadata} reads {@code X-Repo-Commit}, {@code X-Linked-Etag} / {@code ETag},
 * {@code X-Linked-Size} / {@code Content-Length} and the {@code Location} of the 302 an LFS file answers with;
 * {@code http_get} resumes {@code blobs/<etag>.incomplete} with {@code Range: bytes=<n>-}; a 404 with
 * {@code X-Error-Code: EntryNotFound} leaves a {@code .no_exist/<commit>/<file>} marker; {@code refs/<revision>}
 * holds the commit; constants.py: HF_ENDPOINT, HF_TOKEN sent as {@code Authorization: Bearer}). Nothing here reaches
 * the network beyond the loopback server.
 */
class HubDownloadTest {

    private static final String REPO = "example-org/tiny-model";
    private static final String GATED = "example-org/gated-model";
    private static final String COMMIT = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    private static final String TOKEN = "hf_testTokenNeverShownXYZ";
    private static final List<String> TEXTS = List.of("the cat sat on the mat", "zebra");

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, Map<String, byte[]>> repos = new HashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile boolean corruptLfs;

    /** The hub's resolve endpoint for {@link #repos}, LFS content under /lfs/<sha256> with Range support. */
    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String range = x.getRequestHeaders().getFirst("Range");
            String auth = x.getRequestHeaders().getFirst("Authorization");
            log.add(x.getRequestMethod() + " " + path + (range == null ? "" : " " + range)
                    + (auth == null ? "" : " auth"));
            if (path.startsWith("/lfs/")) {
                serveLfs(x, path.substring(5), range);
                return;
            }
            String[] p = path.split("/", 6); // "", org, name, "resolve", revision, file
            if (p.length < 6 || !p[3].equals("resolve")) {
                x.sendResponseHeaders(400, -1);
                return;
            }
            String repo = p[1] + "/" + p[2];
            Map<String, byte[]> files = repos.get(repo);
            if (files == null) {
                error(x, 404, "RepositoryNotFound");
                return;
            }
            if (repo.equals(GATED) && !("Bearer " + TOKEN).equals(auth)) {
                error(x, 401, "GatedRepo");
                return;
            }
            if (!p[4].equals("main") && !p[4].equals(COMMIT)) {
                error(x, 404, "RevisionNotFound");
                return;
            }
            byte[] content = files.get(p[5]);
            if (content == null) {
                error(x, 404, "EntryNotFound");
                return;
            }
            x.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            boolean head = x.getRequestMethod().equals("HEAD");
            if (HubLayout.isLfs(p[5])) {
                String sha = HubLayout.sha256(content);
                lfs.put(sha, content);
                x.getResponseHeaders().set("ETag", "\"not-the-content-hash\"");
                x.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
                x.getResponseHeaders().set("X-Linked-Size", Integer.toString(content.length));
                x.getResponseHeaders().set("Location", endpoint() + "/lfs/" + sha);
                x.sendResponseHeaders(302, -1);
                return;
            }
            x.getResponseHeaders().set("ETag", "\"" + HubLayout.gitSha1(content) + "\"");
            if (head) {
                x.getResponseHeaders().set("Content-Length", Integer.toString(content.length));
                x.sendResponseHeaders(200, -1);
            } else {
                x.sendResponseHeaders(200, content.length);
                x.getResponseBody().write(content);
            }
        }
    }

    private final Map<String, byte[]> lfs = new java.util.concurrent.ConcurrentHashMap<>();

    private void serveLfs(HttpExchange x, String sha, String range) throws IOException {
        byte[] content = lfs.get(sha);
        if (content == null) {
            x.sendResponseHeaders(404, -1);
            return;
        }
        if (corruptLfs) {
            content = content.clone();
            content[content.length - 1] ^= 1;
        }
        int from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/"
                    + content.length);
        }
        byte[] body = Arrays.copyOfRange(content, from, content.length);
        x.sendResponseHeaders(from > 0 ? 206 : 200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static void error(HttpExchange x, int code, String errorCode) throws IOException {
        x.getResponseHeaders().set("X-Error-Code", errorCode);
        x.sendResponseHeaders(code, -1);
    }

    private static Map<String, byte[]> filesOf(Path dir) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    private Path model(long seed) throws IOException {
        return TinyModels.randomCheckpoint(tmp.resolve("src" + seed), TinyModels.config(32, 16, 2, 2), seed);
    }

    private Map<String, String> env(Path cache, boolean withToken) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HUB_CACHE", cache.toString());
        env.put("HF_ENDPOINT", endpoint());
        if (withToken) {
            env.put("HF_TOKEN", TOKEN);
        }
        return env;
    }

    private static List<TokenScores> scores(DjlLanguageModel m) {
        return m.score(TEXTS);
    }

    @Test
    void downloadsIntoTheHubLayoutAndScoresAsTheFolder() throws Exception {
        Path src = model(1);
        Files.writeString(src.resolve("generation_config.json"), "{\"eos_token_id\": 256}");
        Files.delete(src.resolve("special_tokens_map.json")); // an optional file the repository lacks
        repos.put(REPO, filesOf(src));
        Path cache = tmp.resolve("cache");
        List<TokenScores> expected;
        try (DjlLanguageModel m = DjlLanguageModel.builder(src).optDevice(Device.cpu()).build()) {
            expected = scores(m);
        }
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withAllowDownload(true)
                .withEnvironment(env(cache, false)))) {
            assertEquals(expected, scores(m));
        }
        Path repo = cache.resolve("models--example-org--tiny-model");
        assertEquals(COMMIT, Files.readString(repo.resolve("refs/main")));
        Path snap = repo.resolve("snapshots").resolve(COMMIT);
        for (Map.Entry<String, byte[]> e : filesOf(src).entrySet()) {
            Path pointer = snap.resolve(e.getKey());
            assertTrue(Files.isSymbolicLink(pointer), e.getKey());
            assertEquals(Path.of("..", "..", "blobs", HubLayout.etag(e.getKey(), e.getValue())),
                    Files.readSymbolicLink(pointer), e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(pointer), e.getKey());
        }
        // optional files the repository lacks are remembered as huggingface_hub does
        assertTrue(Files.exists(repo.resolve(".no_exist").resolve(COMMIT).resolve("special_tokens_map.json")));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("HEAD /example-org/tiny-model/resolve/main/config.json")));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("GET /lfs/")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains("auth")), "no token, no Authorization header");
        // a complete snapshot is used without any request, even with downloads allowed
        log.clear();
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withAllowDownload(true)
                .withEnvironment(env(cache, false)))) {
            assertEquals(expected, scores(m));
        }
        assertEquals(List.of(), log);
    }

    @Test
    void shardedWeightsAreFetchedThroughTheirIndex() throws Exception {
        Path src = model(2);
        Map<String, Tensor> tensors = SafeTensors.read(src.resolve("model.safetensors")).tensors();
        Map<String, byte[]> files = filesOf(src);
        files.remove("model.safetensors");
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            boolean first = i++ % 2 == 0;
            (first ? a : b).put(e.getKey(), e.getValue());
            map.put(e.getKey(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        Path shardDir = tmp.resolve("shards");
        Files.createDirectories(shardDir);
        SafeTensors.write(shardDir.resolve("a"), a, Map.of("format", "pt"));
        SafeTensors.write(shardDir.resolve("b"), b, Map.of("format", "pt"));
        files.put("model-00001-of-00002.safetensors", Files.readAllBytes(shardDir.resolve("a")));
        files.put("model-00002-of-00002.safetensors", Files.readAllBytes(shardDir.resolve("b")));
        files.put("model.safetensors.index.json", json.writeValueAsBytes(index));
        repos.put(REPO, files);
        Path cache = tmp.resolve("cache");
        List<TokenScores> expected;
        try (DjlLanguageModel m = DjlLanguageModel.builder(src).optDevice(Device.cpu()).build()) {
            expected = scores(m);
        }
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withRevision(COMMIT)
                .withAllowDownload(true).withEnvironment(env(cache, false)))) {
            assertEquals(expected, scores(m));
        }
        Path repo = cache.resolve("models--example-org--tiny-model");
        assertTrue(Files.exists(repo.resolve(".no_exist").resolve(COMMIT).resolve("model.safetensors")));
        assertFalse(Files.exists(repo.resolve("refs")), "a commit revision writes no ref");
    }

    @Test
    void aPartialBlobIsResumedWithARangeRequest() throws Exception {
        Path src = model(3);
        repos.put(REPO, filesOf(src));
        byte[] weights = Files.readAllBytes(src.resolve("model.safetensors"));
        String sha = HubLayout.sha256(weights);
        Path blobs = tmp.resolve("cache/models--example-org--tiny-model/blobs");
        Files.createDirectories(blobs);
        int half = weights.length / 2;
        Files.write(blobs.resolve(sha + ".incomplete"), Arrays.copyOf(weights, half));
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withAllowDownload(true)
                .withEnvironment(env(tmp.resolve("cache"), false)))) {
            assertEquals(TEXTS.size(), scores(m).size());
        }
        assertTrue(log.contains("GET /lfs/" + sha + " bytes=" + half + "-"), log.toString());
        assertArrayEquals(weights, Files.readAllBytes(blobs.resolve(sha)));
        assertFalse(Files.exists(blobs.resolve(sha + ".incomplete")));
    }

    @Test
    void aBlobWhoseChecksumDiffersIsRefusedAndRemoved() throws Exception {
        Path src = model(4);
        repos.put(REPO, filesOf(src));
        corruptLfs = true;
        Path cache = tmp.resolve("cache");
        IOException e = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(REPO)
                .withAllowDownload(true).withEnvironment(env(cache, false))));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("checksum"),
                e.getMessage());
        Path repo = cache.resolve("models--example-org--tiny-model");
        try (Stream<Path> s = Files.list(repo.resolve("blobs"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(
                    HubLayout.sha256(repos.get(REPO).get("model.safetensors")))), "no blob, no partial file");
        }
        assertFalse(Files.exists(repo.resolve("snapshots").resolve(COMMIT).resolve("model.safetensors")));
        // the next attempt, with an honest server, completes
        corruptLfs = false;
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withAllowDownload(true)
                .withEnvironment(env(cache, false)))) {
            assertEquals(TEXTS.size(), scores(m).size());
        }
    }

    @Test
    void gatedModelsNeedHfTokenWhichIsNeverShownOrStored() throws Exception {
        Path src = model(5);
        repos.put(GATED, filesOf(src));
        Path cache = tmp.resolve("cache");
        IOException denied = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(GATED)
                .withAllowDownload(true).withEnvironment(env(cache, false))));
        assertTrue(denied.getMessage().contains("HF_TOKEN") && denied.getMessage().contains("401"),
                denied.getMessage());
        Map<String, String> wrong = env(cache, false);
        wrong.put("HF_TOKEN", "hf_wrongTokenAlsoSecret");
        IOException refused = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(GATED)
                .withAllowDownload(true).withEnvironment(wrong)));
        assertFalse(refused.getMessage().contains("hf_wrongTokenAlsoSecret"), refused.getMessage());
        assertTrue(refused.getMessage().contains("no access"), refused.getMessage());
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(GATED).withAllowDownload(true)
                .withEnvironment(env(cache, true)))) {
            assertEquals(TEXTS.size(), scores(m).size());
            assertFalse(m.toString().contains(TOKEN));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("/resolve/") && l.endsWith("auth")));
        byte[] secret = TOKEN.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(f);
                assertFalse(Collections.indexOfSubList(toList(b), toList(secret)) >= 0, f + " holds the token");
            }
        }
    }

    private static List<Byte> toList(byte[] b) {
        Byte[] out = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i];
        }
        return Arrays.asList(out);
    }

    @Test
    void nothingIsRequestedWithoutOptInOrWithHfHubOffline() throws Exception {
        repos.put(REPO, filesOf(model(6)));
        Path cache = tmp.resolve("cache");
        IOException noOptIn = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(REPO)
                .withEnvironment(env(cache, true))));
        assertTrue(noOptIn.getMessage().contains("not in the hub cache")
                && noOptIn.getMessage().contains("--allow-download"), noOptIn.getMessage());
        Map<String, String> offline = env(cache, true);
        offline.put("HF_HUB_OFFLINE", "1");
        IOException off = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(REPO)
                .withAllowDownload(true).withEnvironment(offline)));
        assertTrue(off.getMessage().contains("HF_HUB_OFFLINE"), off.getMessage());
        assertEquals(List.of(), log);
        IOException missingRepo = assertThrows(IOException.class, () -> DjlLanguageModel.load(
                ModelSource.hub("example-org/absent").withAllowDownload(true).withEnvironment(env(cache, false))));
        assertTrue(missingRepo.getMessage().contains("repository not found"), missingRepo.getMessage());
    }
}
