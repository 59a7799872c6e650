package dev.symbiosis.djl.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading never executes code: weights are read from safetensors only. A model folder that holds only
 * pickle-based weights, or a pickle stream / torch.save zip under a safetensors name, is refused with an error
 * naming the file and saying that safetensors is required.
 */
class PickleRefusalTest {

    /** The opening of a pickle stream (protocol 2) that would call os.system when unpickled. */
    private static final byte[] PICKLE = {(byte) 0x80, 0x02, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n'};
    /** The opening of the zip archive torch.save writes. */
    private static final byte[] TORCH_ZIP = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void aFolderWithOnlyPickleWeightsIsRefusedNamingThem(@TempDir Path dir) throws IOException {
        Path model = Checkpoints.tiny(dir);
        Files.delete(model.resolve("model.safetensors"));
        Files.write(model.resolve("pytorch_model.bin"), PICKLE);
        Files.write(model.resolve("model.ckpt"), TORCH_ZIP);
        IOException e = assertThrows(IOException.class, () -> DjlLanguageModel.load(model).close());
        assertTrue(e.getMessage().contains("pytorch_model.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("model.ckpt"), e.getMessage());
        assertTrue(e.getMessage().contains("safetensors is required"), e.getMessage());

        IOException sharded = assertThrows(IOException.class, () -> ShardedSafeTensors.open(model).close());
        assertTrue(sharded.getMessage().contains("pytorch_model.bin"), sharded.getMessage());
    }

    @Test
    void pickleBytesUnderASafetensorsNameAreRefused(@TempDir Path dir) throws IOException {
        for (byte[] bytes : new byte[][] {PICKLE, TORCH_ZIP}) {
            Path f = Files.write(dir.resolve("model.safetensors"), bytes);
            IOException a = assertThrows(IOException.class, () -> SafeTensors.read(f));
            IOException b = assertThrows(IOException.class, () -> ShardedSafeTensors.openFile(f).close());
            for (IOException e : new IOException[] {a, b}) {
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("safetensors is required"), e.getMessage());
            }
        }
    }

    @Test
    void aPickleFileNameIsRefusedWhateverItHolds(@TempDir Path dir) throws IOException {
        for (String name : new String[] {"pytorch_model.bin", "weights.pt", "weights.pth", "last.ckpt", "x.pkl"}) {
            Path f = Files.write(dir.resolve(name), new byte[64]);
            IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
            assertTrue(e.getMessage().contains("never loaded"), name + ": " + e.getMessage());
        }
    }
}
