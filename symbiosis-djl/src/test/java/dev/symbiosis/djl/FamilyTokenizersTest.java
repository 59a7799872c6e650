package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Llama-3-style and Pythia-style tokenizer.json files load, and the chat formats wrap prompts as specified. */
class FamilyTokenizersTest {

    @TempDir
    Path tmp;

    @Test
    void llama3StyleTokenizerEncodesSpecialTokensAndRoundTrips() throws IOException {
        Path f = tmp.resolve("tokenizer.json");
        FamilyTokenizers.writeLlama3(f);
        try (BpeTokenizer tok = BpeTokenizer.load(f)) {
            assertEquals(FamilyTokenizers.EOT, tok.specialId("<|eot_id|>"));
            String wrapped = ChatFormat.llama3().wrap("Write about the sea.");
            int[] ids = tok.encode(wrapped).ids();
            assertEquals(FamilyTokenizers.BEGIN_OF_TEXT, ids[0]);
            assertEquals(tok.specialId("<|start_header_id|>"), ids[1]);
            assertTrue(java.util.Arrays.stream(ids).anyMatch(i -> i == FamilyTokenizers.EOT));
            assertTrue(java.util.Arrays.stream(ids).anyMatch(i -> i == 258), "the merge 'Ġthe' applies");
            assertEquals(wrapped, tok.decode(ids));
            String text = "The theory: 12345 apples, naïve café 🙂\nend";
            BpeTokenizer.Encoding e = tok.encode(text);
            assertEquals(text, tok.decode(e.ids()));
            assertEquals(0, e.start(0));
            assertEquals(text.length(), e.end(e.size() - 1));
        }
    }

    @Test
    void pythiaStyleTokenizerLoadsAndRoundTrips() throws IOException {
        Path f = tmp.resolve("tokenizer.json");
        FamilyTokenizers.writePythia(f);
        try (BpeTokenizer tok = BpeTokenizer.load(f)) {
            assertEquals(256, tok.eosId());
            String text = "the theme of the thesis<|endoftext|>";
            int[] ids = tok.encode(text).ids();
            assertEquals(256, ids[ids.length - 1]);
            assertEquals(text, tok.decode(ids));
        }
    }

    @Test
    void chatFormatsWrapOneUserTurnAndAreDetectedFromTokenizerConfig() throws IOException {
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", ChatFormat.llama3().wrap("Hi"));
        assertEquals("Hi", ChatFormat.plain().wrap("Hi"));
        assertTrue(ChatFormat.plain().isPlain());
        Path cfg = tmp.resolve("tokenizer_config.json");
        assertEquals(ChatFormat.plain(), ChatFormat.detect(cfg));
        Files.writeString(cfg, "{\"chat_template\": \"{% for message in messages %}{{ '<|start_header_id|>' + "
                + "message['role'] + '<|end_header_id|>\\\\n\\\\n' + message['content'] + '<|eot_id|>' }}"
                + "{% endfor %}\"}");
        assertEquals(ChatFormat.llama3(), ChatFormat.detect(cfg));
        Files.writeString(cfg, "{\"chat_template\": \"<|im_start|>{{ m }}\"}");
        assertEquals(ChatFormat.chatMl(), ChatFormat.detect(cfg));
        Files.writeString(cfg, "{\"chat_template\": \"<<weird>>\"}");
        IOException e = assertThrows(IOException.class, () -> ChatFormat.detect(cfg));
        assertTrue(e.getMessage().contains(cfg.toString()) && e.getMessage().contains("chat_template"));
        Files.writeString(cfg, "{\"add_bos_token\": true}");
        assertEquals(ChatFormat.plain(), ChatFormat.detect(cfg));
        assertThrows(IllegalArgumentException.class, () -> ChatFormat.of("x", "no placeholder", java.util.List.of()));
    }
}
