/**
 * The held-out evaluation suite (the proposal's D_eval) and its evaluators.
 *
 * <ul>
 *   <li>{@link dev.symbiosis.core.eval.MultipleChoiceItem}, {@link dev.symbiosis.core.eval.EvalTask},
 *       {@link dev.symbiosis.core.eval.EvalSuite}: validated multiple-choice items grouped by task, read by
 *       {@link dev.symbiosis.core.eval.EvalSuiteReader} from the project's JSONL format or lm-evaluation-harness
 *       style JSONL;</li>
 *   <li>{@link dev.symbiosis.core.eval.MultipleChoiceEvaluator}: acc and acc_norm as lm-evaluation-harness computes
 *       them, with 95% Wilson intervals ({@link dev.symbiosis.core.eval.Proportion}) and per-item picks
 *       ({@link dev.symbiosis.core.eval.EvalResult});</li>
 *   <li>{@link dev.symbiosis.core.eval.PerplexityEvaluator}: held-out nats per token, perplexity and bits per byte
 *       per provenance source ({@link dev.symbiosis.core.eval.PerplexityResult});</li>
 *   <li>{@link dev.symbiosis.core.eval.ChanceLevel}: what random guessing scores;</li>
 *   <li>generate-and-check tasks: {@link dev.symbiosis.core.eval.GenerativeItem}s read by
 *       {@link dev.symbiosis.core.eval.GenerativeTaskReader} (the project's JSONL or GSM8K's, {@code "#### 42"}
 *       final answers), completed by any {@link dev.symbiosis.core.model.Generator} in
 *       {@link dev.symbiosis.core.eval.GenerativeEvaluator} and judged by an
 *       {@link dev.symbiosis.core.eval.AnswerChecker} (default {@link dev.symbiosis.core.eval.ExactMatch}:
 *       {@link dev.symbiosis.core.eval.AnswerExtractor} then {@link dev.symbiosis.core.eval.AnswerNormalization});
 *       exact-match accuracy with Wilson intervals and the unbiased pass@k of
 *       {@link dev.symbiosis.core.eval.PassAtK} ({@link dev.symbiosis.core.eval.GenerativeResult}).</li>
 * </ul>
 *
 * <p>All results are records that Jackson serialises and reads back without extra modules.
 */
package dev.symbiosis.core.eval;
