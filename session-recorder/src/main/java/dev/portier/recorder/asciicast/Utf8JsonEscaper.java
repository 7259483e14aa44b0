package dev.portier.recorder.asciicast;

/**
 * Turns one direction of a terminal byte stream into the content of a JSON string in a single pass:
 * valid UTF-8 is copied as is, control characters, quotes and backslashes are escaped, and ill-formed
 * bytes become U+FFFD exactly as the JDK's UTF-8 {@code CharsetDecoder} with {@code REPLACE} decodes them:
 * one per maximal ill-formed subpart (Unicode table 3-7), except that an encoded surrogate
 * ({@code ED A0..BF 80..BF}) is one U+FFFD, as in the JDK. SSH delivers arbitrary chunks, so a character
 * may straddle two: its first bytes are held until the rest arrives.
 *
 * <p>Why not decode to a {@code String} and quote it with Jackson: that runs at about 150 MiB/s on the
 * I/O thread, copies every byte four times and would cap bulk output through the gateway. Not
 * thread-safe: one instance per stream, used under its owner's lock.
 */
public final class Utf8JsonEscaper {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For ASCII: 0 = copy, 'u' = \\u00XX, else the character after the backslash. */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\f'] = 'f';
        ESCAPE['\r'] = 'r';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    private final byte[] sequence = new byte[4];
    private int sequenceLength;
    /** Continuation bytes the current sequence still needs; 0 between characters. */
    private int needed;
    /** Allowed range of the next continuation byte (narrower after E0, ED, F0, F4: Unicode table 3-7). */
    private int low = 0x80;
    private int high = 0xBF;

    /** Room that {@link #escape} may need in {@code out} for {@code length} input bytes. */
    public static int maxEscapedLength(int length) {
        return 6 * length + REPLACEMENT.length;
    }

    /** Whether bytes of an incomplete character are held back. */
    public boolean hasPending() {
        return needed > 0;
    }

    /**
     * Escapes {@code in[offset, offset+length)} into {@code out} from {@code outOffset}, which must have
     * {@link #maxEscapedLength(int)} bytes of room. With {@code endOfInput}, a held-back incomplete
     * character becomes U+FFFD and the escaper starts afresh.
     *
     * @return the offset in {@code out} after the last byte written
     */
    public int escape(byte[] in, int offset, int length, byte[] out, int outOffset, boolean endOfInput) {
        int o = outOffset;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (needed > 0) {
                int b = in[i] & 0xFF;
                if (b >= low && b <= high) {
                    sequence[sequenceLength++] = (byte) b;
                    low = 0x80;
                    high = 0xBF;
                    if (--needed == 0) {
                        o = completeSequence(out, o);
                    }
                    i++;
                } else {
                    // The sequence so far is one ill-formed subpart; the offending byte starts afresh.
                    o = replacement(out, o);
                    needed = 0;
                    sequenceLength = 0;
                }
                continue;
            }
            // Fast path: a run of printable ASCII is copied in one go (bytes >= 0x80 are negative here).
            int run = i;
            while (run < end && in[run] >= 0x20 && in[run] != '"' && in[run] != '\\') {
                run++;
            }
            if (run > i) {
                System.arraycopy(in, i, out, o, run - i);
                o += run - i;
                i = run;
                continue;
            }
            int b = in[i] & 0xFF;
            if (b < 0x80) {
                o = escapeAscii(b, out, o);
                i++;
            } else if (b >= 0xC2 && b <= 0xDF && i + 1 < end && isContinuation(in[i + 1])) {
                out[o++] = in[i++]; // common two-byte character, whole in this chunk
                out[o++] = in[i++];
            } else if (b >= 0xE1 && b <= 0xEC && i + 2 < end && isContinuation(in[i + 1])
                    && isContinuation(in[i + 2])) {
                out[o++] = in[i++]; // common three-byte character (box drawing, CJK), whole in this chunk
                out[o++] = in[i++];
                out[o++] = in[i++];
            } else {
                if (!startSequence(b)) {
                    o = replacement(out, o);
                }
                i++;
            }
        }
        if (endOfInput && needed > 0) {
            o = replacement(out, o);
            needed = 0;
            sequenceLength = 0;
        }
        return o;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int escapeAscii(int b, byte[] out, int o) {
        byte e = ESCAPE[b];
        if (e == 0) {
            out[o++] = (byte) b;
            return o;
        }
        out[o++] = '\\';
        out[o++] = e;
        if (e == 'u') {
            out[o++] = '0';
            out[o++] = '0';
            out[o++] = HEX[b >> 4];
            out[o++] = HEX[b & 0xF];
        }
        return o;
    }

    private boolean startSequence(int lead) {
        low = 0x80;
        high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            needed = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            needed = 2;
            if (lead == 0xE0) {
                low = 0xA0; // no overlong forms
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            needed = 3;
            if (lead == 0xF0) {
                low = 0x90; // no overlong forms
            } else if (lead == 0xF4) {
                high = 0x8F; // nothing above U+10FFFF
            }
        } else {
            return false; // a continuation byte without a lead, C0, C1 or F5..FF
        }
        sequence[0] = (byte) lead;
        sequenceLength = 1;
        return true;
    }

    private int completeSequence(byte[] out, int o) {
        boolean surrogate = sequence[0] == (byte) 0xED && (sequence[1] & 0xFF) >= 0xA0;
        int length = sequenceLength;
        sequenceLength = 0;
        if (surrogate) {
            return replacement(out, o); // U+D800..U+DFFF are not characters
        }
        System.arraycopy(sequence, 0, out, o, length);
        return o + length;
    }

    private static int replacement(byte[] out, int o) {
        System.arraycopy(REPLACEMENT, 0, out, o, REPLACEMENT.length);
        return o + REPLACEMENT.length;
    }
}
