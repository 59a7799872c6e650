package dev.symbiosis.core.curriculum;

import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.model.Prompt;
import java.util.List;

/**
 * Turns the loop's state into the Generator's prompts: topic-seeded prompts for Step A, and teaching prompts built
 * from the Student's hard examples for Step D.
 *
 * <p>Contract: deterministic for the same arguments; every prompt carries provenance with attribute
 * {@code "kind"} = {@code "topic"} or {@code "teaching"} and the iteration; teaching prompts are made only from the
 * given feedback (an empty feedback gives no teaching prompts).
 */
public interface Curriculum {

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
}
