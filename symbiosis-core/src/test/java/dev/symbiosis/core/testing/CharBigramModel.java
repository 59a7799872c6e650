package dev.symbiosis.core.testing;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test double: a character bigram language model over 128 symbols (a char's value mod 128) with add-alpha
 * smoothing. It is a real (if weak) model, so loop and contract tests exercise real learning without DJL.
 *
 * <p>Saliency and gradient hints are exact first-order quantities of this model with one-hot input embeddings:
 * writing the input at position {@code i} as a vector {@code x_i} over the 128 symbols, the model predicts
 * {@code p(b | x_i) = sum_a x_i[a] P[a][b]} ({@code P} the smoothed bigram matrix), and the mean next-token loss
 * {@code L = -(1/(n-1)) sum_i log p(t_{i+1} | x_i)} has the gradient
 * {@code dL/dx_i[a] = -P[a][t_{i+1}] / ((n-1) P[t_i][t_{i+1}])} (zero for the last token, which predicts
 * nothing). {@link #saliency} is its L2 norm; {@link #gradientHints} ranks substitutions {@code v} by the HotFlip
 * first-order loss change {@code (e_v - e_{t_i}) . g_i = (1 - P[v][t_{i+1}] / P[t_i][t_{i+1}]) / (n-1)}.
 *
 * <p>Its parameters are the counts {@code c[a][b]} ({@code P[a][b] = (c[a][b] + alpha) / (R[a] + alpha V)},
 * {@code R[a]} the row total). {@link #gradientCosines} uses the exact gradient of the mean next-token loss with
 * respect to them, {@code dL/dc[a][b] = -(1/m) (n_ab / (c[a][b] + alpha) - n_a / (R[a] + alpha V))} ({@code n_ab}
 * the text's bigrams {@code ab}, {@code n_a} its predictions from {@code a}, {@code m} all its predictions).
 * {@link #fineTunePreferences} takes one plain gradient step of the DPO loss on the counts (rate
 * {@value #PREFERENCE_RATE}, counts kept {@code >= 0}), the completion's log-probability being that of the bigrams
 * {@link #fineTune} trains.
 */
public final class CharBigramModel implements LanguageModel, GradientHints, ParameterGradients, PreferenceTraining {

    static final int V = 128;
    private static final double ALPHA = 0.5;
    /** Count added per bigram occurrence and unit of weight: strong enough to move probabilities visibly. */
    private static final double RATE = 4.0;
    /** Step size of the DPO gradient step on the counts: large enough to move the margin visibly. */
    static final double PREFERENCE_RATE = 200.0;

    private final double[][] counts = new double[V][V];
    private final double[] rowTotals = new double[V];
    private final String name;

    public CharBigramModel(String name) {
        this.name = name;
    }

    /** A model pre-trained on {@code texts}. */
    public static CharBigramModel trainedOn(String name, List<String> texts) {
        CharBigramModel m = new CharBigramModel(name);
        for (String t : texts) {
            m.add(t, 0, 1.0);
        }
        return m;
    }

    private static int sym(char c) {
        return c % V;
    }

    private void add(String text, int from, double weight) {
        for (int i = Math.max(1, from); i < text.length(); i++) {
            int a = sym(text.charAt(i - 1));
            int b = sym(text.charAt(i));
            counts[a][b] += RATE * weight;
            rowTotals[a] += RATE * weight;
        }
    }

    /** Smoothed {@code P(b | a)}. */
    double prob(int a, int b) {
        return (counts[a][b] + ALPHA) / (rowTotals[a] + ALPHA * V);
    }

    private double entropy(int a) {
        double h = 0;
        for (int b = 0; b < V; b++) {
            double p = prob(a, b);
            h -= p * Math.log(p);
        }
        return h;
    }

    @Override
    public int countTokens(String text) {
        return text.length();
    }

    /** One id per char, as {@link #score} gives them, without scoring. */
    @Override
    public int[] tokenIds(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cannot score an empty text");
        }
        return text.chars().map(c -> sym((char) c)).toArray();
    }

    @Override
    public List<TokenScores> score(List<String> texts) {
        List<TokenScores> out = new ArrayList<>();
        for (String t : texts) {
            if (t.isEmpty()) {
                throw new IllegalArgumentException("cannot score an empty text");
            }
            int n = t.length();
            int[] ids = new int[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            double[] lp = new double[n - 1];
            double[] h = new double[n - 1];
            int[] argmax = new int[n - 1];
            for (int i = 0; i < n; i++) {
                ids[i] = sym(t.charAt(i));
                starts[i] = i;
                ends[i] = i + 1;
                if (i > 0) {
                    lp[i - 1] = Math.log(prob(ids[i - 1], ids[i]));
                    h[i - 1] = entropy(ids[i - 1]);
                    argmax[i - 1] = mostLikelyAfter(ids[i - 1]);
                }
            }
            out.add(new TokenScores(t, ImmutableIntArray.copyOf(ids), ImmutableIntArray.copyOf(starts),
                    ImmutableIntArray.copyOf(ends), ImmutableDoubleArray.copyOf(lp), ImmutableDoubleArray.copyOf(h),
                    ImmutableIntArray.copyOf(argmax)));
        }
        return out;
    }

    /** The symbol {@code b} with the largest {@code P(b | a)}, the lowest on ties. */
    int mostLikelyAfter(int a) {
        int best = 0;
        for (int b = 1; b < V; b++) {
            if (counts[a][b] > counts[a][best]) {
                best = b;
            }
        }
        return best;
    }

    @Override
    public List<SaliencyMap> saliency(List<String> texts) {
        List<SaliencyMap> out = new ArrayList<>();
        for (TokenScores s : score(texts)) {
            out.add(new SaliencyMap(s.text(), s.ids(), s.starts(), s.ends(),
                    ImmutableDoubleArray.copyOf(gradientNorms(s))));
        }
        return out;
    }

    /** {@code ||dL/dx_i||} for every position (see the class comment). */
    private double[] gradientNorms(TokenScores s) {
        int n = s.size();
        double[] norms = new double[n];
        for (int i = 0; i < n - 1; i++) {
            int b = s.ids().get(i + 1);
            double sq = 0;
            for (int a = 0; a < V; a++) {
                double pa = prob(a, b);
                sq += pa * pa;
            }
            norms[i] = Math.sqrt(sq) / ((n - 1) * prob(s.ids().get(i), b));
        }
        return norms;
    }

    /** Symbols that decode to visible text: never whitespace or control characters. */
    private static boolean isCandidateSymbol(int v) {
        return v > 32 && v < 127;
    }

    @Override
    public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
        if (positions < 1 || candidates < 1) {
            throw new IllegalArgumentException("positions and candidates must be >= 1, got " + positions + " and "
                    + candidates);
        }
        List<List<TokenHint>> out = new ArrayList<>();
        for (TokenScores s : score(texts)) {
            int n = s.size();
            double[] norms = gradientNorms(s);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            // largest norm first, earlier position on ties
            order.sort(Comparator.comparingDouble((Integer i) -> -norms[i]).thenComparingInt(i -> i));
            List<TokenHint> hints = new ArrayList<>();
            for (int i : order.subList(0, Math.min(positions, n))) {
                int x = s.ids().get(i);
                List<String> words = new ArrayList<>();
                double[] scores = new double[0];
                if (i < n - 1) {
                    int b = s.ids().get(i + 1);
                    double own = prob(x, b);
                    List<Integer> vs = new ArrayList<>();
                    for (int v = 0; v < V; v++) {
                        if (v != x && isCandidateSymbol(v)) {
                            vs.add(v);
                        }
                    }
                    // largest first-order loss change = least likely successor; lower symbol on ties
                    vs.sort(Comparator.comparingDouble((Integer v) -> prob(v, b)).thenComparingInt(v -> v));
                    List<Integer> best = vs.subList(0, Math.min(candidates, vs.size()));
                    scores = new double[best.size()];
                    for (int k = 0; k < best.size(); k++) {
                        words.add(String.valueOf((char) (int) best.get(k)));
                        scores[k] = (1 - prob(best.get(k), b) / own) / (n - 1);
                    }
                }
                hints.add(TokenHint.of(i, new Span(s.starts().get(i), s.ends().get(i)), norms[i], words, scores));
            }
            out.add(hints);
        }
        return out;
    }

    @Override
    public TrainingReport train(List<TrainingText> texts) {
        if (texts.isEmpty()) {
            return TrainingReport.empty();
        }
        double loss = meanNll(texts.stream().map(TrainingText::text).toList());
        long tokens = 0;
        for (TrainingText t : texts) {
            // with a context, only the bigrams ending in the text are learnt (the first one from the context's
            // last char), as a real Student takes the loss on the text only
            add(t.context() + t.text(), t.context().length(), t.weight());
            tokens += t.text().length() - (t.hasContext() ? 0 : 1);
        }
        double after = meanNll(texts.stream().map(TrainingText::text).toList());
        return new TrainingReport(texts.size(), 1, tokens, loss, after);
    }

    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples) {
        return fineTune(examples, 1.0);
    }

    /** The counts added per bigram are scaled: this double's learning rate is its count per occurrence. */
    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples, double learningRateScale) {
        dev.symbiosis.core.model.Generator.checkLearningRateScale(learningRateScale);
        if (examples.isEmpty()) {
            return TrainingReport.empty();
        }
        long tokens = 0;
        List<String> full = new ArrayList<>();
        for (PromptCompletion pc : examples) {
            String text = pc.prompt() + pc.completion();
            add(text, Math.max(1, pc.prompt().length()), pc.weight() * learningRateScale);
            tokens += pc.completion().length();
            full.add(text);
        }
        double loss = meanNll(full);
        return new TrainingReport(examples.size(), 1, tokens, loss, loss);
    }

    @Override
    public double[] gradientCosines(String target, List<String> candidates) {
        double[] t = countGradient(target);
        double[] out = new double[candidates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cosine(t, countGradient(candidates.get(i)));
        }
        return out;
    }

    /** The gradient of {@code text}'s mean next-token loss with respect to the counts, row-major (see above). */
    double[] countGradient(String text) {
        if (text.length() < 2) {
            throw new IllegalArgumentException("a text needs at least two tokens, got '" + text + "'");
        }
        int m = text.length() - 1;
        double[] g = new double[V * V];
        int[] predictions = new int[V];
        for (int i = 1; i < text.length(); i++) {
            int a = sym(text.charAt(i - 1));
            int b = sym(text.charAt(i));
            predictions[a]++;
            g[a * V + b] -= 1.0 / (m * (counts[a][b] + ALPHA));
        }
        for (int a = 0; a < V; a++) {
            if (predictions[a] > 0) {
                double row = predictions[a] / (m * (rowTotals[a] + ALPHA * V));
                for (int b = 0; b < V; b++) {
                    g[a * V + b] += row;
                }
            }
        }
        return g;
    }

    private static double cosine(double[] x, double[] y) {
        double dot = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return xx == 0 || yy == 0 ? 0 : Math.max(-1, Math.min(1, dot / Math.sqrt(xx * yy)));
    }

    /** The log-probability of {@code completion} after {@code prompt}: the bigrams {@link #fineTune} trains. */
    double completionLogProb(String prompt, String completion) {
        String text = prompt + completion;
        double lp = 0;
        for (int i = Math.max(1, prompt.length()); i < text.length(); i++) {
            lp += Math.log(prob(sym(text.charAt(i - 1)), sym(text.charAt(i))));
        }
        return lp;
    }

    /** Adds {@code scale} times the gradient of {@link #completionLogProb} with respect to the counts to {@code g}. */
    private void addLogProbGradient(double[] g, String prompt, String completion, double scale) {
        String text = prompt + completion;
        for (int i = Math.max(1, prompt.length()); i < text.length(); i++) {
            int a = sym(text.charAt(i - 1));
            int b = sym(text.charAt(i));
            g[a * V + b] += scale / (counts[a][b] + ALPHA);
            double row = scale / (rowTotals[a] + ALPHA * V);
            for (int v = 0; v < V; v++) {
                g[a * V + v] -= row;
            }
        }
    }

    @Override
    public TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta) {
        PreferenceTraining.checkBeta(beta);
        if (pairs.isEmpty()) {
            return TrainingReport.empty();
        }
        // one step from the reference (the state now): every margin is 0, so the loss is log 2 per pair
        double[] grad = new double[V * V];
        double loss = 0;
        long tokens = 0;
        for (PreferencePair p : pairs) {
            double z = 0; // beta * ((pi_c - ref_c) - (pi_r - ref_r)) with pi = ref
            loss += Math.log1p(Math.exp(-z));
            double dz = -1.0 / (1 + Math.exp(z)) / pairs.size(); // d loss / d z, averaged over pairs
            addLogProbGradient(grad, p.prompt(), p.chosen(), dz * beta);
            addLogProbGradient(grad, p.prompt(), p.rejected(), -dz * beta);
            tokens += p.chosen().length() + p.rejected().length();
        }
        for (int a = 0; a < V; a++) {
            for (int b = 0; b < V; b++) {
                double c = Math.max(0, counts[a][b] - PREFERENCE_RATE * grad[a * V + b]);
                rowTotals[a] += c - counts[a][b];
                counts[a][b] = c;
            }
        }
        loss /= pairs.size();
        return new TrainingReport(pairs.size(), 1, tokens, loss, loss);
    }

    private double meanNll(List<String> texts) {
        double s = 0;
        int n = 0;
        for (TokenScores ts : score(texts.stream().filter(t -> t.length() > 1).toList())) {
            s -= ts.sumLogProb();
            n += ts.predictedCount();
        }
        return n == 0 ? 0 : s / n;
    }

    @Override
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
        List<Sample> out = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            Prompt prompt = prompts.get(p);
            SplittableRandom rnd = new SplittableRandom(sampling.seed() * 31 + p);
            StringBuilder sb = new StringBuilder();
            int prev = prompt.text().isEmpty() ? sym(' ') : sym(prompt.text().charAt(prompt.text().length() - 1));
            for (int i = 0; i < sampling.maxNewTokens(); i++) {
                int next = sampling.isGreedy() ? argmax(prev) : draw(prev, sampling.temperature(), rnd);
                sb.append((char) Math.max(next, 32));
                prev = next;
            }
            out.add(new Sample(prompt, sb.toString(), sampling.maxNewTokens(),
                    Provenance.of(name).with("temperature", Double.toString(sampling.temperature()))));
        }
        return out;
    }

    private int argmax(int a) {
        int best = 0;
        for (int b = 1; b < V; b++) {
            if (counts[a][b] > counts[a][best]) {
                best = b;
            }
        }
        return best;
    }

    private int draw(int a, double temperature, SplittableRandom rnd) {
        double[] w = new double[V];
        double total = 0;
        for (int b = 0; b < V; b++) {
            w[b] = Math.pow(prob(a, b), 1.0 / temperature);
            total += w[b];
        }
        double u = rnd.nextDouble() * total;
        for (int b = 0; b < V; b++) {
            u -= w[b];
            if (u <= 0) {
                return b;
            }
        }
        return V - 1;
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < V; a++) {
            for (int b = 0; b < V; b++) {
                sb.append(counts[a][b]).append(b + 1 < V ? ' ' : '\n');
            }
        }
        Path tmp = dir.resolve("bigram.txt.tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("bigram.txt"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        // the row totals as accumulated: summing the restored counts in another order can differ in the last bit
        // when counts are not whole numbers (a scaled learning rate), and a resumed run must be exact
        StringBuilder totals = new StringBuilder();
        for (int a = 0; a < V; a++) {
            totals.append(rowTotals[a]).append('\n');
        }
        Path tmpTotals = dir.resolve("totals.txt.tmp");
        Files.writeString(tmpTotals, totals.toString(), StandardCharsets.UTF_8);
        Files.move(tmpTotals, dir.resolve("totals.txt"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void restore(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("bigram.txt"), StandardCharsets.UTF_8);
        if (lines.size() != V) {
            throw new IOException(dir.resolve("bigram.txt") + ": expected " + V + " rows, got " + lines.size());
        }
        for (int a = 0; a < V; a++) {
            String[] parts = lines.get(a).split(" ");
            rowTotals[a] = 0;
            for (int b = 0; b < V; b++) {
                counts[a][b] = Double.parseDouble(parts[b]);
                rowTotals[a] += counts[a][b];
            }
        }
        Path totals = dir.resolve("totals.txt");
        if (Files.exists(totals)) {
            List<String> t = Files.readAllLines(totals, StandardCharsets.UTF_8);
            if (t.size() != V) {
                throw new IOException(totals + ": expected " + V + " rows, got " + t.size());
            }
            for (int a = 0; a < V; a++) {
                rowTotals[a] = Double.parseDouble(t.get(a));
            }
        }
    }
}
