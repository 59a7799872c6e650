package dev.symbiosis.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/harness.md quotes OwnStrategy.java verbatim, so the page's example is the program the build compiles. */
class HarnessDocTest {

    @Test
    void theHarnessPageQuotesTheCompiledExample() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "harness.md"), StandardCharsets.UTF_8);
        String begin = "<!-- OwnStrategy.java -->\n```java\n";
        String end = "```\n<!-- /OwnStrategy.java -->";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        assertTrue(from >= 0 && to > from, "docs/harness.md lacks the marked OwnStrategy.java block");
        String quoted = doc.substring(from + begin.length(), to);
        String source = Files.readString(Path.of("src", "main", "java", "dev", "symbiosis", "examples",
                "OwnStrategy.java"), StandardCharsets.UTF_8);
        assertEquals(source, quoted, "docs/harness.md quotes an outdated OwnStrategy.java: copy the file into it");
    }
}
