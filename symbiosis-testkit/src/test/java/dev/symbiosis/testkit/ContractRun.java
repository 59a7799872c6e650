package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs a contract test class through the jqwik engine with the JUnit Platform's {@link EngineTestKit}, and says
 * which properties passed and which failed with what. Each run gets its own jqwik failure database (so one run's
 * failures do not steer the next), reports go to the platform instead of the console, and nothing is shrunk.
 */
final class ContractRun {

    /** Set while a run is under way; {@link BrokenOnPurpose} classes are skipped when it is not. */
    static final String ACTIVE = "dev.symbiosis.testkit.contractRun";

    /**
     * The outcome of one run.
     *
     * @param passed the properties that passed
     * @param failed the properties (or, for a failure outside any property, the class) that failed, with why
     */
    record Result(Set<String> passed, Map<String, Throwable> failed) {

        /**
         * Asserts that {@code property} failed on an assertion of the contract whose message contains
         * {@code reason}, not on an error of the setup or for another reason.
         */
        void assertCaught(String property, String reason) {
            assertTrue(failed.containsKey(property), property + " did not fail; passed " + passed + ", failed "
                    + failed.keySet());
            Throwable why = failed.get(property);
            assertInstanceOf(AssertionError.class, why, property + " failed on an error instead");
            assertTrue(String.valueOf(why.getMessage()).contains(reason),
                    property + " failed for another reason than '" + reason + "': " + why.getMessage());
        }

        /** Asserts that every one of the {@code count} properties passed. */
        void assertAllPassed(int count) {
            assertEquals(Map.of(), failed, "failures");
            assertEquals(count, passed.size(), "properties run: " + passed);
        }
    }

    private ContractRun() {}

    static synchronized Result of(Class<?> testClass) {
        Path database;
        try {
            database = Files.createTempFile("jqwik-database", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(ACTIVE, "true");
        try {
            EngineExecutionResults results = EngineTestKit.engine("jqwik")
                    .configurationParameter("jqwik.database", database.toString())
                    .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                    .configurationParameter("jqwik.shrinking.default", "OFF")
                    .selectors(selectClass(testClass))
                    .execute();
            Set<String> passed = new TreeSet<>();
            Map<String, Throwable> failed = new TreeMap<>();
            for (Event e : results.allEvents().finished().list()) {
                TestExecutionResult r = e.getRequiredPayload(TestExecutionResult.class);
                String name = e.getTestDescriptor().getSource()
                        .filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getMethodName())
                        .orElse(e.getTestDescriptor().getDisplayName());
                if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failed.put(name, r.getThrowable().orElseThrow());
                } else if (e.getTestDescriptor().isTest()) {
                    passed.add(name);
                }
            }
            return new Result(passed, failed);
        } finally {
            System.clearProperty(ACTIVE);
            try {
                Files.deleteIfExists(database);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
