package dev.symbiosis.core.curriculum;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.model.Prompt;
import java.util.List;
import java.util.Optional;

/**
 * Turns the loop's state into the Generator's prompts: topic-seeded prompts for Step A, and teaching prompts built
 * from the Student's hard examples for Step D.
 *
 * <p>Contract: deterministic for the same arguments; every prompt carries provenance with attribute
 * {@code "kind"} = {@code "topic"} or {@code "teaching"} and the iteration, and every teaching prompt the attribute
 * {@code "hard_example"} = the id of the hard example it teaches; teaching prompts are made only from the given
 * feedback (an empty feedback gives no teaching prompts). {@code dev.symbiosis.testkit.CurriculumContract} checks
 * this.
 */
public interface Curriculum extends Describable {

    /**
     * Step A prompts.
     *
     * @param iteration loop iteration, {@code >= 0}
     * @param count number of prompts, {@code >= 0}
     * @param seed seed for the draw of topics and templates
     */
    List<Prompt> topicPrompts(int iteration, int count, long seed);

    /**
     * Step D prompts: at least one per hard example of {@code feedback}, in the feedback's order.
     *
     * @param iteration loop iteration, {@code >= 0}
     * @param feedback the Student's hard examples of this iteration
     */
    List<Prompt> teachingPrompts(int iteration, Feedback feedback);

    /**
     * Step D prompts for masked-context teaching (issue 17): per hard example, the real text that leads up to its
     * salient span, cut right before the span, so that the Generator's continuation stands where the span stood and
     * the Student can read the prompt as real context ({@link dev.symbiosis.core.model.TrainingText#context()}).
     * Every such prompt is real pool text only and carries {@code kind = teaching},
     * {@code hard_example}, and {@link dev.symbiosis.core.text.ProvenanceKeys#REAL_CONTEXT} {@code = "true"}.
     *
     * @param iteration loop iteration, {@code >= 0}
     * @param feedback the Student's hard examples of this iteration
     * @throws UnsupportedOperationException by default: a curriculum that does not build such prompts says so
     */
    default List<Prompt> maskedContextPrompts(int iteration, Feedback feedback) {
        throw new UnsupportedOperationException(getClass().getName() + " builds no masked-context teaching prompts");
    }

    /**
     * A fresh near-duplicate filter for one strategy's synthetic training data, or empty when the curriculum
     * applies none. The loop makes one per strategy, offers it every generated sample before the token budget
     * (so a dropped sample is replaced by further generation), keeps it across iterations and checkpoints it.
     *
     * @param seed seed of the filter's hash family (the loop passes the same seed to every strategy)
     * @return empty by default
     */
    default Optional<NearDuplicateFilter> nearDuplicateFilter(long seed) {
        return Optional.empty();
    }
}
