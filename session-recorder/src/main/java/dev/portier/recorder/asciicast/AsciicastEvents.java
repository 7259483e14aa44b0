package dev.portier.recorder.asciicast;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Event lines: {@code [1.234567, "o", "text"]}. Times are seconds since the recording started, written
 * with microsecond precision by hand (a {@code double} could print as {@code 1.0E-4}, which is valid JSON
 * but not what players and people expect).
 */
public final class AsciicastEvents {
    /** Output: what the target sent to the user's terminal. */
    public static final String OUTPUT = "o";
    /** Input: what the user typed. */
    public static final String INPUT = "i";
    /** Resize: {@code "COLSxROWS"}. */
    public static final String RESIZE = "r";

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final byte[] MIDDLE = "\", \"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"]\n".getBytes(StandardCharsets.US_ASCII);

    private AsciicastEvents() {
    }

    /** {@code [t, "o", "}: an event line up to its text, which {@link Utf8JsonEscaper} then writes. */
    public static byte[] prefix(long offsetNanos, String code) {
        return ("[" + seconds(offsetNanos) + ", \"" + code + "\", \"").getBytes(StandardCharsets.US_ASCII);
    }

    /** Ends a line begun with {@link #prefix}. */
    public static byte[] suffix() {
        return END.clone();
    }

    /** One complete event line, newline included, UTF-8, for text that is already a Java string. */
    public static byte[] line(long offsetNanos, String code, CharSequence text) {
        byte[] time = seconds(offsetNanos).getBytes(StandardCharsets.US_ASCII);
        byte[] escaped = ENCODER.quoteAsUTF8(text.toString());
        byte[] line = new byte[1 + time.length + 3 + code.length() + MIDDLE.length + escaped.length + END.length];
        int at = 0;
        line[at++] = '[';
        at = put(line, at, time);
        line[at++] = ',';
        line[at++] = ' ';
        line[at++] = '"';
        at = put(line, at, code.getBytes(StandardCharsets.US_ASCII));
        at = put(line, at, MIDDLE);
        at = put(line, at, escaped);
        put(line, at, END);
        return line;
    }

    /** {@code 1500000} ns as {@code 0.001500}. */
    public static String seconds(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        String fraction = Long.toString(micros % 1_000_000);
        return micros / 1_000_000 + "." + "000000".substring(fraction.length()) + fraction;
    }

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }
}
