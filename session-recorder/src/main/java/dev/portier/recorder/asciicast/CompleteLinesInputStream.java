package dev.portier.recorder.asciicast;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Passes on complete lines only: bytes after the last newline are held back until their newline arrives, and dropped
 * at the end of the input (the partial line a live or crashed recording can end in).
 */
final class CompleteLinesInputStream extends InputStream {
    /** An event line is at most a few hundred KiB; anything far longer is not a recording. */
    private static final int MAX_LINE_BYTES = 64 << 20;

    private final InputStream in;
    private byte[] buf = new byte[64 * 1024];
    /** Bytes in {@code buf}. */
    private int length;
    /** Next byte to hand out. */
    private int pos;
    /** End of the complete lines in {@code buf}. */
    private int limit;

    CompleteLinesInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** @return false when no complete line is left */
    private boolean fill() throws IOException {
        while (pos == limit) {
            System.arraycopy(buf, limit, buf, 0, length - limit);
            length -= limit;
            pos = 0;
            limit = 0;
            if (length == buf.length) {
                if (buf.length >= MAX_LINE_BYTES) {
                    throw new IOException("the recording has a line longer than " + MAX_LINE_BYTES + " bytes");
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) {
                return false;
            }
            for (int i = length + n - 1; i >= length; i--) {
                if (buf[i] == '\n') {
                    limit = i + 1;
                    break;
                }
            }
            length += n;
        }
        return true;
    }
}
