package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.djl.hub.HubSettings;
import dev.symbiosis.djl.model.LoraConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models opened by Hugging Face id from a cache in huggingface_hub's layout ({@link HubLayout}), offline.
 * Environment variables as huggingface_hub's src/huggingface_hub/constants.py reads them: HF_HUB_CACHE, else
 * HF_HOME/hub; HF_HUB_OFFLINE.
 */
class HubModelSourceTest {

    private static final String REPO = "example-org/tiny-gpt2";
    private static final String COMMIT = "1111111111111111111111111111111111111111";
    private static final String COMMIT_V1 = "2222222222222222222222222222222222222222";
    private static final List<String> TEXTS = List.of("the cat sat on the mat", "a longer text, with commas; and"
            + " a semicolon, scored in one window", "x");

    @TempDir
    Path tmp;

    private Path folder(long seed) throws IOException {
        return TinyModels.randomCheckpoint(tmp.resolve("src" + seed), TinyModels.config(32, 16, 2, 2), seed);
    }

    @Test
    void aModelOpenedByIdOfflineScoresExactlyAsTheSameFolderOpenedByPath() throws Exception {
        Path src = folder(5);
        Path cache = tmp.resolve("hub");
        Path snap = HubLayout.put(cache, REPO, COMMIT, "main", src);
        assertTrue(Files.isSymbolicLink(snap.resolve("model.safetensors")));
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1");
        List<TokenScores> byPath;
        try (DjlLanguageModel m = DjlLanguageModel.builder(src).optDevice(Device.cpu()).build()) {
            byPath = m.score(TEXTS);
        }
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.parse(REPO).withEnvironment(env))) {
            assertEquals(byPath, m.score(TEXTS));
        }
        // HF_HOME/hub is the cache when HF_HUB_CACHE is unset
        Path home = tmp.resolve("hf-home");
        HubLayout.put(home.resolve("hub"), REPO, COMMIT, "main", src);
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO)
                .withEnvironment(Map.of("HF_HOME", home.toString(), "HF_HUB_OFFLINE", "1")))) {
            assertEquals(byPath, m.score(TEXTS));
        }
    }

    @Test
    void revisionsSelectTheirSnapshotByRefOrCommit() throws Exception {
        Path main = folder(5);
        Path other = folder(6);
        Path cache = tmp.resolve("hub");
        HubLayout.put(cache, REPO, COMMIT, "main", main);
        HubLayout.put(cache, REPO, COMMIT_V1, "v1", other);
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1");
        List<TokenScores> v1;
        try (DjlLanguageModel m = DjlLanguageModel.builder(other).optDevice(Device.cpu()).build()) {
            v1 = m.score(TEXTS);
        }
        for (String rev : List.of("v1", COMMIT_V1)) {
            try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withRevision(rev)
                    .withEnvironment(env))) {
                assertEquals(v1, m.score(TEXTS), rev);
            }
        }
        try (DjlLanguageModel m = DjlLanguageModel.load(ModelSource.hub(REPO).withEnvironment(env))) {
            assertNotEquals(v1, m.score(TEXTS));
        }
        IOException unknown = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(REPO)
                .withRevision("v2").withEnvironment(env)));
        assertTrue(unknown.getMessage().contains(REPO) && unknown.getMessage().contains("revision v2")
                && unknown.getMessage().contains("--allow-download"), unknown.getMessage());
    }

    @Test
    void aSnapshotLackingAFileNamesItAndDownloadsNothingWithoutOptIn() throws Exception {
        Path src = folder(5);
        Path cache = tmp.resolve("hub");
        Path snap = HubLayout.put(cache, REPO, COMMIT, "main", src);
        Files.delete(snap.resolve("tokenizer.json"));
        // the endpoint is a closed port: any attempt to reach it would fail differently
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString(), "HF_ENDPOINT", "http://127.0.0.1:9");
        IOException e = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(REPO)
                .withEnvironment(env)));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("allow"), e.getMessage());
        Map<String, String> offline = Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "yes",
                "HF_ENDPOINT", "http://127.0.0.1:9");
        IOException off = assertThrows(IOException.class, () -> DjlLanguageModel.load(ModelSource.hub(REPO)
                .withAllowDownload(true).withEnvironment(offline)));
        assertTrue(off.getMessage().contains("HF_HUB_OFFLINE"), off.getMessage());
    }

    @Test
    void anAdapterTrainedOnAHubModelNamesTheIdAndCommitAndItsLinkedBaseLoads() throws Exception {
        // Llama: a frozen base is hard-linked into the checkpoint, which must link the blob, not the symlink
        var llama = RotaryCheckpoints.llama(false);
        Path src = RotaryCheckpoints.write(tmp.resolve("llama"), llama, RotaryCheckpoints.randomTensors(llama, 8));
        Path cache = tmp.resolve("hub");
        HubLayout.put(cache, REPO, COMMIT, "main", src);
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1");
        Path out = tmp.resolve("adapter-ckpt");
        List<TokenScores> before;
        try (DjlLanguageModel m = DjlLanguageModel.builder(ModelSource.hub(REPO).withEnvironment(env))
                .optLora(new LoraConfig(2, 4, 0, List.of("all-linear"))).optDevice(Device.cpu()).build()) {
            before = m.score(TEXTS);
            m.save(out);
        }
        var ac = HfFormatReader.json(out.resolve("adapter_config.json"));
        assertEquals(REPO, ac.get("base_model_name_or_path").asText());
        assertEquals(COMMIT, ac.get("revision").asText());
        assertTrue(!Files.isSymbolicLink(out.resolve("model.safetensors")));
        try (DjlLanguageModel back = DjlLanguageModel.load(out)) {
            assertEquals(before, back.score(TEXTS));
        }
    }

    @Test
    void settingsFollowHuggingfaceHubsVariablesAndNeverShowTheToken() throws IOException {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HF_HOME", "/x/hf", "HF_TOKEN", "hf_abcdefSECRET",
                "HF_HUB_OFFLINE", "TRUE", "HF_ENDPOINT", "http://127.0.0.1:8080/"));
        assertEquals(Path.of("/x/hf/hub"), s.cacheDir());
        assertTrue(s.offline());
        assertEquals("http://127.0.0.1:8080", s.endpoint().toString());
        assertTrue(s.hasToken());
        assertTrue(!s.toString().contains("SECRET"), s.toString());
        HubSettings d = HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x/cache", "HF_HUB_OFFLINE", "0"));
        assertEquals(Path.of("/x/cache/huggingface/hub"), d.cacheDir());
        assertTrue(!d.offline());
        assertEquals(HubSettings.DEFAULT_ENDPOINT, d.endpoint().toString());
        assertEquals(Path.of("/c"), HubSettings.fromEnvironment(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"))
                .cacheDir());
        assertTrue(ModelSource.parse("EleutherAI/pythia-160m").isHub());
        assertEquals("main", ModelSource.parse("EleutherAI/pythia-160m").revision());
        assertTrue(!ModelSource.parse(tmp.toString()).isHub());
        assertTrue(!ModelSource.parse("./relative/dir/that/is/not/an/id").isHub());
        for (String bad : List.of("/etc", "../x", "a/../../b", "")) {
            IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                    () -> ModelSource.hub(REPO).withRevision(bad));
            assertTrue(r.getMessage().contains("revision"), r.getMessage());
        }
        // text that could be a mistyped folder says so when the id is not found either
        IOException e = assertThrows(IOException.class, () -> ModelSource.parse("runs/model-typo")
                .withEnvironment(Map.of("HF_HUB_CACHE", tmp.resolve("empty").toString())).resolve());
        assertTrue(e.getMessage().startsWith("no folder runs/model-typo exists, and as a model id:"), e.getMessage());
    }
}
