package dev.symbiosis.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The machine's practical fp32 matmul limit on the engine: an {@code n x n x n} NDArray matmul timed like the
 * peer's {@code torch.matmul(ga, gb)} (2 warm-up runs), reported as GFLOP/s = {@code 2 n^3 / seconds / 1e9}.
 */
public final class GemmBench {

    /** Median and best GFLOP/s with the timings they come from. */
    public record Result(BenchStats ms, double gflops, double gflopsBest) {}

    private GemmBench() {}

    public static Result run(NDManager parent, int n, int iters) throws Exception {
        try (NDManager m = parent.newSubManager()) {
            m.getEngine().setRandomSeed(1);
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            BenchStats ms = BenchStats.time(2, iters, () -> {
                try (NDManager step = m.newSubManager()) {
                    NDArray c = a.matMul(b);
                    c.attach(step);
                    c.getFloat(0, 0); // forces completion on lazily evaluating engines; PyTorch CPU is eager
                }
            });
            double flops = 2.0 * n * n * (double) n;
            return new Result(ms, flops / (ms.median() / 1e3) / 1e9, flops / (ms.min() / 1e3) / 1e9);
        }
    }
}
