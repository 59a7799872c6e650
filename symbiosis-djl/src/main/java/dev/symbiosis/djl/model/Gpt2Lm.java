package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A {@link Gpt2Model} seen through {@link CausalLm}: every call is the GPT-2 model's own; the key/value cache is a
 * {@link Gpt2Model.KvCache} inside an {@link AttentionCache}. Closing closes the GPT-2 model.
 *
 * <p>Not thread-safe.
 */
public final class Gpt2Lm implements CausalLm {

    private final Gpt2Model model;

    private Gpt2Lm(Gpt2Model model) {
        this.model = model;
    }

    /** The view of {@code model}. */
    public static Gpt2Lm of(Gpt2Model model) {
        return new Gpt2Lm(model);
    }

    /** The GPT-2 model. */
    public Gpt2Model gpt2() {
        return model;
    }

    @Override
    public Gpt2Config modelConfig() {
        return model.config();
    }

    @Override
    public NDManager manager() {
        return model.manager();
    }

    @Override
    public LoraConfig lora() {
        return model.lora();
    }

    @Override
    public List<NDArray> trainable() {
        return model.trainable();
    }

    @Override
    public List<String> trainableNames() {
        return model.trainableNames();
    }

    @Override
    public long trainableCount() {
        return model.trainableCount();
    }

    @Override
    public Map<String, Tensor> baseTensors() {
        return model.baseTensors();
    }

    @Override
    public Map<String, Tensor> adapterTensors() {
        return model.adapterTensors();
    }

    @Override
    public Map<String, Tensor> mergedTensors() {
        return model.mergedTensors();
    }

    @Override
    public NDArray forwardLogits(NDManager scratch, NDArray ids, boolean masters, Random dropoutRng) {
        Gpt2Model.Pass pass = model.new Pass(scratch, masters, dropoutRng);
        int t = (int) ids.getShape().get(1);
        NDArray pos = scratch.arange(0L, (long) t, 1L, DataType.INT64).reshape(1, t);
        return pass.logits(pass.hidden(pass.embed(ids), pos, pass.causalMask(t), null));
    }

    @Override
    public float[][] lastLogits(long[] ids, long[] pos, int[] pad, int b, int t, AttentionCache cache) {
        return model.lastLogits(ids, pos, pad, b, t, cache == null ? null : ((Cache) cache).kv);
    }

    @Override
    public float[] inputSaliency(long[] ids, long[] next, float[] coef, int b, int t) {
        return model.inputSaliency(ids, next, coef, b, t);
    }

    @Override
    public float[][] gradientAlignment(long[] ids, long[] next, float[] coef, int b, int t, int[] at) {
        return model.gradientAlignment(ids, next, coef, b, t, at);
    }

    @Override
    public AttentionCache newCache() {
        return new Cache(model);
    }

    @Override
    public void close() {
        model.close();
    }

    /** A GPT-2 key/value cache behind the family-neutral type. */
    private static final class Cache extends AttentionCache {
        private final Gpt2Model.KvCache kv;

        Cache(Gpt2Model model) {
            super(model.manager(), 1);
            this.kv = new Gpt2Model.KvCache(model.manager(), model.config().nLayer());
        }

        @Override
        public long length() {
            return kv.length();
        }

        @Override
        public void close() {
            kv.close();
            super.close();
        }
    }
}
