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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties every {@link Student} must have. Implement this interface in a test class of your implementation and
 * return it from {@link #student()}; jqwik runs the properties:
 *
 * <pre>{@code
 * class MyStudentContractTest implements StudentContract {
 *     private static final MyStudent STUDENT = MyStudent.load(Path.of("src/test/resources/tiny-model"));
 *
 *     @Override
 *     public Student student() {
 *         return STUDENT;
 *     }
 * }
 * }</pre>
 *
 * <p>The properties (each method's Javadoc says what it asserts), and the mistake each one catches:
 * <ul>
 *   <li>{@link #scoringGivesOneAlignedResultPerTextInOrder}: lost or reordered results; token offsets that do not
 *       belong to the text, which would put salient spans in the wrong place.</li>
 *   <li>{@link #scoringIsDeterministicAndDoesNotDependOnTheBatch}: padding or batching leaking into the
 *       scores.</li>
 *   <li>{@link #nextTokenScoresDependOnlyOnThePastAndSumToAtMostOne}: scores that look ahead, or that are no
 *       probabilities of the text's own tokens, such as a score that ignores the text.</li>
 *   <li>{@link #saliencyAlignsWithScoringAndChangesNothing}: a gradient pass that updates weights; saliency
 *       over other tokens than the scored ones.</li>
 *   <li>{@link #trainingMakesATextMoreLikelyAndRestoreUndoesIt}: a Student that does not learn; a checkpoint
 *       that misses part of the state.</li>
 *   <li>{@link #trainingOnNothingChangesNothing} and {@link #emptyInputGivesEmptyOutputAndEmptyTextsAreRefused}:
 *       the wrong behaviour on empty input.</li>
 * </ul>
 *
 * <p>The Student is shared across tries: {@link #student()} is called several times per try and should return
 * the same instance (build an expensive model once, e.g. in a static field). The properties that train save the
 * state into a temporary directory first and restore it after, also when they fail. Override
 * {@link #contractTexts()} when your model needs other texts; see {@link Contract#triesFactor()} for the number
 * of tries.
 */
public interface StudentContract extends Contract {

    /** Length (characters) of the contexts {@link #nextTokenScoresDependOnlyOnThePastAndSumToAtMostOne} extends. */
    int CONTEXT_CHARS = 16;

    /** The Student under test. */
    Student student();

    /**
     * Texts the Student can score. Each must give at least two tokens, and its first {@value #CONTEXT_CHARS} characters
     * must fit the model's context. Default: 12 to 80 lower-case letters, spaces, commas and full stops, at least 8
     * long without leading and trailing spaces.
     */
    @Provide
    default Arbitrary<String> contractTexts() {
        return Arbitraries.strings().withChars("abcdefgh ijklmnop qrstu.,").ofMinLength(12).ofMaxLength(80)
                .filter(s -> s.strip().length() >= 8);
    }

    /**
     * One {@link TokenScores} per text of a batch of 1 to 4, in input order, each for that very text, with token start
     * offsets that never decrease and spans that cover every character of the text that is not whitespace.
     */
    @Property(tries = 10)
    @ScaledTries
    default void scoringGivesOneAlignedResultPerTextInOrder(
            @ForAll @Size(min = 1, max = 4) List<@From("contractTexts") String> texts) {
        List<TokenScores> scores = student().score(texts);
        assertEquals(texts.size(), scores.size(), "one result per text");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            TokenScores s = scores.get(i);
            assertEquals(text, s.text(), "result " + i + " must score text " + i);
            for (int t = 1; t < s.size(); t++) {
                assertTrue(s.starts().get(t) >= s.starts().get(t - 1), "token offsets must be monotone");
            }
            for (int c = 0; c < text.length(); c++) {
                if (!Character.isWhitespace(text.charAt(c))) {
                    assertTrue(covered(s, c), "character " + c + " of '" + text + "' lies in no token's span");
                }
            }
        }
    }

    /**
     * A text scored alone and second in a batch of two gets the same tokens, and the same log-probs and entropies
     * within 1e-4 nats.
     */
    @Property(tries = 10)
    @ScaledTries
    default void scoringIsDeterministicAndDoesNotDependOnTheBatch(
            @ForAll("contractTexts") String a, @ForAll("contractTexts") String b) {
        TokenScores alone = student().score(List.of(a)).get(0);
        TokenScores batched = student().score(List.of(b, a)).get(1);
        assertEquals(alone.ids(), batched.ids(), "tokens must not depend on the batch");
        assertArrayEquals(alone.logProbs().toArray(), batched.logProbs().toArray(), 1e-4,
                "log-probs must not depend on the batch");
        assertArrayEquals(alone.entropies().toArray(), batched.entropies().toArray(), 1e-4,
                "entropies must not depend on the batch");
    }

    /**
     * Scores a context (the first {@value #CONTEXT_CHARS} characters of the text, stripped) together with its
     * extensions by one visible character of the text, with and without a space before it. For every extension whose
     * tokens begin with the context's tokens, {@code logProbs} and {@code entropies} agree with the context's on the
     * shared positions and with each other on the first new position (within 1e-4): by {@link TokenScores}' definition
     * they are conditional on the preceding tokens only. The probabilities of the different first new tokens then come
     * from one distribution and must sum to at most {@code 1 + 1e-3}.
     */
    @Property(tries = 5)
    @ScaledTries
    default void nextTokenScoresDependOnlyOnThePastAndSumToAtMostOne(@ForAll("contractTexts") String text) {
        String stripped = text.strip();
        String context = stripped.substring(0, Math.min(CONTEXT_CHARS, stripped.length())).stripTrailing();
        Set<String> extensions = new LinkedHashSet<>();
        for (char c : stripped.toCharArray()) {
            if (!Character.isWhitespace(c)) {
                extensions.add(context + c);
                extensions.add(context + " " + c);
            }
        }
        List<String> batch = new ArrayList<>();
        batch.add(context);
        batch.addAll(extensions);
        List<TokenScores> scores = student().score(batch);
        TokenScores base = scores.get(0);
        int n = base.size();
        Map<Integer, Double> nextTokenProbability = new LinkedHashMap<>();
        double nextEntropy = Double.NaN;
        for (TokenScores e : scores.subList(1, scores.size())) {
            if (e.size() <= n || !e.ids().subArray(0, n).equals(base.ids())) {
                continue; // the tokenizer merged across the boundary: the context is no prefix in tokens
            }
            for (int i = 0; i < n - 1; i++) {
                assertEquals(base.logProbs().get(i), e.logProbs().get(i), 1e-4,
                        "log-prob " + i + " of '" + context + "' changes when '" + e.text() + "' continues it");
                assertEquals(base.entropies().get(i), e.entropies().get(i), 1e-4,
                        "entropy " + i + " of '" + context + "' changes when '" + e.text() + "' continues it");
            }
            double h = e.entropies().get(n - 1);
            if (Double.isNaN(nextEntropy)) {
                nextEntropy = h;
            }
            assertEquals(nextEntropy, h, 1e-4, "the entropy after '" + context + "' depends on what follows it");
            double p = Math.exp(e.logProbs().get(n - 1));
            Double earlier = nextTokenProbability.putIfAbsent(e.ids().get(n), p);
            if (earlier != null) {
                assertEquals(earlier, p, 1e-4 * Math.max(earlier, p), "one token after '" + context
                        + "' gets two probabilities");
            }
        }
        double sum = nextTokenProbability.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(sum <= 1 + 1e-3, "the probabilities of " + nextTokenProbability.size()
                + " different tokens after '" + context + "' sum to " + sum + " > 1");
    }

    /**
     * One {@link SaliencyMap} per text of a batch of 1 to 3, in order, over the scored tokens with the scored offsets,
     * with at least one norm above 0; the scores after computing it are exactly the scores before.
     */
    @Property(tries = 5)
    @ScaledTries
    default void saliencyAlignsWithScoringAndChangesNothing(
            @ForAll @Size(min = 1, max = 3) List<@From("contractTexts") String> texts) {
        List<TokenScores> before = student().score(texts);
        List<SaliencyMap> maps = student().saliency(texts);
        List<TokenScores> after = student().score(texts);
        assertEquals(texts.size(), maps.size(), "one saliency map per text");
        for (int i = 0; i < texts.size(); i++) {
            SaliencyMap m = maps.get(i);
            assertEquals(texts.get(i), m.text(), "map " + i + " must be of text " + i);
            assertEquals(before.get(i).ids(), m.ids(), "saliency must cover the scored tokens");
            assertEquals(before.get(i).starts(), m.starts(), "saliency offsets must be the scored ones");
            assertEquals(before.get(i).ends(), m.ends(), "saliency offsets must be the scored ones");
            assertTrue(m.norms().stream().anyMatch(v -> v > 0), "all gradient norms are 0 for '" + m.text() + "'");
            assertArrayEquals(before.get(i).logProbs().toArray(), after.get(i).logProbs().toArray(), 0.0,
                    "saliency must not change the model");
        }
    }

    /**
     * After save, training on eight copies of a text takes steps with a finite loss and raises the text's mean log-
     * prob; restore (run also when an assertion fails) brings the mean log-prob back within 1e-6.
     */
    @Property(tries = 3)
    @ScaledTries
    default void trainingMakesATextMoreLikelyAndRestoreUndoesIt(@ForAll("contractTexts") String text)
            throws IOException {
        Student s = student();
        double before = s.score(List.of(text)).get(0).meanLogProb();
        Path dir = Files.createTempDirectory("student-contract");
        try {
            s.save(dir);
            double after;
            try {
                List<TrainingText> data = new ArrayList<>(Collections.nCopies(8,
                        TrainingText.of(text, Provenance.of("contract"))));
                TrainingReport report = s.train(data);
                assertTrue(report.steps() > 0, "training on data must take steps");
                assertTrue(Double.isFinite(report.meanLoss()), "training loss must be finite");
                after = s.score(List.of(text)).get(0).meanLogProb();
            } finally {
                s.restore(dir);
            }
            assertTrue(after > before, "training on a text must make it more likely: " + before + " -> " + after);
            double restored = s.score(List.of(text)).get(0).meanLogProb();
            assertEquals(before, restored, 1e-6, "restore must bring back the saved state");
        } finally {
            ContractFiles.deleteRecursively(dir);
        }
    }

    /**
     * train on an empty list returns {@link TrainingReport#empty()} and leaves the scores exactly as they were.
     */
    @Property(tries = 3)
    @ScaledTries
    default void trainingOnNothingChangesNothing(@ForAll("contractTexts") String text) {
        double before = student().score(List.of(text)).get(0).meanLogProb();
        assertEquals(TrainingReport.empty(), student().train(List.of()), "training on nothing reports nothing");
        assertEquals(before, student().score(List.of(text)).get(0).meanLogProb(), 0.0,
                "training on nothing must change nothing");
    }

    /**
     * {@code score} and {@code saliency} of an empty list give empty lists; scoring the empty text throws {@link
     * IllegalArgumentException}.
     */
    @Property(tries = 1)
    @ScaledTries
    default void emptyInputGivesEmptyOutputAndEmptyTextsAreRefused() {
        assertEquals(List.of(), student().score(List.of()), "no texts, no scores");
        assertEquals(List.of(), student().saliency(List.of()), "no texts, no saliency maps");
        assertThrows(IllegalArgumentException.class, () -> student().score(List.of("")), "an empty text");
    }

    private static boolean covered(TokenScores s, int c) {
        for (int t = 0; t < s.size(); t++) {
            if (s.starts().get(t) <= c && c < s.ends().get(t)) {
                return true;
            }
        }
        return false;
    }
}
