package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.Numerics;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What built and ran a run folder, as {@code provenance.json}: the library's version and build (from the
 * artifact, filled in when Maven built it, not from the working directory), the numerics version, the Java
 * runtime, the operating system and the run seed. The field names are the constants of this class, shared by
 * {@link #write} and {@link #read}.
 *
 * @param version the library's version ({@code project.version} of symbiosis-experiment)
 * @param build the build's UTC time stamp
 * @param numericsVersion {@link Numerics#VERSION}
 * @param javaVersion {@code java.version}
 * @param os {@code os.name os.arch}
 * @param seed the run seed
 */
public record RunProvenance(String version, String build, int numericsVersion, String javaVersion, String os,
        long seed) {

    /** File name in a run folder. */
    public static final String FILE = "provenance.json";
    /** Field: the library's version. */
    public static final String VERSION = "symbiosis_version";
    /** Field: the library's build time stamp. */
    public static final String BUILD = "symbiosis_build";
    /** Field: the numerics version. */
    public static final String NUMERICS_VERSION = "numerics_version";
    /** Field: the Java version. */
    public static final String JAVA_VERSION = "java_version";
    /** Field: operating system and architecture. */
    public static final String OS = "os";
    /** Field: the run seed. */
    public static final String SEED = "seed";

    private static final String BUILD_RESOURCE = "/dev/symbiosis/experiment/build.properties";

    /** The provenance of a run seed in this process. */
    public static RunProvenance current(long runSeed) {
        Properties p = buildProperties();
        return new RunProvenance(p.getProperty("version"), p.getProperty("build"), Numerics.VERSION,
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                runSeed);
    }

    /**
     * The artifact's {@code build.properties}, filled by Maven's resource filtering.
     *
     * @throws IllegalStateException if the resource is missing or was not filtered (a broken build)
     */
    static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = RunProvenance.class.getResourceAsStream(BUILD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + BUILD_RESOURCE + " is missing");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : new String[] {"version", "build"}) {
            String v = p.getProperty(key);
            if (v == null || v.isBlank() || v.contains("${")) {
                throw new IllegalStateException(BUILD_RESOURCE + ": '" + key + "' was not filled in by the build ("
                        + v + ")");
            }
        }
        return p;
    }

    /** Writes {@code provenance.json} into a run folder (atomically). */
    public void write(Path dir) throws IOException {
        ObjectNode o = Json.object();
        o.put(VERSION, version);
        o.put(BUILD, build);
        o.put(NUMERICS_VERSION, numericsVersion);
        o.put(JAVA_VERSION, javaVersion);
        o.put(OS, os);
        o.put(SEED, seed);
        AtomicFiles.write(dir.resolve(FILE), Json.prettyWriter().writeValueAsBytes(o));
    }

    /**
     * Reads a run folder's {@code provenance.json}.
     *
     * @throws IOException naming the file if it is missing, malformed or lacks a field
     */
    public static RunProvenance read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        JsonNode o;
        try {
            o = Json.reader().readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
        for (String key : new String[] {VERSION, BUILD, NUMERICS_VERSION, JAVA_VERSION, OS, SEED}) {
            if (o == null || !o.has(key)) {
                throw new IOException(f + ": missing field '" + key + "' (written by an earlier version?)");
            }
        }
        return new RunProvenance(o.get(VERSION).asText(), o.get(BUILD).asText(), o.get(NUMERICS_VERSION).asInt(),
                o.get(JAVA_VERSION).asText(), o.get(OS).asText(), o.get(SEED).asLong());
    }
}
