package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The intra-op thread count is the process's: a thread started after {@link TorchEngine#setIntraOpThreads} runs its
 * operations with it (the experiment runner gives each concurrent unit one thread this way).
 */
class TorchEngineThreadsTest {

    private static int onANewThread() throws Exception {
        ExecutorService t = Executors.newSingleThreadExecutor();
        try {
            return t.submit(TorchEngine::intraOpThreads).get();
        } finally {
            t.shutdownNow();
        }
    }

    @Test
    void newThreadsTakeTheProcesssCount() throws Exception {
        int before = TorchEngine.intraOpThreads();
        try {
            TorchEngine.setIntraOpThreads(2);
            assertEquals(2, TorchEngine.intraOpThreads());
            assertEquals(2, onANewThread());
            TorchEngine.setIntraOpThreads(1);
            assertEquals(1, onANewThread());
        } finally {
            TorchEngine.setIntraOpThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> TorchEngine.setIntraOpThreads(0));
    }
}
