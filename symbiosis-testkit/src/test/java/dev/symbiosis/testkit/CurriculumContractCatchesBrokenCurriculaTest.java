package dev.symbiosis.testkit;

import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each property of {@link CurriculumContract} fails for a curriculum with the mistake it is meant to catch. The
 * broken curricula change one method of {@link TemplateCurriculum} (with a near-duplicate filter), which passes
 * the contract.
 */
class CurriculumContractCatchesBrokenCurriculaTest {

    @Test
    void aCorrectCurriculumPassesEveryProperty() {
        ContractRun.of(Correct.class).assertAllPassed(5);
    }

    @Test
    void aWrongCountAnUnseededDrawAndMissingLabelsAreCaught() {
        ContractRun.of(OneTooMany.class).assertCaught("topicPromptsAreCountedDeterministicAndLabelled",
                "topic prompts asked for");
        ContractRun.of(UnseededTopics.class).assertCaught("topicPromptsAreCountedDeterministicAndLabelled",
                "the same arguments, the same prompts");
        ContractRun.of(UnlabelledTopics.class).assertCaught("topicPromptsAreCountedDeterministicAndLabelled",
                "provenance kind of a topic prompt");
    }

    @Test
    void aCurriculumThatIgnoresTheSeedIsCaught() {
        ContractRun.of(IgnoresTheSeed.class).assertCaught("theSeedChangesTheTopicPrompts",
                "the next three give the same 20 topic prompts");
    }

    @Test
    void droppedOrReorderedHardExamplesAreCaught() {
        ContractRun.of(TeachesOnlyTheHardest.class).assertCaught("teachingPromptsFollowTheHardExamplesInOrder",
                "every hard example, in the feedback's order");
        ContractRun.of(TeachesEasiestFirst.class).assertCaught("teachingPromptsFollowTheHardExamplesInOrder",
                "every hard example, in the feedback's order");
    }

    @Test
    void teachingWithoutFeedbackIsCaught() {
        ContractRun.of(TeachesFromNothing.class).assertCaught("emptyFeedbackGivesNoTeachingPrompts",
                "an empty feedback gives no teaching prompts");
    }

    @Test
    void aSharedNearDuplicateFilterIsCaught() {
        ContractRun.of(SharesOneFilter.class).assertCaught("eachNearDuplicateFilterIsFresh",
                "each call must give a fresh filter");
    }

    /** A contract on a curriculum that forwards to TemplateCurriculum; the broken ones override one method. */
    abstract static class On implements CurriculumContract, Curriculum {
        final Curriculum correct = TemplateCurriculum.builder().optNearDuplicateThreshold(0.8).build();

        @Override
        public Curriculum curriculum() {
            return this;
        }

        @Override
        public List<Prompt> topicPrompts(int iteration, int count, long seed) {
            return correct.topicPrompts(iteration, count, seed);
        }

        @Override
        public List<Prompt> teachingPrompts(int iteration, Feedback feedback) {
            return correct.teachingPrompts(iteration, feedback);
        }

        @Override
        public Optional<NearDuplicateFilter> nearDuplicateFilter(long seed) {
            return correct.nearDuplicateFilter(seed);
        }
    }

    static class Correct extends On {}

    @BrokenOnPurpose
    static class OneTooMany extends On {
        @Override
        public List<Prompt> topicPrompts(int iteration, int count, long seed) {
            return super.topicPrompts(iteration, count + 1, seed);
        }
    }

    /** Draws from a source that moves on with every call. */
    @BrokenOnPurpose
    static class UnseededTopics extends On {
        private long calls;

        @Override
        public List<Prompt> topicPrompts(int iteration, int count, long seed) {
            return super.topicPrompts(iteration, count, seed + calls++);
        }
    }

    /** Topic prompts without the provenance attribute {@code kind}. */
    @BrokenOnPurpose
    static class UnlabelledTopics extends On {
        @Override
        public List<Prompt> topicPrompts(int iteration, int count, long seed) {
            return super.topicPrompts(iteration, count, seed).stream()
                    .map(p -> new Prompt(p.text(), Provenance.of("curriculum", iteration))).toList();
        }
    }

    @BrokenOnPurpose
    static class IgnoresTheSeed extends On {
        @Override
        public List<Prompt> topicPrompts(int iteration, int count, long seed) {
            return super.topicPrompts(iteration, count, 42);
        }
    }

    /** Teaches only the first hard example. */
    @BrokenOnPurpose
    static class TeachesOnlyTheHardest extends On {
        @Override
        public List<Prompt> teachingPrompts(int iteration, Feedback feedback) {
            List<Prompt> all = super.teachingPrompts(iteration, feedback);
            return all.isEmpty() ? all : all.subList(0, 1);
        }
    }

    @BrokenOnPurpose
    static class TeachesEasiestFirst extends On {
        @Override
        public List<Prompt> teachingPrompts(int iteration, Feedback feedback) {
            List<Prompt> all = new ArrayList<>(super.teachingPrompts(iteration, feedback));
            Collections.reverse(all);
            return all;
        }
    }

    /** Falls back to a topic prompt, labelled as teaching, when there is nothing to teach. */
    @BrokenOnPurpose
    static class TeachesFromNothing extends On {
        @Override
        public List<Prompt> teachingPrompts(int iteration, Feedback feedback) {
            if (!feedback.isEmpty()) {
                return super.teachingPrompts(iteration, feedback);
            }
            Prompt topic = topicPrompts(iteration, 1, 0).get(0);
            return List.of(new Prompt(topic.text(), Provenance.of("curriculum", iteration).with("kind", "teaching")));
        }
    }

    /** Hands every caller the same filter. */
    @BrokenOnPurpose
    static class SharesOneFilter extends On {
        private Optional<NearDuplicateFilter> shared;

        @Override
        public Optional<NearDuplicateFilter> nearDuplicateFilter(long seed) {
            if (shared == null) {
                shared = super.nearDuplicateFilter(seed);
            }
            return shared;
        }
    }
}
