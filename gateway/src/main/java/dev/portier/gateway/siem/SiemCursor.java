package dev.portier.gateway.siem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The position of the feed in the audit log: {@code siem.offset} holds {@code <offset> <id of the last event
 * sent>}, replaced atomically (temporary file, fsync, rename) only after the receiver has the events. With the
 * audit log itself it is the feed's buffer: after an outage or a restart, sending resumes at that offset.
 */
final class SiemCursor {
    static final String FILE_NAME = "siem.offset";
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,18}) ([0-9a-f]{64}|-)\\s*");

    /** A position; {@code lastId} is {@code -} at the start. */
    record Position(long offset, String lastId) {
        static final Position START = new Position(0, "-");
    }

    private final Path file;

    SiemCursor(Path auditDir) {
        this.file = auditDir.resolve(FILE_NAME);
    }

    Path file() {
        return file;
    }

    /**
     * The stored position, or {@link Position#START}.
     *
     * @throws IOException when the file exists but is unreadable or malformed; the caller decides (resending
     *                     from the start gives duplicates, never a loss)
     */
    Position load() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Position.START;
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IOException(file + " is not \"<offset> <id>\"");
        }
        return new Position(Long.parseLong(m.group(1)), m.group(2));
    }

    void store(Position p) throws IOException {
        Path tmp = file.resolveSibling("." + FILE_NAME + ".tmp");
        byte[] bytes = (p.offset() + " " + p.lastId() + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
