package dev.portier.recorder.index;

import java.util.Objects;

/**
 * One searchable line of a recording.
 *
 * @param kind         typed at a prompt, or printed by the target
 * @param offsetMillis when the line was completed (Enter, or the line end), from the start of the recording
 * @param text         the line as a person saw it: escape sequences applied or removed, no control characters
 */
public record IndexedLine(Kind kind, long offsetMillis, String text) {
    /** Where a line comes from. */
    public enum Kind {
        /** Entered at a prompt ({@code i} events, or the command of an exec channel). */
        COMMAND("command"),
        /** Printed by the target ({@code o} events). */
        OUTPUT("output");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** {@code command} or {@code output}, as in JSON output and the index. */
        public String key() {
            return key;
        }

        public static Kind ofKey(String key) {
            return COMMAND.key.equals(key) ? COMMAND : OUTPUT;
        }
    }

    public IndexedLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        if (offsetMillis < 0) {
            throw new IllegalArgumentException("offsetMillis must not be negative");
        }
    }
}
