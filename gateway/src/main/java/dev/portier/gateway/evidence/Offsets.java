package dev.portier.gateway.evidence;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offsets into a recording as people read and type them: {@code 03:12}, {@code 1:02:07}. Search hits print
 * them and {@code replay --from} reads them back, so a hit's offset can be pasted into a replay.
 */
public final class Offsets {
    private static final Pattern SHAPE = Pattern.compile("(?:(\\d{1,4}):)?(\\d{1,4}):(\\d{2})");

    private Offsets() {
    }

    /** {@code mm:ss} below an hour, {@code h:mm:ss} from one hour; seconds rounded down. */
    public static String format(long millis) {
        long s = Math.max(0, millis) / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    /**
     * Parses {@code [hh:]mm:ss}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static long parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.strip());
        IllegalArgumentException bad = new IllegalArgumentException("'" + printable(text)
                + "' is not an offset; write [hh:]mm:ss, e.g. 12:30 or 1:02:07");
        if (!m.matches()) {
            throw bad;
        }
        long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long minutes = Long.parseLong(m.group(2));
        long seconds = Long.parseLong(m.group(3));
        if (seconds >= 60 || (m.group(1) != null && minutes >= 60)) {
            throw bad;
        }
        return ((hours * 60 + minutes) * 60 + seconds) * 1000;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(32).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
