package dev.portier.gateway.ssh;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Minimal line editing for Portier's own prompts (the user's terminal is raw under a PTY): echo, backspace,
 * Enter, and Ctrl-C / Ctrl-D to give up. Control characters are never kept. Fed from the channel's input
 * callback, which MINA serialises.
 */
final class LineInput {
    /** What the user did. */
    interface Listener {
        void line(String text);

        void interrupted();
    }

    private static final int MAX_LINE = 512;

    private final boolean echo;
    private final Consumer<String> out;
    private final StringBuilder line = new StringBuilder();
    private Listener listener;
    private boolean lastWasCr;

    LineInput(boolean echo, Consumer<String> out, Listener listener) {
        this.echo = echo;
        this.out = out;
        this.listener = listener;
    }

    void listener(Listener l) {
        this.listener = l;
    }

    void feed(byte[] data, int off, int len) {
        String s = new String(data, off, len, StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = c == '\r';
            switch (c) {
                case '\r', '\n' -> {
                    if (echo) {
                        out.accept("\r\n");
                    }
                    String entered = line.toString().trim();
                    line.setLength(0);
                    listener.line(entered);
                }
                case 0x03, 0x04 -> {
                    line.setLength(0);
                    out.accept("\r\n");
                    listener.interrupted();
                }
                case 0x7f, 0x08 -> {
                    if (line.length() > 0) {
                        line.setLength(line.length() - 1);
                        if (echo) {
                            out.accept("\b \b");
                        }
                    }
                }
                default -> {
                    if (!Character.isISOControl(c) && line.length() < MAX_LINE) {
                        line.append(c);
                        if (echo) {
                            out.accept(String.valueOf(c));
                        }
                    }
                }
            }
        }
    }
}
