package dev.symbiosis.core.curriculum;

import dev.symbiosis.testkit.CurriculumContract;

/**
 * The curriculum contract on the second product configuration of {@link TemplateCurriculum}: the proposal's
 * instruction templates (instruction-tuned generators), two teaching prompts per hard example, and the
 * near-duplicate filter on. {@link TemplateCurriculumTest} runs it on the default prefix style.
 */
class InstructionCurriculumContractTest implements CurriculumContract {

    @Override
    public Curriculum curriculum() {
        return TemplateCurriculum.builder().optStyle(TemplateCurriculum.Style.INSTRUCTION).optPromptsPerExample(2)
                .optNearDuplicateThreshold(0.7).build();
    }
}
