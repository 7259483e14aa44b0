package dev.portier.recorder.index;

/**
 * Turns a user's keystrokes ({@code i} events) into the lines they entered at a prompt: printable keys are
 * appended, backspace and delete remove the last character, Ctrl-U clears the line, Ctrl-W removes the last
 * word, Enter (CR or LF) completes it and Ctrl-C abandons it. Escape sequences (arrow keys, bracketed-paste
 * markers) are dropped, so history recall, tab completion and editing in the middle of a line are not
 * followed: what the shell made of them shows in the output lines, which are indexed too. A masked line
 * arrives as the recorder's marker and is kept as such. Not thread-safe: one builder per recording.
 */
final class CommandLines {
    private final int maxChars;
    private final LineSink sink;
    private final EscapeParser escapes = new EscapeParser();
    private final StringBuilder line = new StringBuilder();

    CommandLines(int maxChars, LineSink sink) {
        this.maxChars = maxChars;
        this.sink = sink;
    }

    void feed(long millis, String keys) {
        for (int i = 0; i < keys.length(); i++) {
            char c = keys.charAt(i);
            switch (escapes.accept(c)) {
                case TEXT -> {
                    line.append(c);
                    if (line.length() >= maxChars) {
                        emit(millis);
                    }
                }
                case CONTROL -> control(millis, c);
                default -> {
                }
            }
        }
    }

    /** Adds a whole command line at once (the command of an exec channel); it may hold several lines. */
    void command(long millis, String commandLine) {
        feed(millis, commandLine);
        emit(millis);
    }

    private void control(long millis, char c) {
        switch (c) {
            case '\r', '\n' -> emit(millis);
            case 0x7f, '\b' -> deleteLast();
            case 0x15, 0x03 -> line.setLength(0);
            case 0x17 -> deleteWord();
            default -> {
                // Tab (completion happens in the shell) and other control keys add no text.
            }
        }
    }

    private void deleteLast() {
        int n = line.length();
        if (n == 0) {
            return;
        }
        boolean pair = n >= 2 && Character.isLowSurrogate(line.charAt(n - 1))
                && Character.isHighSurrogate(line.charAt(n - 2));
        line.setLength(n - (pair ? 2 : 1));
    }

    private void deleteWord() {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        while (end > 0 && line.charAt(end - 1) != ' ') {
            end--;
        }
        line.setLength(end);
    }

    private void emit(long millis) {
        String text = line.toString().strip();
        line.setLength(0);
        if (!text.isEmpty()) {
            sink.line(millis, text);
        }
    }
}
