package dev.symbiosis.core.feedback;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.text.Document;
import java.util.List;

/**
 * Step C: finds where the Student is weak, in an unlabeled pool of real text.
 *
 * <p>Contract: the result holds only documents of {@code pool} (or windows of them), at most as many as the pool
 * holds, hardest first, and the miner does not change the Student's state. The same Student state, pool and
 * iteration give the same feedback.
 */
public interface FeedbackMiner extends Describable {

    /**
     * Mines the pool.
     *
     * @param student the Student after this iteration's training
     * @param pool the unlabeled documents to examine; an empty pool gives empty feedback
     * @param iteration the loop iteration ({@code >= 0}), recorded in the result
     */
    Feedback mine(Student student, List<Document> pool, int iteration);

    /**
     * Mines the pool with the Generator at hand, for miners that compare the Student with it (what the Generator
     * knows and the Student does not: {@link UncertaintyFeedbackMiner.Signal#TEACHABLE_GAP}). The default ignores
     * the Generator and calls {@link #mine(Student, List, int)}. The Generator is only scored, never changed.
     *
     * @param student the Student after this iteration's training
     * @param generator the Generator as it stands (scored, never trained); may be {@code null} for miners that do not
     *     need it
     * @param pool the unlabeled documents to examine; an empty pool gives empty feedback
     * @param iteration the loop iteration ({@code >= 0}), recorded in the result
     */
    default Feedback mine(Student student, TextScorer generator, List<Document> pool, int iteration) {
        return mine(student, pool, iteration);
    }
}
