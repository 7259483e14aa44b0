package dev.portier.recorder.index;

/**
 * Turns a target's terminal output into the lines a person saw: escape sequences are removed, and the few
 * that edit the current line are applied (carriage return, backspace, tab, cursor left/right/column, erase
 * and delete in line), so that a progress bar redrawn with CR, or a line the shell redrew while the user
 * edited it, yields its final text. A cursor jump to another row (full-screen programs) or a screen clear
 * ends the line, like a line feed. Not thread-safe: one builder per recording.
 */
final class OutputLines {
    private static final int TAB = 8;

    private final int maxChars;
    private final LineSink sink;
    private final EscapeParser escapes = new EscapeParser();
    private final StringBuilder line = new StringBuilder();
    private int cursor;
    private long lastMillis;

    OutputLines(int maxChars, LineSink sink) {
        this.maxChars = maxChars;
        this.sink = sink;
    }

    void feed(long millis, String text) {
        lastMillis = millis;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (escapes.accept(c)) {
                case TEXT -> put(c);
                case CONTROL -> control(c);
                case CSI -> csi();
                default -> {
                }
            }
        }
    }

    /** The end of the recording completes a last line without a line end. */
    void finish() {
        emit();
    }

    private void put(char c) {
        while (line.length() < cursor) {
            line.append(' ');
        }
        if (cursor == line.length()) {
            line.append(c);
        } else {
            line.setCharAt(cursor, c);
        }
        cursor++;
        if (line.length() >= maxChars) {
            emit();
        }
    }

    private void control(char c) {
        switch (c) {
            case '\n', 0x0b, 0x0c, 0x85 -> emit();
            case '\r' -> cursor = 0;
            case '\b' -> cursor = Math.max(0, cursor - 1);
            case '\t' -> cursor = Math.min(maxChars - 1, (cursor / TAB + 1) * TAB);
            default -> {
                // BEL, SO/SI and the other controls print nothing.
            }
        }
    }

    private void csi() {
        if (escapes.privateSequence()) {
            return;
        }
        int n = escapes.param(0, 1);
        switch (escapes.finalChar()) {
            case 'C' -> cursor = Math.min(maxChars - 1, cursor + n);
            case 'D' -> cursor = Math.max(0, cursor - n);
            case 'G', '`' -> cursor = Math.min(maxChars - 1, n - 1);
            case 'K' -> eraseInLine(escapes.param(0, 0));
            case 'P' -> deleteChars(n);
            case '@' -> insertBlanks(n);
            case 'X' -> eraseChars(n);
            case 'A', 'B', 'E', 'F', 'H', 'f', 'd', 'J' -> emit();
            default -> {
                // Colours (m) and modes never change the text.
            }
        }
    }

    private void eraseInLine(int mode) {
        if (mode == 0) {
            line.setLength(Math.min(cursor, line.length()));
        } else if (mode == 1) {
            for (int i = 0; i < Math.min(cursor + 1, line.length()); i++) {
                line.setCharAt(i, ' ');
            }
        } else {
            line.setLength(0);
        }
    }

    private void deleteChars(int n) {
        if (cursor < line.length()) {
            line.delete(cursor, Math.min(line.length(), cursor + n));
        }
    }

    private void insertBlanks(int n) {
        if (cursor < line.length()) {
            line.insert(cursor, " ".repeat(Math.min(n, maxChars)));
            if (line.length() > maxChars) {
                line.setLength(maxChars);
            }
        }
    }

    private void eraseChars(int n) {
        for (int i = cursor; i < Math.min(line.length(), cursor + n); i++) {
            line.setCharAt(i, ' ');
        }
    }

    private void emit() {
        String text = line.toString().strip();
        line.setLength(0);
        cursor = 0;
        if (!text.isEmpty()) {
            sink.line(lastMillis, text);
        }
    }
}
