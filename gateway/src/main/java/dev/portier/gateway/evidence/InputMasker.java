package dev.portier.gateway.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps what a user types at a password prompt out of the recording. It watches the last line of the
 * target's output (ANSI escapes and control characters removed, at most {@value #TAIL} characters); once
 * that line looks like a password prompt, the user's input is masked up to and including the next line end
 * (CR, LF, or Ctrl-C / Ctrl-D, which abandon the prompt). Masked keystrokes are not recorded at all; at the
 * line end the recording gets the single marker {@value #MARKER} followed by the line end, so neither the
 * secret, its length nor its keystroke timing is kept. The bytes forwarded to the target are never touched.
 *
 * <p>The prompt is detected from what the target printed, so a secret typed ahead of its prompt (pasted
 * before the prompt arrived) is not masked. Thread-safe: input and output arrive on different I/O threads.
 */
public final class InputMasker {
    /** What the recording shows in place of a masked line. */
    public static final String MARKER = "[masked]";
    /** Built-in prompts, matched case-insensitively against the last output line. */
    public static final List<String> BUILT_IN = List.of(
            "password[^\\n]*:\\s*$",
            "passphrase[^\\n]*:\\s*$",
            "\\[sudo\\] password for",
            "enable secret");
    static final int TAIL = 200;
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

    /** Bytes to record for one chunk of input. */
    public record Recordable(byte[] data, int offset, int length) {}

    private enum Escape { NONE, ESC, CSI, STRING, STRING_ESC, CHARSET }

    private final List<Pattern> prompts;
    private final StringBuilder line = new StringBuilder();
    private Escape escape = Escape.NONE;
    private boolean masking;

    private InputMasker(List<Pattern> prompts) {
        this.prompts = prompts;
    }

    /** A masker for the built-in prompts plus {@code extraPatterns} (validated regular expressions). */
    public static InputMasker withPatterns(List<String> extraPatterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String p : BUILT_IN) {
            compiled.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
        }
        for (String p : extraPatterns) {
            compiled.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
        }
        return new InputMasker(List.copyOf(compiled));
    }

    /** Output from the target: looks for a prompt at its end. */
    public synchronized void output(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = (char) (data[i] & 0xff);
            if (printable(c)) {
                line.append(c);
            }
        }
        if (line.length() > TAIL) {
            line.delete(0, line.length() - TAIL);
        }
        if (!masking && looksLikePrompt()) {
            masking = true;
            // One prompt arms the masker once: the echoed line end must not arm it again.
            line.setLength(0);
        }
    }

    /** Input from the user: what the recording may keep of it. */
    public synchronized Recordable input(byte[] data, int offset, int length) {
        if (!masking) {
            return new Recordable(data, offset, length);
        }
        byte[] out = null;
        int n = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (!masking) {
                out[n++] = b;
            } else if (b == '\r' || b == '\n' || b == 3 || b == 4) {
                out = new byte[MARKER_BYTES.length + 1 + (offset + length - i - 1)];
                System.arraycopy(MARKER_BYTES, 0, out, 0, MARKER_BYTES.length);
                n = MARKER_BYTES.length;
                out[n++] = b;
                masking = false;
            }
        }
        return out == null ? new Recordable(data, offset, 0) : new Recordable(out, 0, n);
    }

    /** Whether input is being masked now (for tests and diagnostics). */
    public synchronized boolean masking() {
        return masking;
    }

    private boolean looksLikePrompt() {
        for (Pattern p : prompts) {
            if (p.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }

    /** Steps the escape-sequence state machine; true when {@code c} is text on the current line. */
    private boolean printable(char c) {
        switch (escape) {
            case ESC -> {
                escape = c == '[' ? Escape.CSI : c == ']' || c == 'P' || c == '_' || c == '^' ? Escape.STRING
                        : c >= 0x20 && c <= 0x2f ? Escape.CHARSET : Escape.NONE;
                return false;
            }
            case CSI -> {
                if (c >= 0x40 && c <= 0x7e) {
                    escape = Escape.NONE;
                }
                return false;
            }
            case STRING -> {
                escape = c == 7 ? Escape.NONE : c == 0x1b ? Escape.STRING_ESC : Escape.STRING;
                return false;
            }
            case STRING_ESC -> {
                escape = c == '\\' ? Escape.NONE : Escape.STRING;
                return false;
            }
            case CHARSET -> {
                if (c >= 0x30 && c <= 0x7e) {
                    escape = Escape.NONE;
                }
                return false;
            }
            default -> {
                if (c == 0x1b) {
                    escape = Escape.ESC;
                    return false;
                }
                if (c == '\n') {
                    line.setLength(0);
                    return false;
                }
                return c == '\t' || (c >= 0x20 && c != 0x7f);
            }
        }
    }
}
