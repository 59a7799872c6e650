package dev.symbiosis.metrics.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorFilesTest {

    @TempDir
    Path dir;

    static Embeddings sample() {
        Random r = new Random(1);
        double[][] x = new double[7][5];
        for (double[] row : x) {
            for (int j = 0; j < 5; j++) {
                row[j] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
            }
        }
        return Embeddings.of(x);
    }

    @Test
    void csvRoundTripIsExact() throws IOException {
        Embeddings e = sample();
        Path f = dir.resolve("v.csv");
        VectorFiles.writeCsv(f, e);
        assertEquals(e, VectorFiles.read(f));
    }

    @Test
    void npyRoundTripFloat64IsExactAndFloat32Rounds() throws IOException {
        Embeddings e = sample();
        Path f64 = dir.resolve("v64.npy");
        VectorFiles.writeNpy(f64, e, false);
        assertEquals(e, VectorFiles.read(f64));
        Path f32 = dir.resolve("v32.npy");
        VectorFiles.writeNpy(f32, e, true);
        Embeddings back = VectorFiles.readNpy(f32);
        for (int i = 0; i < e.size(); i++) {
            for (int j = 0; j < e.dimension(); j++) {
                assertEquals((float) e.get(i, j), back.get(i, j), 0.0);
            }
        }
        // header is padded to a multiple of 64 bytes as numpy requires
        byte[] bytes = Files.readAllBytes(f32);
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals(10 + headerLen + 7 * 5 * 4, bytes.length);
    }

    /** A file exactly as numpy 1.x writes np.arange(6, dtype='<f4').reshape(2, 3) with np.save. */
    @Test
    void readsAnArrayWrittenByNumpy() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(128 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 6; i++) {
            b.putFloat(i);
        }
        Path f = dir.resolve("arange.npy");
        Files.write(f, b.array());
        Embeddings e = VectorFiles.read(f);
        assertEquals(2, e.size());
        assertEquals(3, e.dimension());
        assertEquals(5.0, e.get(1, 2));
        assertEquals(3.0, e.get(1, 0));
    }

    private Path npy(String name, String dict, byte[] data) throws IOException {
        String header = dict + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static void assertFails(Path f, String... fragments) {
        VectorFormatException e = assertThrows(VectorFormatException.class, () -> VectorFiles.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    @Test
    void badNpyFilesAreNamedAndExplained() throws IOException {
        byte[] data8 = new byte[8 * 6];
        assertFails(npy("int.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", data8),
                "dtype <i8 is not supported");
        assertFails(npy("big.npy", "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }", data8),
                "big-endian");
        assertFails(npy("fortran.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data8),
                "Fortran");
        assertFails(npy("1d.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", data8),
                "2-D");
        assertFails(npy("short.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), }", data8),
                "truncated data");
        assertFails(npy("long.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", data8),
                "trailing bytes");
        byte[] nan = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(Double.NaN)
                .array();
        assertFails(npy("nan.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", nan),
                "row 0, column 1 is not finite");
        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "hello, world, this is not numpy");
        assertFails(junk, "bad magic");
    }

    @Test
    void badCsvFilesNameTheLine() throws IOException {
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "# comment\n1,2,3\n\n4,5,6\n7,8\n");
        assertFails(ragged, ":5:", "expected 3 values as on line 2, found 2");
        Path word = dir.resolve("word.csv");
        Files.writeString(word, "1, 2\n3, x\n");
        assertFails(word, ":2:", "value 2 is not a number: 'x'");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "\n# nothing\n");
        assertFails(empty, "no vectors");
        Path inf = dir.resolve("inf.csv");
        Files.writeString(inf, "1,Infinity\n");
        assertFails(inf, ":1:", "not a finite number");
        Path gap = dir.resolve("gap.csv");
        Files.writeString(gap, "1,,2\n");
        assertFails(gap, ":1:", "value 2");
    }

    @Test
    void csvToleratesSpacesAndBom() throws IOException {
        Path f = dir.resolve("spaces.csv");
        Files.writeString(f, "\uFEFF 1.5 , -2e-3\n3,4\n");
        Embeddings e = VectorFiles.read(f);
        assertEquals(Arrays.toString(new double[] {1.5, -0.002}), Arrays.toString(e.row(0)));
    }
}
