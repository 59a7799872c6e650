package dev.symbiosis.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties every {@link Student} must have. Implement this interface in a test class of your implementation and
 * jqwik runs them; override {@link #contractTexts()} when your model needs other texts (each must give at least
 * two tokens). The Student may be shared across tries: properties that train restore the saved state after.
 */
public interface StudentContract {

    /** The Student under test. */
    Student student();

    /** Texts the Student can score; each gives at least two tokens. */
    @Provide
    default Arbitrary<String> contractTexts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop qrstu.,").ofMinLength(12).ofMaxLength(80)
                .filter(s -> s.strip().length() >= 8);
    }

    @Property(tries = 10)
    default void scoringGivesOneAlignedResultPerTextInOrder(@ForAll @Size(min = 1, max = 4) List<@From("contractTexts") String> texts) {
        List<TokenScores> scores = student().score(texts);
        assertEquals(texts.size(), scores.size());
        for (int i = 0; i < texts.size(); i++) {
            TokenScores s = scores.get(i);
            assertEquals(texts.get(i), s.text());
            assertEquals(s.size() - 1, s.predictedCount());
            for (int t = 1; t < s.size(); t++) {
                assertTrue(s.starts().get(t) >= s.starts().get(t - 1), "token offsets must be monotone");
            }
        }
    }

    @Property(tries = 10)
    default void scoringIsDeterministicAndDoesNotDependOnTheBatch(
            @ForAll("contractTexts") String a, @ForAll("contractTexts") String b) {
        TokenScores alone = student().score(List.of(a)).get(0);
        TokenScores batched = student().score(List.of(b, a)).get(1);
        assertEquals(alone.ids(), batched.ids());
        assertArrayEquals(alone.logProbs().toArray(), batched.logProbs().toArray(), 1e-4);
        assertArrayEquals(alone.entropies().toArray(), batched.entropies().toArray(), 1e-4);
    }

    @Property(tries = 5)
    default void saliencyAlignsWithScoringAndChangesNothing(@ForAll @Size(min = 1, max = 3) List<@From("contractTexts") String> texts) {
        List<TokenScores> before = student().score(texts);
        List<SaliencyMap> maps = student().saliency(texts);
        List<TokenScores> after = student().score(texts);
        assertEquals(texts.size(), maps.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(before.get(i).ids(), maps.get(i).ids(), "saliency must cover the scored tokens");
            assertArrayEquals(before.get(i).logProbs().toArray(), after.get(i).logProbs().toArray(), 0.0,
                    "saliency must not change the model");
        }
    }

    @Property(tries = 3)
    default void trainingMakesATextMoreLikelyAndRestoreUndoesIt(@ForAll("contractTexts") String text)
            throws IOException {
        Student s = student();
        double before = s.score(List.of(text)).get(0).meanLogProb();
        Path dir = Files.createTempDirectory("student-contract");
        try {
            s.save(dir);
            List<TrainingText> data = new ArrayList<>(Collections.nCopies(8,
                    TrainingText.of(text, Provenance.of("contract"))));
            TrainingReport report = s.train(data);
            assertTrue(report.steps() > 0, "training on data must take steps");
            assertTrue(Double.isFinite(report.meanLoss()));
            double after = s.score(List.of(text)).get(0).meanLogProb();
            assertTrue(after > before, "training on a text must make it more likely: " + before + " -> " + after);
            s.restore(dir);
            double restored = s.score(List.of(text)).get(0).meanLogProb();
            assertEquals(before, restored, 1e-6, "restore must bring back the saved state");
        } finally {
            deleteRecursively(dir);
        }
    }

    @Property(tries = 3)
    default void trainingOnNothingChangesNothing(@ForAll("contractTexts") String text) {
        double before = student().score(List.of(text)).get(0).meanLogProb();
        assertEquals(TrainingReport.empty(), student().train(List.of()));
        assertEquals(before, student().score(List.of(text)).get(0).meanLogProb(), 0.0);
    }

    @Property(tries = 1)
    default void emptyInputGivesEmptyOutputAndEmptyTextsAreRefused() {
        assertTrue(student().score(List.of()).isEmpty());
        assertTrue(student().saliency(List.of()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> student().score(List.of("")));
    }

    /** Deletes a directory tree (for contract temp folders). */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
