package dev.symbiosis.core.strategy;

import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.util.ArrayList;
import java.util.List;

/**
 * Best-of-k by the Generator's own likelihood, the matched-compute control of Student-rewarded teaching (issue 17,
 * point 5): the Generator samples {@code k} continuations per prompt and keeps the one it finds most likely, so that
 * an arm without a Student reward spends the same generation budget.
 *
 * <p>Stateless and thread-safe; the choice it makes is as thread-safe as the scorer it is given.
 */
public final class BestOfK {

    /** What a run records as the choice rule. */
    public static final String GENERATOR_LIKELIHOOD = "generator-mean-log-prob";

    private BestOfK() {}

    /**
     * Chooses per prompt the candidate of highest mean log-probability per completion token under {@code scorer}:
     * each candidate's prompt plus completion is scored in one call for all candidates, and the tokens that start
     * at or after the prompt's end are averaged (the completion given the prompt, as the prompt is written; a chat
     * Generator's template is not applied). A candidate with no such token (an empty completion) ranks last; ties
     * go to the lower index, so candidate 0, the single-sample draw, wins ties. Scoring counts as the scorer's work
     * (a forward pass over every scored token when the scorer is a loop's model).
     */
    public static IterationContext.CandidateChoice byLikelihood(TextScorer scorer) {
        return candidates -> {
            List<String> texts = new ArrayList<>();
            for (List<Sample> row : candidates) {
                for (Sample s : row) {
                    if (!s.fullText().isEmpty()) {
                        texts.add(s.fullText());
                    }
                }
            }
            List<TokenScores> scores = texts.isEmpty() ? List.of() : scorer.score(texts);
            int next = 0;
            int[] chosen = new int[candidates.size()];
            for (int i = 0; i < candidates.size(); i++) {
                double best = Double.NEGATIVE_INFINITY;
                List<Sample> row = candidates.get(i);
                for (int c = 0; c < row.size(); c++) {
                    Sample s = row.get(c);
                    double v = s.fullText().isEmpty() ? Double.NEGATIVE_INFINITY
                            : meanCompletionLogProb(scores.get(next++), s.prompt().text().length());
                    if (v > best) {
                        best = v;
                        chosen[i] = c;
                    }
                }
            }
            return chosen;
        };
    }

    /**
     * The mean log-probability of the tokens of {@code scores} that start at or after character
     * {@code promptChars}, or negative infinity when there is none (the first token is never predicted).
     */
    static double meanCompletionLogProb(TokenScores scores, int promptChars) {
        double sum = 0;
        int n = 0;
        for (int token = 1; token < scores.size(); token++) {
            if (scores.starts().get(token) >= promptChars) {
                sum += scores.logProbs().get(token - 1);
                n++;
            }
        }
        return n == 0 ? Double.NEGATIVE_INFINITY : sum / n;
    }
}
