package dev.portier.recorder;

/**
 * Renders names and values of structured events for the readable {@code [portier]} line in a recording.
 * File names come from users, so control and formatting characters are escaped: replaying a recording
 * must not let a crafted name drive the auditor's terminal or disguise itself (e.g. with a bidi override).
 */
final class EventText {
    private EventText() {
    }

    /** Plain words stay as they are; anything else is quoted and escaped. */
    static String display(Object value) {
        String s = String.valueOf(value);
        if (!s.isEmpty() && s.codePoints().allMatch(EventText::isPlain)) {
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
