package dev.symbiosis.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.TextWindows.Window;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of a text's loss with respect to the trainable parameters of a {@link DjlLanguageModel} (the LoRA
 * matrices with an adapter, else every weight), for {@link dev.symbiosis.core.model.ParameterGradients}: the loss is
 * the text's mean next-token loss over context-size windows without overlap (Saliency's windows and loss), one
 * forward and backward pass per text with every window of the text in one batch, no dropout, no update; the
 * parameters' own gradients are zeroed after each text. Gradients are kept on the device: only the dot products and
 * norms reach Java.
 *
 * <p>Not thread-safe.
 */
final class ParameterGradient {

    private final ModelState state;

    ParameterGradient(ModelState state) {
        this.state = state;
    }

    /** See {@link DjlLanguageModel#gradientCosines}. */
    double[] cosines(String target, List<String> candidates) {
        state.checkOpen();
        Training.noGrad();
        List<String> all = new ArrayList<>(candidates.size() + 1);
        all.add(target);
        all.addAll(candidates);
        List<BpeTokenizer.Encoding> enc = encodeChecked(all);
        double[] out = new double[candidates.size()];
        if (candidates.isEmpty()) {
            return out;
        }
        CausalLm model = state.model();
        try (NDManager keep = model.manager().newSubManager()) {
            List<NDArray> t = gradient(enc.get(0), keep);
            double tt = dot(t, t);
            for (int i = 0; i < candidates.size(); i++) {
                try (NDManager scratch = keep.newSubManager()) {
                    List<NDArray> c = gradient(enc.get(i + 1), scratch);
                    double cc = dot(c, c);
                    double v = tt == 0 || cc == 0 ? 0 : dot(t, c) / Math.sqrt(tt * cc);
                    out[i] = Math.max(-1, Math.min(1, v));
                }
            }
        }
        return out;
    }

    /** See {@link DjlLanguageModel#parameterGradient}. */
    float[] flat(String text) {
        state.checkOpen();
        Training.noGrad();
        BpeTokenizer.Encoding e = encodeChecked(List.of(text)).get(0);
        try (NDManager keep = state.model().manager().newSubManager()) {
            List<NDArray> g = gradient(e, keep);
            long size = 0;
            for (NDArray a : g) {
                size += a.size();
            }
            float[] out = new float[Math.toIntExact(size)];
            int at = 0;
            for (NDArray a : g) {
                float[] v = a.toFloatArray();
                System.arraycopy(v, 0, out, at, v.length);
                at += v.length;
            }
            return out;
        }
    }

    /**
     * The encodings of the texts.
     *
     * @throws IllegalArgumentException if a text is empty or has fewer than two tokens (nothing to predict)
     */
    private List<BpeTokenizer.Encoding> encodeChecked(List<String> texts) {
        List<BpeTokenizer.Encoding> enc = state.encodeAll(texts);
        for (int i = 0; i < enc.size(); i++) {
            if (enc.get(i).size() < 2) {
                throw new IllegalArgumentException("a text needs at least two tokens for a loss gradient, got "
                        + enc.get(i).size() + " for '" + texts.get(i) + "'");
            }
        }
        return enc;
    }

    /** The gradient of one text's mean next-token loss, per trainable array, attached to {@code keep}. */
    private List<NDArray> gradient(BpeTokenizer.Encoding e, NDManager keep) {
        int n = state.context;
        int len = e.size();
        List<Window> windows = new ArrayList<>();
        for (int s = 0; s < len; s += n) {
            int end = Math.min(s + n, len);
            if (end - s >= 2) { // a last window of one token predicts nothing
                windows.add(new Window(0, s, end, s + 1));
            }
        }
        int predicted = 0;
        for (Window w : windows) {
            predicted += w.length() - 1;
        }
        TextWindows.Batch in = TextWindows.inputs(windows, List.of(e), state.eos());
        float[] coef = new float[in.b() * in.t()];
        for (int r = 0; r < in.b(); r++) {
            for (int j = 0; j + 1 < windows.get(r).length(); j++) {
                coef[r * in.t() + j] = 1f / predicted;
            }
        }
        return Training.parameterGradient(state.model(), in.ids(), in.next(), coef, in.b(), in.t(), keep);
    }

    /** The sum over arrays of the elementwise products, accumulated in double per array. */
    private static double dot(List<NDArray> x, List<NDArray> y) {
        double sum = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < x.size(); i++) {
                sum += x.get(i).mul(y.get(i)).sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return sum;
    }
}
