package dev.symbiosis.metrics.semantic;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes vectors supplied by the user instead of computed by a {@link SentenceEncoder}.
 *
 * <p><b>CSV</b> ({@code .csv}, {@code .txt}): one vector per line, values separated by commas (spaces around them
 * allowed), parsed as doubles; blank lines and lines starting with {@code #} are skipped; no header. Every line must
 * have the same number of values.
 *
 * <p><b>NumPy</b> ({@code .npy}, format versions 1.0, 2.0 and 3.0): a 2-D array, C order, little-endian
 * {@code float32} ({@code <f4}) or {@code float64} ({@code <f8}), as written by {@code numpy.save}.
 *
 * <p>Errors are {@link VectorFormatException}s naming the file (and for CSV the line): ragged rows, a value that is
 * not a finite number, a wrong dtype, Fortran order, a shape that is not 2-D, a truncated data section, an empty
 * file.
 *
 * <p>Stateless and thread-safe.
 */
public final class VectorFiles {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private VectorFiles() {}

    /**
     * Reads vectors by file extension: {@code .npy} as NumPy, anything else as CSV.
     *
     * @throws VectorFormatException for malformed content, naming the file
     * @throws IOException if the file cannot be read
     */
    public static Embeddings read(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".npy") ? readNpy(file) : readCsv(file);
    }

    /** Reads a CSV file of vectors, one per line. */
    public static Embeddings readCsv(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        int dim = -1;
        long firstLine = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String s;
            long line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (line == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                    s = s.substring(1);
                }
                String t = s.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split(",", -1);
                if (dim < 0) {
                    dim = parts.length;
                    firstLine = line;
                } else if (parts.length != dim) {
                    throw new VectorFormatException(file, line, "expected " + dim + " values as on line " + firstLine
                            + ", found " + parts.length);
                }
                double[] v = new double[parts.length];
                for (int j = 0; j < parts.length; j++) {
                    String p = parts[j].strip();
                    try {
                        v[j] = Double.parseDouble(p);
                    } catch (NumberFormatException e) {
                        throw new VectorFormatException(file, line, "value " + (j + 1) + " is not a number: '"
                                + abbreviate(p) + "'");
                    }
                    if (!Double.isFinite(v[j]) || p.isEmpty()) {
                        throw new VectorFormatException(file, line, "value " + (j + 1) + " is not a finite number: '"
                                + abbreviate(p) + "'");
                    }
                }
                rows.add(v);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new VectorFormatException(file, 0, "not UTF-8 text (a binary file? use .npy for NumPy arrays)");
        }
        if (rows.isEmpty()) {
            throw new VectorFormatException(file, 0, "no vectors (the file is empty or has only blank/comment lines)");
        }
        return Embeddings.ofRows(rows);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Reads a 2-D little-endian float32/float64 C-order {@code .npy} array. */
    public static Embeddings readNpy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(8);
            if (magic.length < 8) {
                throw new VectorFormatException(file, 0, "not a NumPy .npy file (too short)");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw new VectorFormatException(file, 0, "not a NumPy .npy file (bad magic)");
                }
            }
            int major = magic[6] & 0xff;
            int headerLength;
            java.nio.charset.Charset cs;
            if (major == 1) {
                byte[] b = readFully(in, 2, file, "header length");
                headerLength = (b[0] & 0xff) | (b[1] & 0xff) << 8;
                cs = StandardCharsets.ISO_8859_1;
            } else if (major == 2 || major == 3) {
                byte[] b = readFully(in, 4, file, "header length");
                long len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                if (len > 1 << 20) {
                    throw new VectorFormatException(file, 0, "implausible header length " + len);
                }
                headerLength = (int) len;
                cs = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            } else {
                throw new VectorFormatException(file, 0, "unsupported .npy format version " + major + "."
                        + (magic[7] & 0xff));
            }
            String header = new String(readFully(in, headerLength, file, "header"), cs);
            Matcher dm = DESCR.matcher(header);
            Matcher fm = FORTRAN.matcher(header);
            Matcher sm = SHAPE.matcher(header);
            if (!dm.find() || !fm.find() || !sm.find()) {
                throw new VectorFormatException(file, 0, "malformed .npy header: " + abbreviate(header.strip()));
            }
            String descr = dm.group(1);
            int width;
            switch (descr) {
                case "<f4" -> width = 4;
                case "<f8" -> width = 8;
                case ">f4", ">f8" -> throw new VectorFormatException(file, 0, "big-endian dtype " + descr
                        + " is not supported: save as little-endian float32 or float64");
                default -> throw new VectorFormatException(file, 0, "dtype " + descr
                        + " is not supported: expected float32 ('<f4') or float64 ('<f8')");
            }
            if (fm.group(1).equals("True")) {
                throw new VectorFormatException(file, 0, "Fortran-order arrays are not supported: save a C-order"
                        + " array (numpy.ascontiguousarray)");
            }
            String[] dims = sm.group(1).split(",");
            List<Long> shape = new ArrayList<>();
            for (String d : dims) {
                if (!d.isBlank()) {
                    try {
                        shape.add(Long.parseLong(d.strip().replace("L", "")));
                    } catch (NumberFormatException e) {
                        throw new VectorFormatException(file, 0, "malformed shape (" + sm.group(1) + ")");
                    }
                }
            }
            if (shape.size() != 2) {
                throw new VectorFormatException(file, 0, "expected a 2-D array (vectors x dimension), got shape ("
                        + sm.group(1).strip() + ")");
            }
            long rows = shape.get(0);
            long cols = shape.get(1);
            if (rows < 1 || cols < 1) {
                throw new VectorFormatException(file, 0, "empty array of shape (" + rows + ", " + cols + ")");
            }
            if (rows * cols > Integer.MAX_VALUE - 8) {
                throw new VectorFormatException(file, 0, "array too large: " + rows + " x " + cols);
            }
            int count = (int) (rows * cols);
            double[] data = new double[count];
            byte[] buf = new byte[8192 - 8192 % width];
            int filled = 0;
            while (filled < count) {
                int want = Math.min(buf.length, (count - filled) * width);
                int got = in.readNBytes(buf, 0, want);
                if (got < want) {
                    throw new VectorFormatException(file, 0, "truncated data: expected " + ((long) count * width)
                            + " bytes for shape (" + rows + ", " + cols + "), found "
                            + ((long) filled * width + got));
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, got).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < got / width; i++) {
                    double v = width == 4 ? bb.getFloat() : bb.getDouble();
                    if (!Double.isFinite(v)) {
                        int at = filled + i;
                        throw new VectorFormatException(file, 0, "value at row " + (at / cols) + ", column "
                                + (at % cols) + " is not finite: " + v);
                    }
                    data[filled + i] = v;
                }
                filled += got / width;
            }
            if (in.read() != -1) {
                throw new VectorFormatException(file, 0, "trailing bytes after " + ((long) count * width)
                        + " bytes of data for shape (" + rows + ", " + cols + ")");
            }
            return Embeddings.wrap((int) rows, (int) cols, data);
        }
    }

    private static byte[] readFully(InputStream in, int n, Path file, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new VectorFormatException(file, 0, "truncated " + what);
        }
        return b;
    }

    /** Writes vectors as CSV, one per line, with the shortest round-tripping decimal form of each value. */
    public static void writeCsv(Path file, Embeddings vectors) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < vectors.size(); i++) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < vectors.dimension(); j++) {
                    if (j > 0) {
                        sb.append(',');
                    }
                    sb.append(vectors.get(i, j));
                }
                w.write(sb.toString());
                w.newLine();
            }
        }
    }

    /**
     * Writes vectors as a version 1.0 {@code .npy} array, float64 ({@code <f8}) or float32 ({@code <f4}, values
     * rounded to float).
     */
    public static void writeNpy(Path file, Embeddings vectors, boolean float32) throws IOException {
        String dict = "{'descr': '" + (float32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': ("
                + vectors.size() + ", " + vectors.dimension() + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(MAGIC);
            out.write(1);
            out.write(0);
            int len = header.length();
            out.write(len & 0xff);
            out.write((len >> 8) & 0xff);
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            int width = float32 ? 4 : 8;
            ByteBuffer bb = ByteBuffer.allocate(width * vectors.dimension()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < vectors.size(); i++) {
                bb.clear();
                for (int j = 0; j < vectors.dimension(); j++) {
                    if (float32) {
                        bb.putFloat((float) vectors.get(i, j));
                    } else {
                        bb.putDouble(vectors.get(i, j));
                    }
                }
                out.write(bb.array(), 0, bb.position());
            }
        }
    }
}
