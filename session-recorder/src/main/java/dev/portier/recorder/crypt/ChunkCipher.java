package dev.portier.recorder.crypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over the frames of one recording. A frame is a 4-byte big-endian length {@code N}, then {@code N} bytes
 * of ciphertext followed by the 16-byte tag. The 12-byte nonce is the file's stream number (4 bytes) and the frame's
 * sequence number (8 bytes): each (key, nonce) pair is used once because every recording has a key of its own and
 * never writes a sequence number twice. The AAD names the recording, the file and the sequence number, so a frame
 * that is altered, removed, reordered or moved from another file or recording does not decrypt. Not thread-safe.
 */
public final class ChunkCipher {
    /** The two files of a recording that hold session content. */
    public enum Stream {
        CAST(1, "cast"), EVENTS(2, "events");

        final int number;
        final String label;

        Stream(int number, String label) {
            this.number = number;
            this.label = label;
        }
    }

    public static final int KEY_BYTES = 32;
    public static final int LENGTH_BYTES = 4;
    public static final int TAG_BYTES = 16;
    /**
     * The largest frame a reader accepts (a writer's chunk is at most the recorder's buffer, 8 MiB by default): a
     * length field someone altered must not make a reader allocate gigabytes.
     */
    public static final int MAX_FRAME_BYTES = 64 << 20;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /**
     * Chunks are encrypted in slices of this size (same ciphertext as one call). Why: the JDK's AES-GCM reaches its
     * intrinsic speed (about 1 GB/s here) only once JIT-compiled, and a few large calls per second delay that for
     * the first hundreds of MB after a start, running at 30-80 MB/s meanwhile; many 16 KiB calls warm it up within
     * the first ~100 MB. A multiple of the AES block size, so no call leaves a partial block buffered.
     */
    private static final int SLICE_BYTES = 16 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String recordingId;
    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];

    private ChunkCipher(String recordingId, SecretKeySpec key) {
        this.recordingId = recordingId;
        this.key = key;
        try {
            this.cipher = Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /** A fresh random data key; the caller wipes it once wrapped and handed to {@link #of}. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** @param key 32 bytes; copied, so the caller may wipe its array at once */
    public static ChunkCipher of(String recordingId, byte[] key) {
        Objects.requireNonNull(recordingId, "recordingId");
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a recording key has " + KEY_BYTES + " bytes");
        }
        return new ChunkCipher(recordingId, new SecretKeySpec(key, "AES"));
    }

    /** The size of the frame that holds {@code plainLength} bytes. */
    public static int frameLength(int plainLength) {
        return LENGTH_BYTES + plainLength + TAG_BYTES;
    }

    /**
     * Encrypts {@code in[offset, offset+length)} as frame {@code seq} of {@code stream} into {@code out} from
     * {@code outOffset}, which must have room for {@link #frameLength}.
     *
     * @return the frame's length
     */
    public int seal(Stream stream, long seq, byte[] in, int offset, int length, byte[] out, int outOffset) {
        if (length <= 0) {
            throw new IllegalArgumentException("a frame holds at least one byte");
        }
        int sealed = length + TAG_BYTES;
        out[outOffset] = (byte) (sealed >>> 24);
        out[outOffset + 1] = (byte) (sealed >>> 16);
        out[outOffset + 2] = (byte) (sealed >>> 8);
        out[outOffset + 3] = (byte) sealed;
        try {
            init(Cipher.ENCRYPT_MODE, stream, seq);
            int at = offset;
            int end = offset + length;
            int n = 0;
            while (end - at > SLICE_BYTES) {
                n += cipher.update(in, at, SLICE_BYTES, out, outOffset + LENGTH_BYTES + n);
                at += SLICE_BYTES;
            }
            n += cipher.doFinal(in, at, end - at, out, outOffset + LENGTH_BYTES + n);
            if (n != sealed) {
                throw new IllegalStateException("AES-GCM wrote " + n + " bytes instead of " + sealed);
            }
        } catch (GeneralSecurityException e) {
            // A valid key, a fresh nonce and enough room: a conforming provider cannot fail here.
            throw new IllegalStateException("AES-GCM failed to encrypt", e);
        }
        return LENGTH_BYTES + sealed;
    }

    /**
     * Decrypts the body of frame {@code seq} of {@code stream} (ciphertext and tag, without the length).
     *
     * @throws RecordingCryptoException if it does not decrypt as that frame of this recording
     */
    public byte[] open(Stream stream, long seq, byte[] body, int offset, int length) throws RecordingCryptoException {
        try {
            init(Cipher.DECRYPT_MODE, stream, seq);
            return cipher.doFinal(body, offset, length);
        } catch (AEADBadTagException e) {
            throw new RecordingCryptoException("chunk " + seq + " of the " + stream.label + " file of recording "
                    + recordingId + " does not decrypt: it was altered, removed or moved; run: portier verify "
                    + recordingId);
        } catch (GeneralSecurityException e) {
            throw new RecordingCryptoException("chunk " + seq + " of the " + stream.label + " file of recording "
                    + recordingId + " cannot be decrypted: " + e.getMessage(), e);
        }
    }

    public String recordingId() {
        return recordingId;
    }

    private void init(int mode, Stream stream, long seq) throws GeneralSecurityException {
        nonce[0] = (byte) (stream.number >>> 24);
        nonce[1] = (byte) (stream.number >>> 16);
        nonce[2] = (byte) (stream.number >>> 8);
        nonce[3] = (byte) stream.number;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(aad(recordingId, stream, seq));
    }

    /** {@code portier-recording\n1\n<id>\n<cast|events>\n<seq>}: the recording id holds no newline. */
    static byte[] aad(String recordingId, Stream stream, long seq) {
        return ("portier-recording\n" + SealedFormat.VERSION + "\n" + recordingId + "\n" + stream.label + "\n" + seq)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ChunkCipher[" + recordingId + "]"; // never the key
    }
}
