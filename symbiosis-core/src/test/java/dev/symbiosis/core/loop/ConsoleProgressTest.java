package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress that reads well in a log file: whole lines, a handful per step, no carriage returns. */
class ConsoleProgressTest {

    private static String drive(ProgressStyle style) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), style);
        p.strategyStarted("symbiosis", 0, 2);
        for (int i = 0; i <= 1000; i++) {
            p.stepProgress("symbiosis", 1, "evaluate", i, 1000);
        }
        p.stepProgress("symbiosis", 1, "train student", 1, 1);
        p.strategyFinished("symbiosis", "done");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesStyleWritesAFewWholeLinesPerStepAndNoCarriageReturn() {
        String out = drive(ProgressStyle.LINES);
        assertFalse(out.contains("\r"), out);
        long evaluateLines = out.lines().filter(l -> l.contains("evaluate")).count();
        // start, the three quarter marks and the end (the loop is far faster than the ten-second interval)
        assertEquals(5, evaluateLines, out);
        assertTrue(out.contains("[symbiosis 1] evaluate 100% 1000/1000"), out);
        assertTrue(out.contains("[symbiosis 1] train student 100% 1/1"), out);
        assertTrue(out.endsWith("== symbiosis: done\n"), out);
    }

    @Test
    void barStyleRedrawsInPlace() {
        String out = drive(ProgressStyle.BAR);
        assertTrue(out.contains("\r[symbiosis 1] evaluate"), out);
    }

    @Test
    void interleavedStrategiesKeepTheirOwnLineScheduleInTheLinesStyle() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ProgressStyle.LINES);
        for (int i = 0; i <= 1000; i++) {
            p.stepProgress("a", 1, "evaluate", i, 1000);
            p.stepProgress("b", 2, "evaluate", i, 1000);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(5, out.lines().filter(l -> l.startsWith("[a 1] evaluate")).count(), out);
        assertEquals(5, out.lines().filter(l -> l.startsWith("[b 2] evaluate")).count(), out);
    }

    @Test
    void interleavedStrategiesEachEndTheirStepsOnTheirOwnLineInTheBarStyle() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ProgressStyle.BAR);
        p.strategyStarted("a", 1, 2);
        p.strategyStarted("b", 1, 2);
        p.stepProgress("a", 1, "generate", 1, 4);
        p.stepProgress("b", 1, "evaluate", 1, 10);
        p.stepProgress("a", 1, "generate", 4, 4);
        p.stepProgress("b", 1, "evaluate", 10, 10);
        p.stepProgress("a", 1, "train", 1, 1);
        String out = bytes.toString(StandardCharsets.UTF_8);
        // what a terminal shows: the last carriage-return segment of every line
        List<String> shown = Arrays.stream(out.split("\n", -1))
                .map(l -> l.substring(l.lastIndexOf('\r') + 1).stripTrailing()).toList();
        assertEquals("== a: iterations 1..2", shown.get(0));
        assertEquals("== b: iterations 1..2", shown.get(1));
        assertTrue(shown.get(2).startsWith("[a 1] generate") && shown.get(2).contains("100% 4/4"), shown.get(2));
        assertTrue(shown.get(3).startsWith("[b 1] evaluate") && shown.get(3).contains("100% 10/10"), shown.get(3));
        assertTrue(shown.get(4).startsWith("[a 1] train") && shown.get(4).contains("100% 1/1"), shown.get(4));
    }

    @Test
    void labelledViewsOfOneConsoleKeepEqualStrategyNamesApart() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ProgressStyle.LINES);
        LoopListener seed1 = p.labelled("seed 1 ");
        LoopListener seed2 = p.labelled("seed 2 ");
        for (int i = 0; i <= 1000; i++) {
            seed1.stepProgress("symbiosis", 1, "evaluate", i, 1000);
            seed2.stepProgress("symbiosis", 1, "evaluate", i, 1000);
        }
        seed2.strategyFinished("symbiosis", "done");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(5, out.lines().filter(l -> l.startsWith("[seed 1 symbiosis 1] evaluate")).count(), out);
        assertEquals(5, out.lines().filter(l -> l.startsWith("[seed 2 symbiosis 1] evaluate")).count(), out);
        assertTrue(out.endsWith("== seed 2 symbiosis: done\n"), out);
    }

    @Test
    void styleFromTheEnvironmentOrTheConsole() {
        assertEquals(ProgressStyle.BAR, ProgressStyle.resolve(null, true));
        assertEquals(ProgressStyle.LINES, ProgressStyle.resolve(null, false));
        assertEquals(ProgressStyle.LINES, ProgressStyle.resolve(" Lines ", true));
        assertEquals(ProgressStyle.BAR, ProgressStyle.resolve("bar", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgressStyle.resolve("fancy", true));
        assertTrue(e.getMessage().contains("SYMBIOSIS_PROGRESS=fancy"), e.getMessage());
    }

    @Test
    void aLineIsDueAtQuartersAfterTheIntervalAndAtTheEnd() {
        assertTrue(ProgressStyle.lineDue(0.0, -1, 0));
        assertFalse(ProgressStyle.lineDue(0.2, 0.0, 1));
        assertTrue(ProgressStyle.lineDue(0.25, 0.2, 1));
        assertTrue(ProgressStyle.lineDue(0.3, 0.26, ProgressStyle.LINE_INTERVAL_NANOS));
        assertTrue(ProgressStyle.lineDue(1.0, 0.99, 0));
    }
}
