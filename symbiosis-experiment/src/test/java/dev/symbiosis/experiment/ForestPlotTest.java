package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForestPlotTest {
    @TempDir
    Path dir;

    @Test
    void drawsEachIntervalAsGivenAndThePooledEstimate() throws IOException {
        Path withIntervals = dir.resolve("with.png");
        Path pointsOnly = dir.resolve("points.png");
        var pooled = new ForestPlot.Estimate(-0.01, -0.02, 0.0);
        ForestPlot.save(withIntervals, "t", "run", 400, 300, "runs", List.of(
                new ForestPlot.Estimate(-0.02, -0.05, 0.01), new ForestPlot.Estimate(0.01, -0.03, 0.02)),
                "pooled", pooled);
        ForestPlot.save(pointsOnly, "t", "run", 400, 300, "runs", List.of(
                ForestPlot.Estimate.of(-0.02), ForestPlot.Estimate.of(0.01)), "pooled", pooled);
        BufferedImage a = ImageIO.read(withIntervals.toFile());
        BufferedImage b = ImageIO.read(pointsOnly.toFile());
        assertEquals(400, a.getWidth());
        assertEquals(300, a.getHeight());
        // the runs' intervals add run-coloured pixels (vertical segments); the pooled diamond is there in both
        assertTrue(count(a, 31, 119, 180) > count(b, 31, 119, 180) + 20,
                count(a, 31, 119, 180) + " vs " + count(b, 31, 119, 180));
        assertTrue(count(b, 214, 39, 40) > 0);
    }

    @Test
    void refusesNoRunsAndMalformedEstimates() {
        Path file = dir.resolve("empty.png");
        var e = assertThrows(IllegalArgumentException.class, () -> ForestPlot.save(file, "t", "run", 400, 300,
                "runs", List.of(), "pooled", ForestPlot.Estimate.of(0)));
        assertTrue(e.getMessage().contains("empty.png"), e.getMessage());
        assertTrue(Files.notExists(file));
        assertThrows(IllegalArgumentException.class, () -> new ForestPlot.Estimate(0, 0.1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new ForestPlot.Estimate(0, Double.NaN, 0.1));
        assertThrows(IllegalArgumentException.class, () -> ForestPlot.Estimate.of(Double.NaN));
    }

    private static int count(BufferedImage image, int r, int g, int b) {
        int rgb = (r << 16) | (g << 8) | b;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
