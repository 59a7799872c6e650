package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fused PyTorch kernels that DJL 0.36's NDArray API does not expose: GELU with the tanh approximation
 * ({@code torch.gelu(x, approximate="tanh")}, one kernel forward and one backward instead of nine each), SiLU and
 * scaled dot-product attention ({@code torch.scaled_dot_product_attention}, PyTorch's blocked flash-attention
 * kernel on the CPU: the (B, H, T, T) scores are never materialised, in the forward or the backward).
 *
 * <p>They are reached through a TorchScript module with no parameters whose archive is assembled here in memory
 * from the source below and loaded by libtorch, which compiles it against its own operator registry: nothing is
 * downloaded, and no Python is needed. Autograd records the calls like any other operation when a gradient
 * collector is open, so the kernels serve training, input gradients and inference alike.
 *
 * <p>Thread-safe: the module is stateless and shared by the whole JVM; {@link #get()} loads it once.
 */
public final class TorchKernels {

    /**
     * The module's code, in the form {@code torch.jit.save} writes it ({@code code/__torch__.py} of the archive).
     * The attention scale is PyTorch's default, {@code 1/sqrt(head_dim)}: GPT-2's, GPT-NeoX's and Llama's.
     */
    static final String SOURCE = """
            class Kernels(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Kernels,
                x: Tensor) -> Tensor:
                return torch.gelu(x, approximate="tanh")
              def gelu_tanh(self: __torch__.Kernels,
                x: Tensor) -> Tensor:
                return torch.gelu(x, approximate="tanh")
              def causal_attention(self: __torch__.Kernels,
                q: Tensor,
                k: Tensor,
                v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., True)
              def attention(self: __torch__.Kernels,
                q: Tensor,
                k: Tensor,
                v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., False)
              def silu(self: __torch__.Kernels,
                x: Tensor) -> Tensor:
                return torch.silu(x)
              def masked_attention(self: __torch__.Kernels,
                q: Tensor,
                k: Tensor,
                v: Tensor,
                mask: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, mask, 0., False)
            """;

    private static volatile TorchKernels instance;

    private static final String[] METHODS = {"gelu_tanh", "silu", "causal_attention", "attention", "masked_attention"};

    private final PtSymbolBlock module;
    /** One empty array per method, named as DJL's {@link IValueUtils} expects to select a method other than forward. */
    private final Map<String, NDArray> selectors = new HashMap<>();

    private TorchKernels(PtSymbolBlock module, NDManager manager) {
        this.module = module;
        for (String method : METHODS) {
            NDArray selector = manager.create(new float[0]);
            selector.setName("module_method:" + method);
            selectors.put(method, selector);
        }
    }

    /** The JVM's kernels module, loaded on first use. */
    public static TorchKernels get() {
        TorchKernels k = instance;
        if (k == null) {
            synchronized (TorchKernels.class) {
                k = instance;
                if (k == null) {
                    k = load();
                    instance = k;
                }
            }
        }
        return k;
    }

    private static TorchKernels load() {
        // A manager of its own, never closed: the module lives as long as the JVM (it holds no tensors).
        PtNDManager m = (PtNDManager) NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
        try {
            PtSymbolBlock block = JniUtils.loadModule(m, new ByteArrayInputStream(archive()), false, false);
            return new TorchKernels(block, m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the fused kernels' TorchScript module", e);
        }
    }

    /** {@code torch.gelu(x, approximate="tanh")}: GPT-2's {@code gelu_new}. */
    public NDArray geluTanh(NDArray x) {
        return call("gelu_tanh", x).singletonOrThrow();
    }

    /**
     * Causal scaled dot-product attention: {@code softmax(q k^T / sqrt(D) + causal) v}, with query {@code i} seeing
     * keys {@code 0..i} (top-left aligned, so only for a query block that starts at key 0).
     *
     * @param q (B, H, T, D)
     * @param k (B, H, T, D)
     * @param v (B, H, T, D)
     */
    public NDArray causalAttention(NDArray q, NDArray k, NDArray v) {
        return call("causal_attention", q, k, v).singletonOrThrow();
    }

    /**
     * Scaled dot-product attention with an additive mask: {@code softmax(q k^T / sqrt(D) + mask) v}.
     *
     * @param q (B, H, Tq, D)
     * @param k (B, H, Tk, D)
     * @param v (B, H, Tk, D)
     * @param mask broadcastable to (B, H, Tq, Tk), or null for none (every query sees every key)
     */
    public NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        return (mask == null ? call("attention", q, k, v) : call("masked_attention", q, k, v, mask))
                .singletonOrThrow();
    }

    /**
     * Attention with {@code mask}, run as the kernel's own causal case when {@code maskIsCausal} and there are as
     * many keys as queries (the causal kernel skips the blocks above the diagonal; top-left alignment is only
     * right when nothing is cached before the queries).
     *
     * @param maskIsCausal whether {@code mask} is the plain causal mask of the queries' length
     */
    public NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, boolean maskIsCausal) {
        return maskIsCausal && k.getShape().get(2) == q.getShape().get(2) ? causalAttention(q, k, v)
                : attention(q, k, v, mask);
    }

    /** SiLU {@code x * sigmoid(x)} ({@code torch.silu}): Llama's MLP activation. */
    public NDArray silu(NDArray x) {
        return call("silu", x).singletonOrThrow();
    }

    private NDList call(String method, NDArray... args) {
        NDList in = new NDList(args.length + 1);
        for (NDArray a : args) {
            in.add(a);
        }
        in.add(selectors.get(method));
        // isTrain = true: the method runs with the caller's grad mode, so autograd records it inside a collector.
        return IValueUtils.forward(module, in, true);
    }

    /** The TorchScript archive ({@code torch.jit.save}'s zip layout) holding {@link #SOURCE}. */
    static byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // The module object: pickle protocol 2 of __torch__.Kernels with state {"training": False}.
            ByteArrayOutputStream pkl = new ByteArrayOutputStream();
            pkl.write(new byte[] {(byte) 0x80, 2, 'c'});
            pkl.writeBytes("__torch__\nKernels\n".getBytes(StandardCharsets.US_ASCII));
            pkl.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0});
            pkl.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
            pkl.write(new byte[] {(byte) 0x89, 'u', 'b', '.'});
            store(zip, "kernels/data.pkl", pkl.toByteArray());
            store(zip, "kernels/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            store(zip, "kernels/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            store(zip, "kernels/.data/version", "10\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
        // Stored, not deflated: PyTorch's reader (miniz) maps records directly.
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
