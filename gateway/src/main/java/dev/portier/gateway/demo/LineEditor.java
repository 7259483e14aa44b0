package dev.portier.gateway.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The line discipline of a device behind a raw PTY: the client's terminal sends every key as typed, so the
 * device echoes, erases and assembles lines itself. Feed it one byte at a time; echo goes to the given buffer
 * in order with the events, so pasted input interleaves correctly with command output.
 */
final class LineEditor {

    /** What a key press completed. */
    sealed interface Event permits Line, Interrupt, Suspend, EndOfInput {
    }

    /** Enter: the line as typed, without the line ending. */
    record Line(String text) implements Event {
    }

    /** Ctrl-C: the line was discarded. */
    record Interrupt() implements Event {
    }

    /** Ctrl-Z: leave configuration mode. */
    record Suspend() implements Event {
    }

    /** Ctrl-D on an empty line. */
    record EndOfInput() implements Event {
    }

    static final int MAX_LINE = 4096;
    private static final byte[] ERASE = {'\b', ' ', '\b'};
    private static final byte[] NEWLINE = {'\r', '\n'};

    private enum State { TEXT, ESCAPE, CSI, SS3 }

    private final ByteArrayOutputStream echo;
    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean echoing;
    private boolean afterCarriageReturn;
    private State state = State.TEXT;

    LineEditor(ByteArrayOutputStream echo, boolean echoing) {
        this.echo = echo;
        this.echoing = echoing;
    }

    /** Turns echo off while a password is typed, back on afterwards. */
    void echo(boolean on) {
        echoing = on;
    }

    /** Takes one byte (0..255) of input; returns the event it completed, or {@code null}. */
    Event accept(int b) {
        boolean crBefore = afterCarriageReturn;
        afterCarriageReturn = false;
        switch (state) {
            case ESCAPE -> {
                // ESC [ and ESC O start arrow and function keys; ESC plus any other key (Alt-x) is dropped.
                state = b == '[' ? State.CSI : b == 'O' ? State.SS3 : State.TEXT;
                return null;
            }
            case CSI -> {
                if (b >= 0x40 && b <= 0x7e) {
                    state = State.TEXT;
                }
                return null;
            }
            case SS3 -> {
                state = State.TEXT;
                return null;
            }
            case TEXT -> {
                return text(b, crBefore);
            }
        }
        throw new IllegalStateException("unknown state " + state);
    }

    private Event text(int b, boolean crBefore) {
        switch (b) {
            case '\r' -> {
                afterCarriageReturn = true;
                return endLine();
            }
            case '\n', 0 -> {
                // CR LF and CR NUL are one Enter; a bare LF (pasted text, no PTY) is Enter too.
                return crBefore ? null : b == '\n' ? endLine() : null;
            }
            case 0x7f, '\b' -> {
                eraseChar();
                return null;
            }
            case 0x15 -> {
                while (length > 0) {
                    eraseChar();
                }
                return null;
            }
            case 0x03 -> {
                length = 0;
                return new Interrupt();
            }
            case 0x1a -> {
                length = 0;
                return new Suspend();
            }
            case 0x04 -> {
                return length == 0 ? new EndOfInput() : null;
            }
            case 0x1b -> {
                state = State.ESCAPE;
                return null;
            }
            default -> {
                if (b >= 0x20 && length < MAX_LINE) {
                    line[length++] = (byte) b;
                    if (echoing) {
                        echo.write(b);
                    }
                }
                return null;
            }
        }
    }

    private Event endLine() {
        String text = new String(Arrays.copyOf(line, length), StandardCharsets.UTF_8);
        length = 0;
        if (echoing) {
            echo.writeBytes(NEWLINE);
        }
        return new Line(text);
    }

    /** Removes the last character, with its UTF-8 continuation bytes, and erases one cell on screen. */
    private void eraseChar() {
        if (length == 0) {
            return;
        }
        do {
            length--;
        } while (length > 0 && (line[length] & 0xc0) == 0x80);
        if (echoing) {
            echo.writeBytes(ERASE);
        }
    }
}
