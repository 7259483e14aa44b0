package dev.portier.recorder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Recording ids such as {@code 20261127T173501Z-9f3a61c2}: they sort by start time, are safe as file
 * names and in URLs, and the only ids accepted from outside are ones of this shape (no path tricks).
 */
final class RecordingId {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");

    private RecordingId() {
    }

    /** A new id; uniqueness is finally ensured by creating its file exclusively. */
    static String next(Instant start) {
        return TIME.format(start) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    static boolean isValid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }
}
