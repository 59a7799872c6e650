package dev.symbiosis.spark;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Part files that a task writes and commits itself, for jobs that resume: partition {@code p} of an output folder
 * is the file {@code part-<p, 5 digits><ext>}, written first under {@code _temporary/} with the task attempt in its
 * name and then renamed into place. The rename is the commit: a partition whose part file exists is finished, and a
 * restarted job skips it. This needs a file system whose rename is atomic (HDFS, local and shared POSIX file
 * systems); object stores (S3, GCS) are not supported.
 *
 * <p>Rows are flat records of strings, longs, ints and doubles ({@link Column}), in Parquet (snappy) or gzip JSON
 * Lines.
 */
final class PartFiles {

    private static final Pattern PART = Pattern.compile("part-(\\d{5})(\\.parquet|\\.jsonl\\.gz)");

    private PartFiles() {}

    /** A column of a flat row. */
    record Column(String name, Class<?> type) {}

    static String name(int partition, OutputFormat format) {
        return String.format(Locale.ROOT, "part-%05d%s", partition, format.extension());
    }

    /** The partitions committed in {@code folder} (part files of this format). */
    static TreeSet<Integer> committed(Path folder, OutputFormat format, Configuration conf) throws IOException {
        FileSystem fs = folder.getFileSystem(conf);
        TreeSet<Integer> out = new TreeSet<>();
        if (!fs.exists(folder)) {
            return out;
        }
        for (FileStatus st : fs.listStatus(folder)) {
            Matcher m = PART.matcher(st.getPath().getName());
            if (st.isFile() && m.matches() && m.group(2).equals(format.extension())) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }

    /**
     * Writes the rows of partition {@code p} and commits them by renaming.
     *
     * @return whether this attempt committed (false: another attempt had already committed the partition)
     */
    static boolean writeAndCommit(Path folder, int p, String attempt, OutputFormat format, List<Column> columns,
            List<Object[]> rows, Configuration conf) throws IOException {
        FileSystem fs = folder.getFileSystem(conf);
        Path tmp = new Path(new Path(folder, "_temporary"), "attempt-" + attempt + "-" + name(p, format));
        Path dst = new Path(folder, name(p, format));
        fs.delete(tmp, false);
        if (format == OutputFormat.PARQUET) {
            writeParquet(tmp, columns, rows, conf);
        } else {
            try (OutputStream raw = fs.create(tmp, true)) {
                writeJsonl(raw, columns, rows);
            }
        }
        if (fs.exists(dst)) {
            fs.delete(tmp, false);
            return false;
        }
        if (!fs.rename(tmp, dst)) {
            fs.delete(tmp, false);
            if (fs.exists(dst)) {
                return false;
            }
            throw new IOException("cannot commit " + dst + " (rename of " + tmp + " failed)");
        }
        return true;
    }

    private static void writeJsonl(OutputStream raw, List<Column> columns, List<Object[]> rows) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16)) {
            for (Object[] row : rows) {
                byte[] buf;
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                try (JsonGenerator g = mapper.getFactory().createGenerator(line)) {
                    g.writeStartObject();
                    for (int i = 0; i < columns.size(); i++) {
                        Column c = columns.get(i);
                        Object v = row[i];
                        g.writeFieldName(c.name());
                        if (v == null) {
                            g.writeNull();
                        } else if (v instanceof String s) {
                            g.writeString(s);
                        } else if (v instanceof Long l) {
                            g.writeNumber(l);
                        } else if (v instanceof Integer n) {
                            g.writeNumber(n);
                        } else if (v instanceof Double d) {
                            g.writeNumber(d);
                        } else {
                            throw new IllegalArgumentException("column " + c.name() + ": unsupported value " + v);
                        }
                    }
                    g.writeEndObject();
                }
                buf = line.toByteArray();
                gz.write(buf);
                gz.write('\n');
            }
        }
    }

    static MessageType schema(List<Column> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column c : columns) {
            if (c.type() == String.class) {
                b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
            } else if (c.type() == Long.class) {
                b.required(PrimitiveTypeName.INT64).named(c.name());
            } else if (c.type() == Integer.class) {
                b.required(PrimitiveTypeName.INT32).named(c.name());
            } else if (c.type() == Double.class) {
                b.required(PrimitiveTypeName.DOUBLE).named(c.name());
            } else {
                throw new IllegalArgumentException("column " + c.name() + ": unsupported type " + c.type());
            }
        }
        return b.named("row");
    }

    private static void writeParquet(Path file, List<Column> columns, List<Object[]> rows, Configuration conf)
            throws IOException {
        MessageType schema = schema(columns);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withConf(conf).withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (Object[] row : rows) {
                Group g = groups.newGroup();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = row[i];
                    String n = columns.get(i).name();
                    if (v instanceof String s) {
                        g.append(n, s);
                    } else if (v instanceof Long l) {
                        g.append(n, l);
                    } else if (v instanceof Integer x) {
                        g.append(n, x);
                    } else if (v instanceof Double d) {
                        g.append(n, d);
                    } else {
                        throw new IllegalArgumentException("column " + n + ": unsupported value " + v);
                    }
                }
                w.write(g);
            }
        }
    }

    /** Removes leftovers of killed attempts. */
    static void clearTemporary(Path folder, Configuration conf) throws IOException {
        FileSystem fs = folder.getFileSystem(conf);
        fs.delete(new Path(folder, "_temporary"), true);
    }

    static List<String> columnNames(List<Column> columns) {
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.name()));
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
