package dev.portier.recorder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.asciicast.AsciicastEvents;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A structured event (an SFTP or SCP file operation) becomes two lines: a JSON object in
 * {@code <id>.events.jsonl} for tools, and a readable {@code [portier] kind key=value} output line in
 * the cast, so that every recording replays in a stock player. File names come from users: control and
 * formatting characters are escaped in the readable line, so that replaying a recording cannot drive
 * the auditor's terminal or disguise a name (e.g. with a bidi override).
 *
 * @param castLine an asciicast {@code o} event line
 * @param jsonLine {@code {"t":1.5,"kind":"sftp.open","fields":{...}}} and a newline
 */
record EventLines(byte[] castLine, byte[] jsonLine) {

    static EventLines of(ObjectMapper json, long offsetNanos, String kind, Map<String, Object> fields)
            throws JsonProcessingException {
        Map<String, Object> plain = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder("[portier] ").append(display(kind));
        if (fields != null) {
            fields.forEach((key, value) -> {
                // Only JSON's own types go to Jackson: any other object is recorded as its text.
                Object v = value == null || value instanceof Number || value instanceof Boolean ? value : value.toString();
                plain.put(String.valueOf(key), v);
                text.append(' ').append(display(key)).append('=').append(display(v));
            });
        }
        String seconds = AsciicastEvents.seconds(offsetNanos);
        String head = "{\"t\":" + seconds + ",\"kind\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(String.valueOf(kind))) + "\",\"fields\":";
        String jsonLine = head + json.writeValueAsString(plain) + "}\n";
        return new EventLines(AsciicastEvents.line(offsetNanos, AsciicastEvents.OUTPUT, text.append("\r\n")),
                jsonLine.getBytes(StandardCharsets.UTF_8));
    }

    /** Plain words stay as they are; anything else is quoted and escaped. */
    static String display(Object value) {
        String s = String.valueOf(value);
        if (!s.isEmpty() && s.codePoints().allMatch(EventLines::isPlain)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (isHidden(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    private static boolean isPlain(int c) {
        return c != ' ' && c != '"' && c != '\\' && c != '=' && !isHidden(c);
    }

    private static boolean isHidden(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || Character.isWhitespace(c) && c != ' ' || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }
}
