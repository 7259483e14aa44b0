package dev.portier.recorder.crypt;

import java.io.IOException;
import java.io.InputStream;

/**
 * The plaintext of the frames that follow an encrypted file's header line, frame 1 first. A frame cut short at the
 * end of the file (a crash during its write, or a copy of a live recording) ends the stream cleanly: it holds no
 * complete chunk. In a recording that was closed no frame is cut, so there it is an error (a length field altered
 * to reach past the end would otherwise silently shorten the recording), as is a frame that does not decrypt or an
 * impossible length: neither is ever a crash.
 */
final class FrameInputStream extends InputStream {
    private final InputStream in;
    private final ChunkCipher cipher;
    private final ChunkCipher.Stream stream;
    private final boolean closed;
    private final byte[] length = new byte[ChunkCipher.LENGTH_BYTES];
    private long seq = 1;
    private byte[] plain = new byte[0];
    private int pos;
    private boolean ended;

    /** @param closed whether the recording was closed (its chain ends in the final checkpoint) */
    FrameInputStream(InputStream in, ChunkCipher cipher, ChunkCipher.Stream stream, boolean closed) {
        this.in = in;
        this.cipher = cipher;
        this.stream = stream;
        this.closed = closed;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return plain[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, plain.length - pos);
        System.arraycopy(plain, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return plain.length - pos;
    }

    @Override
    public void close() throws IOException {
        ended = true;
        in.close();
    }

    /** @return false at the end of the last complete frame */
    private boolean fill() throws IOException {
        while (pos == plain.length) {
            if (ended) {
                return false;
            }
            int got = in.readNBytes(length, 0, length.length);
            if (got < length.length) {
                ended = true;
                if (got > 0) {
                    cut();
                }
                return false;
            }
            int n = ((length[0] & 0xff) << 24) | ((length[1] & 0xff) << 16) | ((length[2] & 0xff) << 8)
                    | (length[3] & 0xff);
            if (n <= ChunkCipher.TAG_BYTES || n > ChunkCipher.MAX_FRAME_BYTES) {
                throw new RecordingCryptoException("chunk " + seq + " of the " + stream.label + " file of recording "
                        + cipher.recordingId() + " has an impossible length (" + Integer.toUnsignedString(n)
                        + " bytes): the file was altered; run: portier verify " + cipher.recordingId());
            }
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                ended = true; // cut by a crash: everything before it was complete
                cut();
                return false;
            }
            plain = cipher.open(stream, seq++, body, 0, n);
            pos = 0;
        }
        return true;
    }

    private void cut() throws RecordingCryptoException {
        if (closed) {
            throw new RecordingCryptoException("the " + stream.label + " file of recording " + cipher.recordingId()
                    + " ends inside chunk " + seq + " although the recording was closed: it was cut or altered; run:"
                    + " portier verify " + cipher.recordingId());
        }
    }
}
