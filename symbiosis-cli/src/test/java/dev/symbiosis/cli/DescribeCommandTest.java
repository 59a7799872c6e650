package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeCommandTest {

    private static String line(String arm, int t, double bpb) {
        return "{\"strategy\":\"" + arm + "\",\"iteration\":" + t + ",\"headline\":\"bpb.macro\",\"evaluation\":"
                + "{\"bpb.macro\":" + bpb + "},\"synthetic\":{},\"studentTraining\":{\"examples\":0,\"steps\":0,"
                + "\"tokens\":0,\"meanLoss\":\"NaN\",\"finalLoss\":\"NaN\"},\"trainingTexts\":0,\"trainingTokens\":0,"
                + "\"realShare\":0.0,\"realStreamReused\":false}";
    }

    private static Path run(Path dir, String... armT0T3) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < armT0T3.length; i += 3) {
            double t0 = Double.parseDouble(armT0T3[i + 1]);
            double t3 = Double.parseDouble(armT0T3[i + 2]);
            for (int t = 0; t <= 3; t++) {
                lines.add(line(armT0T3[i], t, t0 + (t3 - t0) * t / 3));
            }
        }
        Files.write(dir.resolve("results.jsonl"), lines);
        return dir;
    }

    private static int run(List<String> args, StringBuilder stdout, StringBuilder stderr) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return SymbiosisCli.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
            stdout.append(o.toString(StandardCharsets.UTF_8));
            stderr.append(e.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void describesArmsOverPairsSpanningSeveralFoldersIntoTheTableAndTheCsv(@TempDir Path tmp) throws IOException {
        Path conf = run(tmp.resolve("pair-2").resolve("seed-1"), "real-upper-bound", "2.5", "2.4");
        Path expl = run(tmp.resolve("pair-2-exploratory"), "hard", "2.5", "2.46");
        Path other = run(tmp.resolve("pair-3"), "real-upper-bound", "2.6", "2.5", "hard", "2.6", "2.58");
        Path csv = tmp.resolve("changes.csv");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int code = run(List.of("describe", "--pair", conf + "," + expl, "--pair", other.toString(), "--out",
                csv.toString()), out, err);
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("bpb.macro from iteration 0 to 3"), out.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("arm,pair-2,pair-3,mean,gain_recovered", lines.get(0));
        // hard: -0.04 and -0.02 against -0.1 and -0.1: 0.3 of the gain
        assertEquals("hard,-0.040000,-0.020000,-0.030000,0.300000", lines.get(1));
        assertEquals("real-upper-bound,-0.100000,-0.100000,-0.100000,1.000000", lines.get(2));
    }

    @Test
    void anArmInTwoFoldersOfAPairOrAMalformedRecordIsRefusedNamingTheFiles(@TempDir Path tmp) throws IOException {
        Path a = run(tmp.resolve("a"), "hard", "2.5", "2.46");
        Path b = run(tmp.resolve("b"), "hard", "2.5", "2.47");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        assertEquals(2, run(List.of("describe", "--pair", a + "," + b), out, err));
        assertTrue(err.toString().contains("hard") && err.toString().contains(b.toString()), err.toString());
        Files.writeString(b.resolve("results.jsonl"), "{broken\n");
        StringBuilder err2 = new StringBuilder();
        assertEquals(1, run(List.of("describe", "--pair", b.toString()), new StringBuilder(), err2));
        assertTrue(err2.toString().contains("results.jsonl:1"), err2.toString());
    }
}
