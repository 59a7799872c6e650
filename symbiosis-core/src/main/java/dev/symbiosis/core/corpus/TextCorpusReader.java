package dev.symbiosis.core.corpus;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads plain UTF-8 text: one file, or every {@code .txt} / {@code .txt.gz} file (any case) under a folder,
 * recursively, in the order of their paths relative to the folder ({@code /}-separated, compared as strings).
 *
 * <p><b>Documents.</b> Line terminators ({@code \n}, {@code \r\n}, {@code \r}) are normalised to {@code \n}.
 * <ul>
 *   <li>{@link Split#PARAGRAPHS} (default): paragraphs are runs of non-blank lines separated by blank
 *       (whitespace-only) lines. Consecutive paragraphs are grouped, joined by {@code "\n\n"}, into documents of at
 *       most {@link Options#maxChars()} chars (default 4000); a group never splits a paragraph that fits into one
 *       document. A longer paragraph is cut at line ends, and a longer line at the last whitespace in the second half
 *       of the window (else hard at the limit, never inside a surrogate pair). Memory: one document.</li>
 *   <li>{@link Split#WHOLE_FILE}: one document per file, its lines joined by {@code "\n"} (a final terminator is
 *       dropped); a file longer than {@link Options#maxChars()} is an error rather than a risk of running out of
 *       memory.</li>
 * </ul>
 *
 * <p><b>Ids and provenance.</b> A file's label is its file name (single file) or its path relative to the folder.
 * Document ids are {@code "<label>:<first line>"} for paragraph groups (with {@code "#k"} appended for the k-th,
 * k &gt;= 2, piece of a cut line) and {@code "<label>"} for whole files. The provenance source is
 * {@link Options#source()} if set, else the label; attributes {@code file} (the label) and {@code line} (first line,
 * 1-based).
 *
 * <p><b>Errors</b> ({@link CorpusFormatException}, wrapped in {@link java.io.UncheckedIOException} during iteration):
 * invalid UTF-8 (file, line, column), a line over {@link Options#maxLineChars()}, a file that is empty or only
 * whitespace (naming the file; skipped instead under {@link EmptyTextPolicy#SKIP}), a whole file over the limit.
 * Opening fails for a missing path ({@link NoSuchFileException}) and a folder without text files.
 *
 * <p>Not thread-safe (see {@link CorpusReader}).
 */
public final class TextCorpusReader extends AbstractCorpusReader {

    /** How a file is cut into documents. */
    public enum Split {
        /** Groups of blank-line-separated paragraphs of up to {@code maxChars} chars each. */
        PARAGRAPHS,
        /** One document per file. */
        WHOLE_FILE
    }

    private final Path root;
    private final List<Path> files;
    private final List<String> labels;
    private final Options options;

    private TextCorpusReader(Path root, List<Path> files, List<String> labels, Options options) {
        this.root = root;
        this.files = files;
        this.labels = labels;
        this.options = options;
    }

    /** Opens a file or folder with the default options. */
    public static TextCorpusReader open(Path fileOrFolder) throws IOException {
        return open(fileOrFolder, Options.defaults());
    }

    /**
     * Opens a file or a folder; a folder is listed now (its files are read lazily).
     *
     * @throws NoSuchFileException if the path does not exist
     * @throws CorpusFormatException if a folder holds no {@code .txt} or {@code .txt.gz} file
     */
    public static TextCorpusReader open(Path fileOrFolder, Options options) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        Objects.requireNonNull(options, "options");
        if (!Files.exists(fileOrFolder)) {
            throw new NoSuchFileException(fileOrFolder.toString(), null, "text corpus not found");
        }
        if (!Files.isDirectory(fileOrFolder)) {
            return new TextCorpusReader(fileOrFolder, List.of(fileOrFolder),
                    List.of(String.valueOf(fileOrFolder.getFileName())), options);
        }
        List<Path> found;
        try (Stream<Path> walk = Files.walk(fileOrFolder)) {
            found = walk.filter(Files::isRegularFile).filter(TextCorpusReader::isTextFile).toList();
        }
        List<String[]> pairs = new ArrayList<>();
        for (Path p : found) {
            pairs.add(new String[] {label(fileOrFolder, p), p.toString()});
        }
        pairs.sort(Comparator.comparing(a -> a[0]));
        if (pairs.isEmpty()) {
            throw CorpusFormatException.ofFile(fileOrFolder, "folder holds no .txt or .txt.gz files");
        }
        List<Path> files = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String[] pair : pairs) {
            labels.add(pair[0]);
            files.add(Path.of(pair[1]));
        }
        return new TextCorpusReader(fileOrFolder, List.copyOf(files), List.copyOf(labels), options);
    }

    private static boolean isTextFile(Path p) {
        String n = String.valueOf(p.getFileName()).toLowerCase(Locale.ROOT);
        return n.endsWith(".txt") || n.endsWith(".txt.gz");
    }

    private static String label(Path root, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The file or folder given to {@link #open}. */
    public Path root() {
        return root;
    }

    /** The files read, in order. */
    public List<Path> files() {
        return files;
    }

    /** The options in force. */
    public Options options() {
        return options;
    }

    @Override
    protected Pass openPass() {
        return new TextPass();
    }

    /** Reads the files one after the other; documents queue up when one line yields several. */
    private final class TextPass implements Pass {
        private int fileIndex = -1;
        private Utf8LineReader lines;
        private String label;
        private String source;
        private final Deque<Document> ready = new ArrayDeque<>();
        private boolean fileHadText;
        // PARAGRAPHS state
        private final StringBuilder group = new StringBuilder();
        private long groupLine;
        private int groupPiece;
        private final StringBuilder para = new StringBuilder();
        private long paraLine;
        private int paraPiece;

        @Override
        public Document next() throws IOException {
            while (ready.isEmpty()) {
                if (lines == null) {
                    if (fileIndex + 1 >= files.size()) {
                        return null;
                    }
                    startFile(++fileIndex);
                }
                if (options.split() == Split.WHOLE_FILE) {
                    readWholeFile();
                } else if (!readParagraphLine()) {
                    finishFile();
                }
            }
            return ready.poll();
        }

        private void startFile(int i) throws IOException {
            Path f = files.get(i);
            lines = Utf8LineReader.open(f, options.maxLineChars());
            label = labels.get(i);
            source = options.source() != null ? options.source() : label;
            fileHadText = false;
            group.setLength(0);
            para.setLength(0);
        }

        private void finishFile() throws IOException {
            Path f = files.get(fileIndex);
            Utf8LineReader l = lines;
            lines = null;
            l.close();
            if (!fileHadText && options.emptyText() == EmptyTextPolicy.ERROR) {
                throw CorpusFormatException.ofFile(f, (l.lineNumber() == 0 ? "file is empty" : "file has only blank lines")
                        + " (use EmptyTextPolicy.SKIP to leave such files out)");
            }
        }

        private void readWholeFile() throws IOException {
            StringBuilder sb = new StringBuilder();
            String s;
            boolean first = true;
            while ((s = lines.readLine()) != null) {
                if ((long) sb.length() + s.length() + (first ? 0 : 1) > options.maxChars()) {
                    throw CorpusFormatException.atLine(files.get(fileIndex), lines.lineNumber(), "file is longer than "
                            + options.maxChars() + " characters, the limit for one document in WHOLE_FILE mode "
                            + "(use PARAGRAPHS or raise maxChars)");
                }
                if (!first) {
                    sb.append('\n');
                }
                sb.append(s);
                first = false;
            }
            String text = sb.toString();
            if (!text.isBlank()) {
                fileHadText = true;
                ready.add(new Document(label, text, provenance(1)));
            }
            finishFile();
        }

        /** Consumes one line; false at the end of the file (after flushing what is left). */
        private boolean readParagraphLine() throws IOException {
            String s = lines.readLine();
            if (s == null) {
                endParagraph();
                emitGroup();
                return false;
            }
            long n = lines.lineNumber();
            if (s.isBlank()) {
                endParagraph();
                return true;
            }
            fileHadText = true;
            int max = options.maxChars();
            int sep = para.isEmpty() ? 0 : 1;
            if (para.length() + sep + s.length() <= max) {
                if (para.isEmpty()) {
                    paraLine = n;
                    paraPiece = 1;
                } else {
                    para.append('\n');
                }
                para.append(s);
                return true;
            }
            // the paragraph outgrows one document: close its part so far (joining the group if it fits), flush,
            // then start afresh with this line, cut if it must be
            endParagraph();
            emitGroup();
            int piece = 1;
            int from = 0;
            while (s.length() - from > max) {
                int cut = cutPoint(s, from, max);
                emit(s.substring(from, cut), n, piece++);
                from = cut;
            }
            para.append(s, from, s.length());
            paraLine = n;
            paraPiece = piece;
            return true;
        }

        private void endParagraph() {
            if (para.isEmpty() || para.toString().isBlank()) {
                para.setLength(0); // a cut can leave a whitespace-only tail; it carries nothing
                return;
            }
            if (!group.isEmpty() && group.length() + 2 + para.length() > options.maxChars()) {
                emitGroup();
            }
            if (group.isEmpty()) {
                groupLine = paraLine;
                groupPiece = paraPiece;
            } else {
                group.append("\n\n");
            }
            group.append(para);
            para.setLength(0);
        }

        private void emitGroup() {
            if (!group.isEmpty()) {
                emit(group.toString(), groupLine, groupPiece);
                group.setLength(0);
            }
        }

        private void emit(String text, long line, int piece) {
            if (text.isBlank()) {
                return; // a cut can leave a whitespace-only piece; it carries nothing
            }
            String id = label + ":" + line + (piece > 1 ? "#" + piece : "");
            ready.add(new Document(id, text, provenance(line)));
        }

        private Provenance provenance(long line) {
            return new Provenance(source, Provenance.BEFORE_LOOP,
                    ImmutableSortedMap.of("file", label, "line", Long.toString(line)));
        }

        @Override
        public void close() throws IOException {
            if (lines != null) {
                lines.close();
                lines = null;
            }
            fileIndex = files.size();
        }
    }

    /** End (exclusive) of the piece of {@code s} starting at {@code from}, at most {@code max} chars long. */
    static int cutPoint(String s, int from, int max) {
        int end = from + max;
        for (int i = end; i > from + max / 2; i--) {
            if (Character.isWhitespace(s.charAt(i - 1))) {
                return i;
            }
        }
        if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end)) && max > 1) {
            return end - 1;
        }
        return end;
    }

    /**
     * Options of a text reader. Immutable.
     *
     * @param split how files are cut into documents (default {@link Split#PARAGRAPHS})
     * @param maxChars PARAGRAPHS: the largest document, in UTF-16 chars (default 4000); WHOLE_FILE: the largest file
     *     accepted (an error beyond it)
     * @param emptyText what to do with a file that is empty or only whitespace (default {@link EmptyTextPolicy#ERROR})
     * @param maxLineChars longest line accepted, in UTF-16 chars (default
     *     {@value Utf8LineReader#DEFAULT_MAX_LINE_CHARS})
     * @param source provenance source of every document, or {@code null} for each file's label
     */
    public record Options(Split split, int maxChars, EmptyTextPolicy emptyText, int maxLineChars, String source) {

        /** Default size of a paragraph group. */
        public static final int DEFAULT_MAX_CHARS = 4000;

        public Options {
            Objects.requireNonNull(split, "split");
            Objects.requireNonNull(emptyText, "emptyText");
            if (maxChars < 2) {
                throw new IllegalArgumentException("maxChars must be >= 2, got " + maxChars);
            }
            if (maxLineChars < 1) {
                throw new IllegalArgumentException("maxLineChars must be >= 1, got " + maxLineChars);
            }
            if (source != null && source.isBlank()) {
                throw new IllegalArgumentException("source must be null or non-blank");
            }
        }

        /** Paragraph groups of up to 4000 chars, empty files are errors, 16 Mi chars per line, source = label. */
        public static Options defaults() {
            return new Options(Split.PARAGRAPHS, DEFAULT_MAX_CHARS, EmptyTextPolicy.ERROR,
                    Utf8LineReader.DEFAULT_MAX_LINE_CHARS, null);
        }

        /** One document per file of at most {@code maxFileChars} chars. */
        public static Options wholeFiles(int maxFileChars) {
            return defaults().withSplit(Split.WHOLE_FILE).withMaxChars(maxFileChars);
        }

        public Options withSplit(Split s) {
            return new Options(s, maxChars, emptyText, maxLineChars, source);
        }

        public Options withMaxChars(int max) {
            return new Options(split, max, emptyText, maxLineChars, source);
        }

        public Options withEmptyText(EmptyTextPolicy policy) {
            return new Options(split, maxChars, policy, maxLineChars, source);
        }

        public Options withMaxLineChars(int max) {
            return new Options(split, maxChars, emptyText, max, source);
        }

        public Options withSource(String s) {
            return new Options(split, maxChars, emptyText, maxLineChars, s);
        }
    }
}
