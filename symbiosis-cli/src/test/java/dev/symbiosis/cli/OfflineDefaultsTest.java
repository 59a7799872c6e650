package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfflineDefaultsTest {

    private static final List<String> KEYS = List.of("ai.djl.offline", "OPT_OUT_TRACKING",
            "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads");

    @Test
    void setsWhatIsAbsentAndKeepsWhatTheUserSet() {
        Map<String, String> saved = new HashMap<>();
        KEYS.forEach(k -> saved.put(k, System.getProperty(k)));
        try {
            KEYS.forEach(System::clearProperty);
            System.setProperty("ai.djl.pytorch.num_threads", "2");
            System.setProperty("ai.djl.offline", "false");

            OfflineDefaults.apply();

            assertEquals("false", System.getProperty("ai.djl.offline"), "the user's choice stands");
            assertEquals("2", System.getProperty("ai.djl.pytorch.num_threads"), "the user's choice stands");
            assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
            assertEquals("1", System.getProperty("ai.djl.pytorch.num_interop_threads"));

            KEYS.forEach(System::clearProperty);
            OfflineDefaults.apply();
            assertEquals("true", System.getProperty("ai.djl.offline"));
            assertEquals("1", System.getProperty("ai.djl.pytorch.num_threads"));
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
