package dev.symbiosis.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Checkpoint folders named by a local path or a Hadoop file system URI: their content hash (for provenance) and a
 * local copy for executors that cannot read the URI directly.
 */
public final class Checkpoints {

    private static final Map<String, Path> LOCAL = new ConcurrentHashMap<>();

    private Checkpoints() {}

    /** Whether {@code location} is a local path ({@code file:} URI or no scheme). */
    static boolean isLocal(String location) {
        String scheme = schemeOf(location);
        return scheme == null || scheme.equals("file");
    }

    private static String schemeOf(String location) {
        if (location.length() > 1 && location.charAt(1) == ':' && Character.isLetter(location.charAt(0))) {
            return null; // a Windows drive letter
        }
        try {
            return new URI(location).getScheme();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * A local folder with the checkpoint: the path itself when local, else a copy of the folder's files in
     * {@code java.io.tmpdir}, made once per JVM and URI.
     */
    public static Path localCopy(String location) throws IOException {
        if (isLocal(location)) {
            Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
            if (!Files.isDirectory(p)) {
                throw new IOException(location + ": checkpoint folder not found on this host");
            }
            return p;
        }
        Path cached = LOCAL.get(location);
        if (cached != null) {
            return cached;
        }
        synchronized (LOCAL) {
            cached = LOCAL.get(location);
            if (cached != null) {
                return cached;
            }
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(location);
            FileSystem fs = src.getFileSystem(new Configuration());
            Path dir = Files.createTempDirectory("symbiosis-checkpoint-");
            for (FileStatus st : fs.listStatus(src)) {
                if (st.isFile()) {
                    try (InputStream in = fs.open(st.getPath())) {
                        Files.copy(in, dir.resolve(st.getPath().getName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            LOCAL.put(location, dir);
            return dir;
        }
    }

    /**
     * SHA-256 over the checkpoint's files (names sorted; each name, its length and its bytes), as hex: the identity
     * of a checkpoint in the provenance of generated rows.
     */
    public static String sha256(String location, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
            throw new IOException(location + ": checkpoint folder not found");
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.isFile()) {
                files.add(st);
            }
        }
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (FileStatus st : files) {
            md.update(st.getPath().getName().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Long.toString(st.getLen()).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            try (InputStream in = fs.open(st.getPath())) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
