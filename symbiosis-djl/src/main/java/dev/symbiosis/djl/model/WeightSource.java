package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a model's base weights come from: tensors in Java memory (small models, snapshots) or a checkpoint's
 * safetensors files read tensor by tensor ({@link ShardedSafeTensors}), so that loading a large model needs one
 * block of Java memory, not the model.
 *
 * <p>Not thread-safe.
 */
public interface WeightSource {

    /** Tensor names. */
    Set<String> names();

    /** Shape of a tensor. */
    long[] shape(String name);

    /** For error messages: the file or origin of the weights. */
    String describe();

    /**
     * Creates tensor {@code name} in {@code manager} (on its device) as {@code dtype}, FLOAT32 or FLOAT16; the
     * result is owned by the engine.
     */
    NDArray upload(String name, NDManager manager, DataType dtype) throws IOException;

    /** Every tensor as floats (Java heap: small models only). */
    Map<String, Tensor> toTensors() throws IOException;

    /** Tensors in Java memory. */
    static WeightSource of(Map<String, Tensor> tensors, String origin) {
        return new WeightSource() {
            @Override
            public Set<String> names() {
                return tensors.keySet();
            }

            @Override
            public long[] shape(String name) {
                return tensors.get(name).shape();
            }

            @Override
            public String describe() {
                return origin;
            }

            @Override
            public NDArray upload(String name, NDManager manager, DataType dtype) {
                Tensor t = tensors.get(name);
                NDArray tmp = manager.create(t.data(), new Shape(t.shape()));
                // the engine's own copy: tmp wraps a Java-owned buffer, and toType to the same type aliases it
                NDArray p = dtype == DataType.FLOAT32 ? tmp.duplicate() : tmp.toType(dtype, true);
                tmp.close();
                return p;
            }

            @Override
            public Map<String, Tensor> toTensors() {
                return tensors;
            }
        };
    }

    /**
     * The tensors of safetensors files, converted block by block ({@code blockBytes} of Java direct memory at a
     * time) and concatenated on the device when a tensor spans several blocks.
     */
    static WeightSource of(ShardedSafeTensors files, String origin, int blockBytes) {
        return new WeightSource() {
            private ByteBuffer block;

            @Override
            public Set<String> names() {
                return files.names();
            }

            @Override
            public long[] shape(String name) {
                return files.entry(name).shape();
            }

            @Override
            public String describe() {
                return origin;
            }

            @Override
            public NDArray upload(String name, NDManager manager, DataType dtype) throws IOException {
                ShardedSafeTensors.Entry e = files.entry(name);
                ShardedSafeTensors.Precision p = dtype == DataType.FLOAT16 ? ShardedSafeTensors.Precision.F16
                        : ShardedSafeTensors.Precision.F32;
                long[] shape = e.shape();
                long rows = shape.length == 0 ? 1 : shape[0];
                long rowValues = rows == 0 ? 0 : e.count() / rows;
                long rowsPerBlock = Math.max(1, blockBytes / Math.max(1, rowValues * p.bytes()));
                if (rowValues * p.bytes() > Integer.MAX_VALUE) {
                    throw new IOException(e.file() + ": tensor '" + name + "' has rows of more than 2 GB");
                }
                if (rows == 0 || e.count() == 0) {
                    return manager.zeros(new Shape(shape), dtype);
                }
                List<NDArray> parts = new ArrayList<>();
                try {
                    for (long r = 0; r < rows; r += rowsPerBlock) {
                        long n = Math.min(rowsPerBlock, rows - r);
                        int bytes = (int) (n * rowValues * p.bytes());
                        if (block == null || block.capacity() < bytes) {
                            block = ByteBuffer.allocateDirect(Math.max(bytes, Math.min(blockBytes, 1 << 20)))
                                    .order(ByteOrder.nativeOrder());
                        }
                        block.clear();
                        files.read(name, r * rowValues, n * rowValues, p, block);
                        block.flip();
                        long[] partShape = shape.clone();
                        if (partShape.length > 0) {
                            partShape[0] = n;
                        }
                        NDArray tmp = manager.create(block, new Shape(partShape), dtype);
                        parts.add(tmp.duplicate()); // own the memory: the block is reused
                        tmp.close();
                    }
                    if (parts.size() == 1) {
                        return parts.remove(0);
                    }
                    NDArray joined = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(parts), 0);
                    return joined;
                } finally {
                    parts.forEach(NDArray::close);
                }
            }

            @Override
            public Map<String, Tensor> toTensors() throws IOException {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String n : files.names()) {
                    if (files.entry(n).isFloat()) { // buffers such as BOOL attention masks are never weights
                        out.put(n, new Tensor(files.entry(n).shape(), files.readFloats(n)));
                    }
                }
                return out;
            }
        };
    }
}
