package dev.symbiosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

    @Test
    void describesArmsOverPairsSpanningSeveralFoldersIntoTheTableAndTheCsv(@TempDir Path tmp) throws IOException {
        Path conf = run(tmp.resolve("pair-2").resolve("seed-1"), "real-upper-bound", "2.5", "2.4");
        Path expl = run(tmp.resolve("pair-2-exploratory"), "hard", "2.5", "2.46");
        Path other = run(tmp.resolve("pair-3"), "real-upper-bound", "2.6", "2.5", "hard", "2.6", "2.58");
        Path csv = tmp.resolve("changes.csv");
        ModelOptionsTest.Run r = ModelOptionsTest.run("describe", "--pair", conf + "," + expl, "--pair",
                other.toString(), "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bpb.macro from iteration 0 to 3"), r.out());
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
        ModelOptionsTest.Run twice = ModelOptionsTest.run("describe", "--pair", a + "," + b);
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("hard") && twice.err().contains(b.toString()), twice.err());
        Files.writeString(b.resolve("results.jsonl"), "{broken\n");
        ModelOptionsTest.Run broken = ModelOptionsTest.run("describe", "--pair", b.toString());
        assertEquals(1, broken.code());
        assertTrue(broken.err().contains("results.jsonl:1"), broken.err());
    }
}
