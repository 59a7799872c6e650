package dev.symbiosis.djl.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import dev.symbiosis.djl.io.StreamingSafeTensorsWriter;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.LlamaConfig;
import dev.symbiosis.djl.model.LlamaModel;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Rope;
import dev.symbiosis.djl.model.Training;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a sharded float16 Llama checkpoint of about 1 GB (3 shards, streamed: no tensor is ever whole in the Java
 * heap) into the folder given as the first argument, loads it as float32 through {@link CausalLms#load}, and
 * prints the peak Java heap and the process's peak resident memory. Run it with a small heap (e.g. {@code -Xmx256m})
 * to see that loading does not need the checkpoint's size in heap. Not a test; the command is in
 * docs/full-scale.md.
 */
public final class LargeCheckpointLoad {

    private LargeCheckpointLoad() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        LlamaConfig c = new LlamaConfig(32000, 2048, 2048, 8, 16, 4, 128, 5632, 1e-5, Rope.of(128, 500000), false,
                false, false, 1, List.of(2));
        c.write(dir.resolve("config.json"));
        List<String> names = LlamaModel.parameterNames(c);
        int shards = 3;
        ObjectMapper m = new ObjectMapper();
        ObjectNode index = m.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        long t0 = System.nanoTime();
        for (int s = 0; s < shards; s++) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (int i = s; i < names.size(); i += shards) {
                shapes.put(names.get(i), LlamaModel.expectedShape(c, names.get(i)));
                map.put(names.get(i), shard(s, shards));
            }
            SplittableRandom rnd = new SplittableRandom(s);
            StreamingSafeTensorsWriter.write(dir.resolve(shard(s, shards)), shapes, ShardedSafeTensors.Precision.F16,
                    Map.of("format", "pt"), (name, sink) -> {
                        long n = 1;
                        for (long d : shapes.get(name)) {
                            n *= d;
                        }
                        ByteBuffer block = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                        for (long i = 0; i < n; i++) {
                            if (!block.hasRemaining()) {
                                block.flip();
                                sink.accept(block);
                                block.clear();
                            }
                            block.putShort((short) ShardedSafeTensors.floatToHalf((float) (rnd.nextGaussian() * 0.02)));
                        }
                        block.flip();
                        sink.accept(block);
                    });
        }
        Files.write(dir.resolve(ShardedSafeTensors.INDEX), m.writeValueAsBytes(index));
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                bytes += Files.size(f);
            }
        }
        System.out.printf("wrote %d parameters, %.2f GB of float16 shards in %.1f s%n", c.parameterCount(),
                bytes / 1e9, (System.nanoTime() - t0) / 1e9);
        resetPeaks();
        Engine engine = Engine.getEngine("PyTorch");
        Training.noGrad();
        t0 = System.nanoTime();
        try (NDManager root = engine.newBaseManager(Device.cpu());
                CausalLm model = CausalLms.load(root, Device.cpu(), ModelConfig.read(dir.resolve("config.json")), dir,
                        DataType.FLOAT32, false, null, null, null, 0)) {
            System.out.printf("loaded as float32 (%.2f GB native) in %.1f s; max heap %d MiB, peak heap used %d MiB,"
                    + " peak RSS %d MiB%n", c.parameterCount() * 4 / 1e9, (System.nanoTime() - t0) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20, peakHeap() >> 20, peakRssKib() >> 10);
        }
    }

    private static String shard(int s, int n) {
        return String.format("model-%05d-of-%05d.safetensors", s + 1, n);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long peakRssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
