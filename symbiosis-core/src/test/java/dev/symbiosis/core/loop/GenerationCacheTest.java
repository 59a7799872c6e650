package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationCacheTest {

    private static final SamplingConfig SAMPLING = SamplingConfig.defaults().withMaxNewTokens(8);

    private static Prompt prompt(String text) {
        return new Prompt(text, Provenance.of("test").with("kind", "topic"));
    }

    /** The "model": a completion that names the row, so that a wrong row would show. */
    private static Sample answer(Prompt p, int row) {
        return new Sample(p, " answer to " + p.text() + " #" + row, 3, Provenance.of("g").with("seed", "" + row));
    }

    private static List<String> keys(String state, List<Prompt> prompts, long firstSeed) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            out.add(GenerationCache.key(state, SAMPLING, firstSeed + i, prompts.get(i).text()));
        }
        return out;
    }

    @Test
    void theKeyCoversModelStateSettingsRowSeedAndPrompt() {
        String k = GenerationCache.key("s", SAMPLING, 1, "p");
        assertEquals(k, GenerationCache.key("s", SAMPLING.withSeed(99), 1, "p"), "the sampler's own seed is unused");
        assertNotEquals(k, GenerationCache.key("t", SAMPLING, 1, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING.withTemperature(0.5), 1, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING.withTopK(5), 1, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING.withTopP(0.9), 1, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING.withRepetitionPenalty(1.2), 1, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING.withMaxNewTokens(9), 1, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING, 2, "p"));
        assertNotEquals(k, GenerationCache.key("s", SAMPLING, 1, "p "));
    }

    @Test
    void samplesSurviveReopeningAndATornLastLineIsDropped(@TempDir Path dir) throws IOException {
        List<Prompt> prompts = List.of(prompt("a"), prompt("b"), prompt("a"));
        List<String> keys = keys("state", prompts, 10);
        GenerationCache c = GenerationCache.open(dir);
        List<Sample> first = c.samples(keys, prompts, rows -> rows.stream().map(r -> answer(prompts.get(r), r))
                .toList());
        assertEquals(3, c.size());
        assertEquals(answer(prompts.get(2), 2), first.get(2), "a repeated prompt with its own seed is its own row");

        Files.writeString(dir.resolve(GenerationCache.FILE), "{\"key\": \"ab", StandardOpenOption.APPEND);
        GenerationCache reopened = GenerationCache.open(dir);
        assertEquals(3, reopened.size());
        List<Sample> again = reopened.samples(keys, prompts, rows -> {
            throw new AssertionError("every row is cached");
        });
        assertEquals(first, again);
        assertTrue(Files.readString(dir.resolve(GenerationCache.FILE)).endsWith("\n"), "the torn line is gone");
        // a prompt of another provenance gets the cached completion with its own prompt
        Prompt other = new Prompt("b", Provenance.of("elsewhere"));
        assertEquals(other, reopened.get(keys.get(1), other).prompt());
        assertNull(reopened.get(GenerationCache.key("state", SAMPLING, 99, "b"), other));
    }

    @Test
    void aDamagedLineIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(GenerationCache.FILE), "{\"key\": \"00\", \"completion\": \"x\"}\n",
                StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> GenerationCache.open(dir));
        assertTrue(e.getMessage().contains(GenerationCache.FILE + ":1"), e.getMessage());
    }

    @Test
    void concurrentCallersGenerateEachRowOnce(@TempDir Path dir) throws Exception {
        GenerationCache c = GenerationCache.open(dir);
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            prompts.add(prompt("p" + i));
        }
        List<String> keys = keys("state", prompts, 0);
        AtomicInteger generated = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Sample>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                // callers ask for overlapping halves, in different orders
                List<Integer> ask = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    if ((i + t) % 2 == 0 || t == 3) {
                        ask.add(t % 2 == 0 ? i : 11 - i);
                    }
                }
                List<Prompt> p = ask.stream().map(prompts::get).toList();
                List<String> k = ask.stream().map(keys::get).toList();
                results.add(pool.submit(() -> {
                    start.await();
                    return c.samples(k, p, rows -> {
                        generated.addAndGet(rows.size());
                        try {
                            Thread.sleep(20); // a slow model, so that the callers overlap
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return rows.stream().map(r -> answer(p.get(r), prompts.indexOf(p.get(r)))).toList();
                    });
                }));
            }
            start.countDown();
            for (Future<List<Sample>> f : results) {
                for (Sample s : f.get(30, TimeUnit.SECONDS)) {
                    assertEquals(answer(s.prompt(), prompts.indexOf(s.prompt())), s);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(12, generated.get(), "every row generated once");
        assertEquals(12, Files.readAllLines(dir.resolve(GenerationCache.FILE)).size());
    }

    @Test
    void aFailedGenerationLetsTheWaitingCallerGenerate(@TempDir Path dir) throws Exception {
        GenerationCache c = GenerationCache.open(dir);
        List<Prompt> prompts = List.of(prompt("x"));
        List<String> keys = keys("state", prompts, 0);
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> failing = pool.submit(() -> c.samples(keys, prompts, rows -> {
                claimed.countDown();
                try {
                    waiting.await(5, TimeUnit.SECONDS);
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("model failed");
            }));
            claimed.await();
            waiting.countDown();
            List<Sample> got = c.samples(keys, prompts, rows -> List.of(answer(prompts.get(0), 0)));
            assertEquals(List.of(answer(prompts.get(0), 0)), got);
            assertThrows(java.util.concurrent.ExecutionException.class, failing::get);
        } finally {
            pool.shutdownNow();
        }
    }
}
