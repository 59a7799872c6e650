/**
 * Contract suites for the core interfaces, so that your own implementation is checked in your own build: jqwik
 * properties that every {@link dev.symbiosis.core.model.Student}, {@link dev.symbiosis.core.model.Generator},
 * {@link dev.symbiosis.core.model.GradientHints} Student, {@link dev.symbiosis.core.model.ParameterGradients} Student,
 * {@link dev.symbiosis.core.model.PreferenceTraining} Generator, {@link dev.symbiosis.core.feedback.FeedbackMiner} and
 * {@link dev.symbiosis.core.curriculum.Curriculum} must have.
 *
 * <p>Use: depend on {@code dev.symbiosis:symbiosis-testkit} in test scope (it brings jqwik and the JUnit
 * Jupiter API; Surefire 3 runs jqwik through the JUnit Platform), then write a test class that implements the
 * contract interface and its factory method:
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
 * <p>One class may implement several contracts ({@code StudentContract, GeneratorContract,
 * GradientHintsContract} for a {@link dev.symbiosis.core.model.LanguageModel}); each contract's Javadoc lists its
 * properties and the mistake each one catches. The properties are default methods, so a class can also
 * <ul>
 *   <li>change the generated inputs by overriding the {@code @Provide} method of the contract (e.g.
 *       {@link dev.symbiosis.testkit.StudentContract#contractTexts()} for a model with another alphabet);</li>
 *   <li>change the number of tries with {@link dev.symbiosis.testkit.Contract#triesFactor()} (the declared tries
 *       are at most 10 where a model runs and 2 or 3 where it trains, so that a tiny DJL model passes a contract
 *       in seconds);</li>
 *   <li>leave out a property that cannot apply by overriding its method without {@code @Property}, with a comment
 *       saying why (jqwik reads the annotations of the overriding method).</li>
 * </ul>
 *
 * <p>Models are shared across the tries of a property and across properties: factory methods should return one
 * instance (build expensive ones once, e.g. in a static field); the properties that train save the model first and
 * restore it after. The kit itself needs no test double: it depends only on symbiosis-core's interfaces.
 *
 * <p>The kit's own tests run each contract against the implementations of this project and against deliberately
 * broken ones, and check that the property meant to catch each mistake fails.
 */
package dev.symbiosis.testkit;
