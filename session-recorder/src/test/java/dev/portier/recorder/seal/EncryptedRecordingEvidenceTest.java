package dev.portier.recorder.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.crypt.RecordingCryptoException;
import dev.portier.recorder.crypt.RecordingReader;
import dev.portier.recorder.crypt.TestKeys;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every attack and crash of {@link RecordingEvidenceTest} on encrypted recordings: the chain covers the ciphertext
 * as stored, so the verifier needs no key and answers as for a plain recording.
 */
class EncryptedRecordingEvidenceTest extends RecordingEvidenceTest {
    private final TestKeys keys = new TestKeys();

    @Override
    RecordingStore newStore(Path dir) {
        return new RecordingStore(dir, KEY, FAST, keys, true);
    }

    @Test
    void recordingsUnderAttackAreEncrypted() throws Exception {
        Path file = work.resolve(id + ".cast");
        Files.write(file, cast);
        assertTrue(RecordingReader.isEncrypted(file));
    }

    @Test
    void everyFlippedByteInAChunkAlsoFailsDecryption() throws Exception {
        Path dir = Files.createDirectories(work.resolve("flipped"));
        Random random = new Random(5);
        try (RecordingStore store = newStore(dir)) {
            Files.write(dir.resolve(id + ".cast"), cast);
            Files.write(dir.resolve(id + ".chain"), chain);
            store.export(id, OutputStream.nullOutputStream());
            int headerLine = indexOf(cast, (byte) '\n') + 1;
            for (int i = 0; i < 50; i++) {
                byte[] c = cast.clone();
                int at = headerLine + random.nextInt(c.length - headerLine);
                c[at] ^= (byte) (1 + random.nextInt(255));
                Files.write(dir.resolve(id + ".cast"), c);
                RecordingCryptoException e = assertThrows(RecordingCryptoException.class,
                        () -> store.export(id, OutputStream.nullOutputStream()), "flip at " + at);
                assertTrue(e.getMessage().contains("run: portier verify " + id), e.getMessage());
                assertEquals(Verdict.Status.TAMPERED, store.verify(id, publicKey).status(), "flip at " + at);
            }
        }
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
