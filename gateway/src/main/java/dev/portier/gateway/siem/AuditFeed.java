package dev.portier.gateway.siem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads complete lines of the audit log from an offset. A last line without its newline is still being written
 * and is left for the next read. Used only by the forwarder's thread; the writer's file lock is advisory, so
 * reading beside it is safe.
 */
final class AuditFeed {
    /** Larger than the longest line the audit log writes (1 MiB), so a valid line always fits one read. */
    static final int MAX_READ = 2 << 20;

    /**
     * One line.
     *
     * @param end   the offset just after its newline
     * @param bytes the line without its newline
     */
    record Line(long end, byte[] bytes) {
    }

    private final Path file;

    AuditFeed(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The file's size, or 0 when it does not exist yet. */
    long size() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.size();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /**
     * Up to {@code maxLines} complete lines from {@code offset}, reading at most {@code maxBytes}. A run of
     * {@link #MAX_READ} bytes without a newline is returned as one line (not an event; the caller skips it).
     */
    List<Line> read(long offset, int maxLines, int maxBytes) throws IOException {
        List<Line> lines = new ArrayList<>();
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long available = ch.size() - offset;
            if (available <= 0) {
                return lines;
            }
            buf = ByteBuffer.allocate((int) Math.min(available, Math.max(maxBytes, MAX_READ)));
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            return lines;
        }
        byte[] data = buf.array();
        int filled = buf.position();
        int start = 0;
        for (int i = 0; i < filled && lines.size() < maxLines; i++) {
            if (data[i] == '\n') {
                lines.add(new Line(offset + i + 1, Arrays.copyOfRange(data, start, i)));
                start = i + 1;
                if (start >= maxBytes) {
                    break;
                }
            }
        }
        if (lines.isEmpty() && filled == MAX_READ) {
            lines.add(new Line(offset + filled, Arrays.copyOf(data, filled)));
        }
        return lines;
    }
}
