package dev.portier.recorder.index;

/**
 * Recognises terminal escape sequences (ECMA-48: CSI, OSC/DCS/APC/PM/SOS strings, charset designations,
 * SS2/SS3 and two-character escapes, in their 7-bit and 8-bit forms) one character at a time, so that the
 * line builders drop them and act on the few that move the cursor within a line. A sequence may be split
 * across events.
 */
final class EscapeParser {
    /** What one character turned out to be. */
    enum Kind {
        /** Printable text. */
        TEXT,
        /** A C0/C1 control character outside any sequence (CR, LF, BS, ...): the caller decides. */
        CONTROL,
        /** The final character of a CSI sequence: see {@link #finalChar()} and {@link #param}. */
        CSI,
        /** Part of an escape sequence: drop it. */
        SWALLOWED
    }

    private enum State { TEXT, ESC, CSI, STRING, STRING_ESC, ONE_MORE }

    private static final char ESC = 0x1b;
    private static final int MAX_PARAMS = 32;

    private State state = State.TEXT;
    private final StringBuilder params = new StringBuilder();
    private char finalChar;

    Kind accept(char c) {
        switch (state) {
            case ESC:
                return afterEsc(c);
            case CSI:
                return inCsi(c);
            case STRING:
                if (c == 0x07 || c == 0x9c) {
                    state = State.TEXT;
                } else if (c == ESC) {
                    state = State.STRING_ESC;
                }
                return Kind.SWALLOWED;
            case STRING_ESC:
                if (c == '\\') {
                    state = State.TEXT;
                    return Kind.SWALLOWED;
                }
                return afterEsc(c);
            case ONE_MORE:
                state = State.TEXT;
                return Kind.SWALLOWED;
            default:
                return inText(c);
        }
    }

    private Kind inText(char c) {
        if (c == ESC) {
            state = State.ESC;
            return Kind.SWALLOWED;
        }
        if (c == 0x9b) {
            startCsi();
            return Kind.SWALLOWED;
        }
        if (c == 0x90 || c == 0x9d || c == 0x98 || c == 0x9e || c == 0x9f) {
            state = State.STRING;
            return Kind.SWALLOWED;
        }
        if (c == 0x8e || c == 0x8f) {
            state = State.ONE_MORE;
            return Kind.SWALLOWED;
        }
        return c < 0x20 || (c >= 0x7f && c < 0xa0) ? Kind.CONTROL : Kind.TEXT;
    }

    private Kind afterEsc(char c) {
        switch (c) {
            case '[' -> startCsi();
            case ']', 'P', 'X', '^', '_' -> state = State.STRING;
            case '(', ')', '*', '+', '-', '.', '/', '#', '%', ' ', 'N', 'O' -> state = State.ONE_MORE;
            case ESC -> state = State.ESC;
            default -> state = State.TEXT;
        }
        return Kind.SWALLOWED;
    }

    private void startCsi() {
        state = State.CSI;
        params.setLength(0);
    }

    private Kind inCsi(char c) {
        if (c >= 0x40 && c <= 0x7e) {
            state = State.TEXT;
            finalChar = c;
            return Kind.CSI;
        }
        if (c >= 0x20 && c <= 0x3f) {
            if (params.length() < MAX_PARAMS) {
                params.append(c);
            }
            return Kind.SWALLOWED;
        }
        if (c == ESC) {
            state = State.ESC;
            return Kind.SWALLOWED;
        }
        // Controls inside a CSI sequence take effect as if outside it; anything else aborts the sequence.
        if (c < 0x20) {
            return Kind.CONTROL;
        }
        state = State.TEXT;
        return Kind.SWALLOWED;
    }

    char finalChar() {
        return finalChar;
    }

    /** True for private sequences ({@code CSI ? 25 l} and the like), which never edit the line. */
    boolean privateSequence() {
        return params.length() > 0 && "<=>?".indexOf(params.charAt(0)) >= 0;
    }

    /** The {@code index}-th numeric parameter of the last CSI sequence, or {@code dflt} when absent or 0. */
    int param(int index, int dflt) {
        int at = 0;
        int value = -1;
        int current = 0;
        for (int i = 0; i <= params.length(); i++) {
            char c = i < params.length() ? params.charAt(i) : ';';
            if (c == ';' || c == ':') {
                if (at == index) {
                    value = current;
                    break;
                }
                at++;
                current = 0;
            } else if (c >= '0' && c <= '9') {
                current = Math.min(100_000, current * 10 + (c - '0'));
            }
        }
        return value <= 0 ? dflt : value;
    }
}
