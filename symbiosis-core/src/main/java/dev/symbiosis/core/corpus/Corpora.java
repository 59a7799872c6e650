package dev.symbiosis.core.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens a corpus by the shape of its path, with default options:
 * <ul>
 *   <li>a folder: {@link TextCorpusReader} over its {@code .txt} / {@code .txt.gz} files;</li>
 *   <li>{@code *.jsonl}, {@code *.jsonl.gz}, {@code *.ndjson}, {@code *.ndjson.gz}: {@link JsonlCorpusReader};</li>
 *   <li>{@code *.txt}, {@code *.txt.gz}: {@link TextCorpusReader} (paragraph groups);</li>
 *   <li>anything else: a {@link CorpusFormatException} naming the file and the accepted extensions.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Corpora {

    private Corpora() {}

    /** The reader for {@code path} chosen as described above. */
    public static CorpusReader open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "corpus not found");
        }
        if (Files.isDirectory(path)) {
            return TextCorpusReader.open(path);
        }
        String n = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return JsonlCorpusReader.open(path);
        }
        if (n.endsWith(".txt")) {
            return TextCorpusReader.open(path);
        }
        throw CorpusFormatException.ofFile(path, "unknown corpus format: expected a folder of text files or a file "
                + "ending in .jsonl, .ndjson, .txt (each optionally followed by .gz)");
    }
}
