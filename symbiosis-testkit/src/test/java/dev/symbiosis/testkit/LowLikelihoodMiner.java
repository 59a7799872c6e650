package dev.symbiosis.testkit;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A second {@link FeedbackMiner}, written independently of {@code UncertaintyFeedbackMiner} so that the miner
 * contract runs against two designs: whole documents (no windows, no saliency), ranked by the Student's surprise
 * per character ({@code -sumLogProb / length}, so that a long familiar text does not outrank a short strange one),
 * the {@code topK} most surprising kept; ties keep pool order. Documents of fewer than two tokens are not
 * examined. Thread-safe if the Student is.
 */
final class LowLikelihoodMiner implements FeedbackMiner {

    private final int topK;

    /** @param topK the number of hard examples kept, {@code >= 1} */
    LowLikelihoodMiner(int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        this.topK = topK;
    }

    int topK() {
        return topK;
    }

    @Override
    public Feedback mine(Student student, List<Document> pool, int iteration) {
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(pool, "pool");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (pool.isEmpty()) {
            return Feedback.none(iteration);
        }
        List<TokenScores> scores = student.score(pool.stream().map(Document::text).toList());
        List<HardExample> examined = new ArrayList<>();
        double sumEntropy = 0;
        double sumLogProb = 0;
        for (int i = 0; i < pool.size(); i++) {
            TokenScores s = scores.get(i);
            if (s.predictedCount() == 0) {
                continue;
            }
            Document d = pool.get(i);
            double surprisePerChar = -s.sumLogProb() / d.text().length();
            examined.add(HardExample.of(d, s.meanEntropy(), s.meanLogProb(), surprisePerChar));
            sumEntropy += s.meanEntropy();
            sumLogProb += s.meanLogProb();
        }
        if (examined.isEmpty()) {
            return Feedback.none(iteration);
        }
        // List.sort is stable: ties keep pool order
        examined.sort(Comparator.comparingDouble(HardExample::hardness).reversed());
        return new Feedback(iteration, examined.size(),
                ImmutableList.copyOf(examined.subList(0, Math.min(topK, examined.size()))),
                sumEntropy / examined.size(), sumLogProb / examined.size());
    }
}
