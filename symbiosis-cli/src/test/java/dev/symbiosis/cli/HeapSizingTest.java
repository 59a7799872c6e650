package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.VMOption.Origin;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the command line compacts the JVM's initial heap: only under G1 with the heap's sizing left to the JVM. */
class HeapSizingTest {

    private static final Map<String, Origin> ERGONOMIC = Map.of("InitialHeapSize", Origin.ERGONOMIC,
            "MinHeapSize", Origin.ERGONOMIC, "NewSize", Origin.DEFAULT, "MaxNewSize", Origin.ERGONOMIC);

    @Test
    void compactsOnlyUnderG1WithErgonomicSizing() {
        assertTrue(HeapSizing.leftToJvm(true, ERGONOMIC::get));
        assertFalse(HeapSizing.leftToJvm(false, ERGONOMIC::get), "another collector");
    }

    @Test
    void leavesAHeapTheUserSizedAlone() {
        for (String flag : HeapSizing.SIZING_FLAGS) {
            for (Origin set : new Origin[] {Origin.VM_CREATION, Origin.ENVIRON_VAR, Origin.CONFIG_FILE}) {
                assertFalse(HeapSizing.leftToJvm(true, f -> f.equals(flag) ? set : ERGONOMIC.get(f)),
                        flag + " set by " + set);
            }
            assertFalse(HeapSizing.leftToJvm(true, f -> f.equals(flag) ? null : ERGONOMIC.get(f)),
                    flag + " unreadable");
        }
    }

    @Test
    void propertyFalseSwitchesItOff() {
        String before = System.getProperty(HeapSizing.PROPERTY);
        System.setProperty(HeapSizing.PROPERTY, "false");
        try {
            assertFalse(HeapSizing.compactIfLeftToJvm());
        } finally {
            if (before == null) {
                System.clearProperty(HeapSizing.PROPERTY);
            } else {
                System.setProperty(HeapSizing.PROPERTY, before);
            }
        }
    }
}
