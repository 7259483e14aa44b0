package dev.portier.recorder.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.crypt.ChunkCipher.Stream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkCipherTest {
    private static final String ID = "20261127T173501Z-9f3a61c2";
    private static final byte[] KEY = ChunkCipher.newKey();
    private static final byte[] TEXT = "[0.5, \"o\", \"secret output\"]\n".getBytes(StandardCharsets.UTF_8);

    private static byte[] seal(String id, Stream stream, long seq) {
        byte[] frame = new byte[ChunkCipher.frameLength(TEXT.length)];
        int n = ChunkCipher.of(id, KEY).seal(stream, seq, TEXT, 0, TEXT.length, frame, 0);
        assertEquals(frame.length, n);
        return frame;
    }

    private static byte[] open(String id, Stream stream, long seq, byte[] frame) throws RecordingCryptoException {
        return ChunkCipher.of(id, KEY).open(stream, seq, frame, 4, frame.length - 4);
    }

    @Test
    void frameIsTheLengthThenCiphertextAndTag() throws Exception {
        byte[] frame = seal(ID, Stream.CAST, 3);
        int length = (frame[0] & 0xff) << 24 | (frame[1] & 0xff) << 16 | (frame[2] & 0xff) << 8 | frame[3] & 0xff;
        assertEquals(TEXT.length + 16, length);
        assertFalse(new String(frame, StandardCharsets.ISO_8859_1).contains("secret"));
        assertArrayEquals(TEXT, open(ID, Stream.CAST, 3, frame));
    }

    @Test
    void frameOpensOnlyAsItsOwnSequenceNumber() {
        byte[] frame = seal(ID, Stream.CAST, 3);
        RecordingCryptoException e = assertThrows(RecordingCryptoException.class, () -> open(ID, Stream.CAST, 4, frame));
        assertEquals("chunk 4 of the cast file of recording " + ID + " does not decrypt: it was altered, removed or"
                + " moved; run: portier verify " + ID, e.getMessage());
    }

    @Test
    void frameOpensOnlyInItsOwnFile() {
        byte[] frame = seal(ID, Stream.EVENTS, 3);
        assertThrows(RecordingCryptoException.class, () -> open(ID, Stream.CAST, 3, frame));
    }

    @Test
    void frameOpensOnlyInItsOwnRecording() {
        byte[] frame = seal(ID, Stream.CAST, 3);
        assertThrows(RecordingCryptoException.class, () -> open("20261127T173501Z-00000000", Stream.CAST, 3, frame));
    }

    @Test
    void everyFlippedBitIsDetected() throws Exception {
        byte[] frame = seal(ID, Stream.CAST, 1);
        for (int i = 4; i < frame.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] f = frame.clone();
                f[i] ^= (byte) (1 << bit);
                assertThrows(RecordingCryptoException.class, () -> open(ID, Stream.CAST, 1, f), "byte " + i);
            }
        }
        assertArrayEquals(TEXT, open(ID, Stream.CAST, 1, frame));
    }

    @Test
    void sameTextInTwoFramesGivesDifferentCiphertexts() {
        byte[] a = seal(ID, Stream.CAST, 1);
        byte[] b = seal(ID, Stream.CAST, 2);
        assertFalse(Arrays.equals(a, b), "the nonce differs per frame");
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChunkCipher.of(ID, new byte[16]));
        assertTrue(ChunkCipher.of(ID, KEY).toString().contains(ID));
    }
}
