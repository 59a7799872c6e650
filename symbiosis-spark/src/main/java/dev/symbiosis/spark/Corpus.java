package dev.symbiosis.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.corpus.JsonLines;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Reading a corpus of documents from any Hadoop file system path (local, HDFS, S3A ...): one file or a folder
 * searched recursively, in path order, of JSON Lines ({@code .jsonl}, {@code .ndjson}, optionally {@code .gz}) and
 * Parquet ({@code .parquet}) files. Files whose name starts with {@code _} or {@code .} are skipped (Spark's
 * markers).
 *
 * <p><b>Records.</b> JSON Lines: one object per line (blank lines skipped) with a string text field (default
 * {@code "text"}); {@code "id"}, a non-blank string or an integer, else {@code "<file name>:<line>"}, as
 * {@link dev.symbiosis.core.corpus.JsonlCorpusReader} does. Parquet: a string column named as the text field and an
 * optional string or integer column {@code id}, else {@code "<file name>:<row>"} (1-based). A missing or mistyped
 * field, an empty text, malformed JSON or invalid UTF-8 fails the job with an error naming the file and the line or
 * row.
 *
 * <p><b>Order.</b> Each document carries its corpus position, {@code fileIndex * 2^32 + recordIndex}, so that jobs
 * can reproduce the single-process order (ties in a ranking keep it, and samples are drawn over it) whatever the
 * partitioning.
 */
public final class Corpus {

    private Corpus() {}

    /** One document: its position in the corpus, its id and its text. */
    public record Doc(long order, String id, String text) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The corpus files under {@code location} (or the file itself), sorted by path.
     *
     * @throws IOException if the location does not exist or holds no file of a known format
     */
    public static List<String> files(String location, Configuration conf) throws IOException {
        Path root = new Path(location);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new IOException(location + ": no such file or folder");
        }
        FileStatus st = fs.getFileStatus(root);
        List<String> out = new ArrayList<>();
        if (st.isFile()) {
            if (kind(root.getName()) == null) {
                throw new IOException(location + ": unknown format: expected .jsonl, .ndjson (optionally .gz) or"
                        + " .parquet");
            }
            out.add(st.getPath().toString());
            return out;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String name = f.getPath().getName();
            if (f.isFile() && !hidden(root, f.getPath()) && kind(name) != null) {
                out.add(f.getPath().toString());
            }
        }
        out.sort(null);
        if (out.isEmpty()) {
            throw new IOException(location + ": no .jsonl, .ndjson or .parquet files in this folder");
        }
        return out;
    }

    private static boolean hidden(Path root, Path p) {
        for (Path q = p; q != null && !q.equals(root) && q.getName().length() > 0; q = q.getParent()) {
            if (q.getName().startsWith("_") || q.getName().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** "jsonl", "parquet" or null. */
    static String kind(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".parquet")) {
            return "parquet";
        }
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.endsWith(".jsonl") || n.endsWith(".ndjson") ? "jsonl" : null;
    }

    /** The documents of the corpus at {@code location}, one reading task per file. */
    public static JavaRDD<Doc> read(JavaSparkContext jsc, String location, String textField) throws IOException {
        Configuration conf = jsc.hadoopConfiguration();
        List<String> files = files(location, conf);
        List<Tuple2<Integer, String>> indexed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new Tuple2<>(i, files.get(i)));
        }
        HadoopConf hc = new HadoopConf(conf);
        return jsc.parallelize(indexed, Math.max(1, indexed.size()))
                .flatMap(f -> open(f._1(), f._2(), textField, hc.get()));
    }

    /** The documents of one file, read lazily. */
    public static Iterator<Doc> open(int fileIndex, String file, String textField, Configuration conf)
            throws IOException {
        return "parquet".equals(kind(new Path(file).getName()))
                ? new ParquetDocs(fileIndex, file, textField, conf)
                : new JsonlDocs(fileIndex, file, textField, conf);
    }

    /** All documents of the corpus read in this JVM, in corpus order (for tests and the single-process path). */
    public static List<Doc> readLocally(String location, String textField, Configuration conf) throws IOException {
        List<String> files = files(location, conf);
        List<Doc> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Iterator<Doc> it = open(i, files.get(i), textField, conf);
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    static long order(int fileIndex, long record) {
        return ((long) fileIndex << 32) | record;
    }

    private abstract static class Docs implements Iterator<Doc>, Closeable {
        final int fileIndex;
        final String file;
        final String fileName;
        final String textField;
        long records;
        private Doc next;
        private boolean done;

        Docs(int fileIndex, String file, String textField) {
            this.fileIndex = fileIndex;
            this.file = file;
            this.fileName = new Path(file).getName();
            this.textField = textField;
        }

        /** The next document, or null at the end. */
        abstract Doc read() throws IOException;

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = read();
                } catch (IOException e) {
                    try {
                        close();
                    } catch (IOException ignored) {
                        // the read error is the one to report
                    }
                    throw new UncheckedIOException(e);
                }
                if (next == null) {
                    done = true;
                    try {
                        close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return next != null;
        }

        @Override
        public Doc next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Doc d = next;
            next = null;
            return d;
        }

        Doc doc(String id, String text, String where) throws IOException {
            if (text.isBlank()) {
                throw new IOException(file + ": " + where + ": field '" + textField + "' is empty");
            }
            return new Doc(order(fileIndex, records++), id, text);
        }
    }

    private static final class JsonlDocs extends Docs {
        private final BufferedReader in;
        private long line;

        JsonlDocs(int fileIndex, String file, String textField, Configuration conf) throws IOException {
            super(fileIndex, file, textField);
            Path p = new Path(file);
            InputStream raw = p.getFileSystem(conf).open(p);
            try {
                InputStream s = fileName.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                        : raw;
                this.in = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }

        @Override
        Doc read() throws IOException {
            String s;
            while (true) {
                try {
                    s = in.readLine();
                } catch (CharacterCodingException e) {
                    throw new IOException(file + ": line " + (line + 1) + ": invalid UTF-8", e);
                } catch (IOException e) {
                    throw new IOException(file + ": line " + (line + 1) + ": " + e.getMessage(), e);
                }
                if (s == null) {
                    if (line == 0) {
                        throw new IOException(file + ": file is empty");
                    }
                    return null;
                }
                line++;
                if (!s.isBlank()) {
                    break;
                }
            }
            JsonNode node;
            try {
                node = JsonLines.MAPPER.readTree(s);
            } catch (JsonProcessingException e) {
                int col = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
                throw new IOException(file + ": line " + line + ", column " + col + ": malformed JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new IOException(file + ": line " + line + ": expected a JSON object, got "
                        + JsonLines.describe(node));
            }
            String where = "line " + line;
            JsonNode t = node.get(textField);
            if (t == null || t.isNull()) {
                throw new IOException(file + ": " + where + ": missing text field '" + textField + "'");
            }
            if (!t.isTextual()) {
                throw new IOException(file + ": " + where + ": field '" + textField + "' must be a string, got "
                        + JsonLines.describe(t));
            }
            String id = fileName + ":" + line;
            JsonNode idNode = node.get("id");
            if (idNode != null && !idNode.isNull() && !"id".equals(textField)) {
                if (idNode.isTextual() && !idNode.textValue().isBlank()) {
                    id = idNode.textValue();
                } else if (idNode.isIntegralNumber()) {
                    id = idNode.asText();
                } else {
                    throw new IOException(file + ": " + where + ": field 'id' must be a non-blank string or an"
                            + " integer, got " + JsonLines.describe(idNode));
                }
            }
            return doc(id, t.textValue(), where);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static final class ParquetDocs extends Docs {
        private final ParquetReader<Group> reader;
        private boolean checked;

        ParquetDocs(int fileIndex, String file, String textField, Configuration conf) throws IOException {
            super(fileIndex, file, textField);
            this.reader = ParquetReader.builder(new GroupReadSupport(), new Path(file)).withConf(conf).build();
        }

        @Override
        Doc read() throws IOException {
            Group g;
            try {
                g = reader.read();
            } catch (RuntimeException e) {
                throw new IOException(file + ": row " + (records + 1) + ": unreadable Parquet: " + e.getMessage(), e);
            }
            if (g == null) {
                return null;
            }
            GroupType schema = g.getType();
            String where = "row " + (records + 1);
            if (!checked) {
                if (!schema.containsField(textField) || !schema.getType(textField).isPrimitive()
                        || schema.getType(textField).asPrimitiveType().getPrimitiveTypeName()
                                != PrimitiveType.PrimitiveTypeName.BINARY) {
                    throw new IOException(file + ": column '" + textField + "' (a string) is missing; columns are "
                            + schema.getFields().stream().map(f -> f.getName()).toList());
                }
                checked = true;
            }
            if (g.getFieldRepetitionCount(textField) == 0) {
                throw new IOException(file + ": " + where + ": field '" + textField + "' is null");
            }
            String text = g.getString(textField, 0);
            String id = fileName + ":" + (records + 1);
            if (schema.containsField("id") && g.getFieldRepetitionCount("id") > 0) {
                PrimitiveType.PrimitiveTypeName t = schema.getType("id").asPrimitiveType().getPrimitiveTypeName();
                switch (t) {
                    case BINARY -> id = g.getString("id", 0);
                    case INT64 -> id = Long.toString(g.getLong("id", 0));
                    case INT32 -> id = Integer.toString(g.getInteger("id", 0));
                    default -> throw new IOException(file + ": column 'id' must be a string or an integer, got "
                            + t);
                }
                if (id.isBlank()) {
                    throw new IOException(file + ": " + where + ": field 'id' is blank");
                }
            }
            return doc(id, text, where);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
