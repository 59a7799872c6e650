package dev.symbiosis.core.testing;

import dev.symbiosis.testkit.GeneratorContract;
import dev.symbiosis.testkit.GradientHintsContract;
import dev.symbiosis.testkit.ParameterGradientsContract;
import dev.symbiosis.testkit.PreferenceTrainingContract;
import dev.symbiosis.testkit.StudentContract;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Student;
import java.util.List;

/** The test double itself must honour the contracts it stands in for. */
class CharBigramModelContractTest implements StudentContract, GeneratorContract, GradientHintsContract,
        ParameterGradientsContract, PreferenceTrainingContract {

    private static final List<String> TEXTS = List.of("the quick brown fox jumps over the lazy dog.",
            "a bad cab in a dark park.");

    private final CharBigramModel model = CharBigramModel.trainedOn("bigram", TEXTS);

    @Override
    public Student gradientStudent() {
        return model;
    }

    @Override
    public LanguageModel freshPreferenceModel() {
        return CharBigramModel.trainedOn("bigram", TEXTS);
    }

    @Override
    public Student student() {
        return model;
    }

    @Override
    public Student hintingStudent() {
        return model;
    }

    @Override
    public Generator generator() {
        return model;
    }
}
