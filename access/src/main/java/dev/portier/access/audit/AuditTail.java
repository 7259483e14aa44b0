package dev.portier.access.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the chain continues when the log is reopened, reading backwards from the end so that opening a
 * large log costs one line, not the whole file. Used by the single writer while it holds the file lock.
 */
final class AuditTail {
    private static final int CHUNK = 64 * 1024;

    /** The line(s) at the end that could not be read, as recorded in the {@code audit.chain-resumed} event. */
    record BadTail(long line, long offset, int lines, String problem) {
    }

    /**
     * @param prevHash     the hash of the last valid line, or {@link AuditLine#GENESIS}
     * @param needsNewline the file ends without a newline: append one so the next event starts its own line
     * @param bad          the unreadable lines after the last valid one, or null
     * @param lastType     the type of the last valid line, or null if there is none
     */
    record Resume(String prevHash, boolean needsNewline, BadTail bad, String lastType) {
    }

    private AuditTail() {
    }

    static Resume find(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return new Resume(AuditLine.GENESIS, false, null, null);
        }
        boolean terminated = byteAt(ch, size - 1) == '\n';
        long end = terminated ? size - 1 : size;
        long lastBadStart = -1;
        String problem = null;
        int badLines = 0;
        while (true) {
            long start = lineStart(ch, end);
            AuditLine.Checked c = end - start > AuditLine.MAX_LINE_BYTES
                    ? AuditLine.Checked.bad("line longer than " + AuditLine.MAX_LINE_BYTES + " bytes")
                    : AuditLine.check(read(ch, start, end));
            if (c.problem() == null) {
                BadTail bad = badLines == 0 ? null
                        : new BadTail(lineNumber(ch, lastBadStart), lastBadStart, badLines, problem);
                return new Resume(c.hash(), !terminated, bad, c.type());
            }
            if (badLines == 0) {
                lastBadStart = start;
                problem = terminated ? c.problem() : "incomplete line (interrupted write)";
            }
            badLines++;
            if (start == 0) {
                return new Resume(AuditLine.GENESIS, !terminated,
                        new BadTail(lineNumber(ch, lastBadStart), lastBadStart, badLines, problem), null);
            }
            end = start - 1;
        }
    }

    /** The offset just after the last newline before {@code end}, or 0. */
    private static long lineStart(FileChannel ch, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = end;
        while (pos > 0) {
            int n = (int) Math.min(CHUNK, pos);
            buf.clear().limit(n);
            readFully(ch, buf, pos - n);
            for (int i = n - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }

    /** 1-based line number of the line starting at {@code offset}; only needed on the rare recovery path. */
    private static long lineNumber(FileChannel ch, long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long newlines = 0;
        for (long pos = 0; pos < offset; ) {
            int n = (int) Math.min(CHUNK, offset - pos);
            buf.clear().limit(n);
            readFully(ch, buf, pos);
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    newlines++;
                }
            }
            pos += n;
        }
        return newlines + 1;
    }

    private static byte[] read(FileChannel ch, long start, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
        readFully(ch, buf, start);
        return buf.array();
    }

    private static byte byteAt(FileChannel ch, long pos) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        readFully(ch, one, pos);
        return one.get(0);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("audit log shrank while being read");
            }
            p += n;
        }
    }
}
