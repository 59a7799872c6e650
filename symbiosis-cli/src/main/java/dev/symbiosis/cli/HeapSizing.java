package dev.symbiosis.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;

/**
 * Starts the command line's Java heap at the size of what start-up left live, instead of the JVM's default initial
 * heap (1/64 of the machine's memory, 388 MiB on a 24 GiB machine), when the user left the heap's size to the JVM.
 *
 * <p>Why: G1 lets its young generation grow to 60 % of the committed heap, and every page the young generation has
 * touched stays resident. The engine's Java garbage is short-lived (DJL's per-array bookkeeping, logits copied to
 * Java per decoding step), so a young generation of a few hundred MiB buys resident memory and nothing else. After
 * one full collection G1 sizes the committed heap from the live data ({@code MinHeapFreeRatio} /
 * {@code MaxHeapFreeRatio}: about 40 MiB after start-up), and its young generation with it; from there G1 grows
 * the heap again as the live data or the collection overhead require, up to the same maximum ({@code -Xmx}). In the
 * engine bench at its default size G1 grew it back to 212 MiB (not 388), and the peak resident set fell by about
 * 90 MiB (docs/performance.md). The full collection itself took about 0.1 s on a loaded 2-core machine.
 *
 * <p>Nothing is done when the collector is not G1, when the user sized the heap or the young generation
 * ({@code -Xms}, {@code -Xmn}, {@code -XX:InitialHeapSize}, {@code -XX:NewSize}, {@code -XX:MaxNewSize}, on the
 * command line or in {@code JAVA_TOOL_OPTIONS} / {@code JDK_JAVA_OPTIONS}), or when
 * {@code -Dsymbiosis.compactHeap=false}. Call it from one thread, before the command's work starts.
 */
final class HeapSizing {

    /** System property that, set to {@code false}, leaves the JVM's initial heap as it is. */
    static final String PROPERTY = "symbiosis.compactHeap";

    /** The flags whose origin tells whether the user sized the heap or the young generation. */
    static final List<String> SIZING_FLAGS = List.of("InitialHeapSize", "MinHeapSize", "NewSize", "MaxNewSize");

    private HeapSizing() {}

    /**
     * Runs one full collection when the heap's sizing was left to the JVM's ergonomics and the collector is G1.
     *
     * @return whether the collection ran
     */
    static boolean compactIfLeftToJvm() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return false;
        }
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotspot == null) {
            return false; // not HotSpot: its flags cannot be read
        }
        boolean g1 = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            g1 |= gc.getName().startsWith("G1 ");
        }
        if (!leftToJvm(g1, flag -> originOf(hotspot, flag))) {
            return false;
        }
        System.gc();
        return true;
    }

    /**
     * Whether the heap's sizing is G1's ergonomic default: the collector is G1 and each of {@link #SIZING_FLAGS}
     * has its default or an ergonomically chosen value; a flag {@code origin} cannot read (null) counts as set
     * by the user.
     */
    static boolean leftToJvm(boolean g1, Function<String, VMOption.Origin> origin) {
        if (!g1) {
            return false;
        }
        for (String flag : SIZING_FLAGS) {
            VMOption.Origin o = origin.apply(flag);
            if (o != VMOption.Origin.DEFAULT && o != VMOption.Origin.ERGONOMIC) {
                return false;
            }
        }
        return true;
    }

    private static VMOption.Origin originOf(HotSpotDiagnosticMXBean hotspot, String flag) {
        try {
            return hotspot.getVMOption(flag).getOrigin();
        } catch (IllegalArgumentException e) {
            return null; // a JVM without this flag
        }
    }
}
