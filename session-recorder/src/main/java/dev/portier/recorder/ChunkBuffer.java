package dev.portier.recorder;

import dev.portier.recorder.asciicast.Utf8JsonEscaper;
import dev.portier.recorder.crypt.ChunkCipher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;

/** A growable byte array written to a file in one go; it shrinks back after a burst. Not thread-safe. */
final class ChunkBuffer {
    private static final int INITIAL = 2048;
    private static final int KEEP_AT_MOST = 256 * 1024;

    private byte[] bytes = new byte[INITIAL];
    private int size;

    void append(byte[] data) {
        ensureRoom(data.length);
        System.arraycopy(data, 0, bytes, size, data.length);
        size += data.length;
    }

    /** Escapes terminal bytes straight into this buffer: no intermediate copy. @return bytes appended */
    int appendEscaped(Utf8JsonEscaper escaper, byte[] data, int offset, int length, boolean endOfInput) {
        ensureRoom(Utf8JsonEscaper.maxEscapedLength(length));
        int end = escaper.escape(data, offset, length, bytes, size, endOfInput);
        int appended = end - size;
        size = end;
        return appended;
    }

    /** Drops everything after the first {@code newSize} bytes. */
    void truncate(int newSize) {
        size = newSize;
    }

    private void ensureRoom(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }

    int size() {
        return size;
    }

    /** Feeds the bytes to {@code digest}: the chain hashes what is in memory, never re-reads the file. */
    void digestInto(MessageDigest digest) {
        digest.update(bytes, 0, size);
    }

    /** Replaces the content of {@code frame} by this buffer's bytes, encrypted as frame {@code seq} of {@code stream}. */
    void sealInto(ChunkCipher cipher, ChunkCipher.Stream stream, long seq, ChunkBuffer frame) {
        frame.size = 0;
        frame.ensureRoom(ChunkCipher.frameLength(size));
        frame.size = cipher.seal(stream, seq, bytes, 0, size, frame.bytes, 0);
    }

    void writeTo(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, size);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    void clear() {
        size = 0;
        if (bytes.length > KEEP_AT_MOST) {
            bytes = new byte[INITIAL];
        }
    }
}
