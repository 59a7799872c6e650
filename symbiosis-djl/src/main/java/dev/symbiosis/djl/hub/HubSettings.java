package dev.symbiosis.djl.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the Hugging Face cache is and how the hub may be reached, from the environment variables huggingface_hub
 * reads (its {@code constants.py}): {@code HF_HUB_CACHE} (or the older {@code HUGGINGFACE_HUB_CACHE}), else
 * {@code HF_HOME}{@code /hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub};
 * {@code HF_HUB_OFFLINE} ({@code 1}, {@code ON}, {@code YES} or {@code TRUE}, any case: never contact the hub);
 * {@code HF_ENDPOINT} (default the public hub); the token of {@code HF_TOKEN}, else of the file
 * {@code HF_TOKEN_PATH}, else {@code HF_HOME/token}. The token is never shown: {@link #toString()} and every
 * message leave it out.
 *
 * <p>Immutable and thread-safe.
 */
public final class HubSettings {

    /** The public hub, used when {@code HF_ENDPOINT} is unset. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    private final Path cacheDir;
    private final boolean offline;
    private final URI endpoint;
    private final String token;

    private HubSettings(Path cacheDir, boolean offline, URI endpoint, String token) {
        this.cacheDir = cacheDir;
        this.offline = offline;
        this.endpoint = endpoint;
        this.token = token;
    }

    /** The settings of this process's environment. */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The settings the given environment variables describe (tests pass their own; unset variables take
     * huggingface_hub's defaults).
     *
     * @throws IllegalArgumentException naming HF_ENDPOINT when it is not an http(s) URL
     */
    public static HubSettings fromEnvironment(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        String hfHome = nonEmpty(env.get("HF_HOME"));
        Path hfHomeDir = hfHome != null ? Path.of(hfHome)
                : nonEmpty(env.get("XDG_CACHE_HOME")) != null ? Path.of(env.get("XDG_CACHE_HOME"), "huggingface")
                        : home.resolve(".cache").resolve("huggingface");
        String cache = nonEmpty(env.get("HF_HUB_CACHE"));
        if (cache == null) {
            cache = nonEmpty(env.get("HUGGINGFACE_HUB_CACHE"));
        }
        Path cacheDir = cache != null ? Path.of(cache) : hfHomeDir.resolve("hub");
        String off = nonEmpty(env.get("HF_HUB_OFFLINE"));
        boolean offline = off != null && TRUE.contains(off.toUpperCase(Locale.ROOT));
        String ep = nonEmpty(env.get("HF_ENDPOINT"));
        URI endpoint = URI.create((ep == null ? DEFAULT_ENDPOINT : ep).replaceAll("/+$", ""));
        if (endpoint.getScheme() == null || !(endpoint.getScheme().equals("http")
                || endpoint.getScheme().equals("https")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL, got " + ep);
        }
        String token = nonEmpty(env.get("HF_TOKEN"));
        if (token == null) {
            String tokenPath = nonEmpty(env.get("HF_TOKEN_PATH"));
            Path f = tokenPath != null ? Path.of(tokenPath) : hfHomeDir.resolve("token");
            try {
                if (Files.isRegularFile(f)) {
                    token = nonEmpty(Files.readString(f, StandardCharsets.UTF_8).strip());
                }
            } catch (IOException e) {
                token = null; // an unreadable token file is as good as none; the hub then answers 401
            }
        }
        return new HubSettings(cacheDir, offline, endpoint, token);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The hub cache directory (the folder holding {@code models--org--name}). */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Whether HF_HUB_OFFLINE forbids contacting the hub. */
    public boolean offline() {
        return offline;
    }

    /** The hub's base URL, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** Whether a token is available (its value is only handed to {@link HubDownloader}). */
    public boolean hasToken() {
        return token != null;
    }

    String token() {
        return token;
    }

    /** These settings with another cache directory. */
    public HubSettings withCacheDir(Path dir) {
        return new HubSettings(dir, offline, endpoint, token);
    }

    @Override
    public String toString() {
        return "HubSettings[cache=" + cacheDir + ", offline=" + offline + ", endpoint=" + endpoint + ", token="
                + (token == null ? "none" : "set") + "]";
    }
}
