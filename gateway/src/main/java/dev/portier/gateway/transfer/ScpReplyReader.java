package dev.portier.gateway.transfer;

import java.nio.charset.StandardCharsets;

/**
 * Reads rcp status replies the way OpenSSH's {@code response()} does: {@code \0} is success; {@code \1} (error)
 * or {@code \2} (fatal) start a message ending at a newline or after 2047 bytes; any other byte starts a fatal
 * message that includes it.
 */
final class ScpReplyReader {
    /** One status reply; {@code code} 0 is success, 1 an error, 2 fatal. */
    record Reply(int code, String message) {
        static final Reply OK = new Reply(0, "");

        boolean ok() {
            return code == 0;
        }
    }

    /** OpenSSH reads a reply into {@code rbuf[2048]}, stopping one byte short. */
    static final int MAX_MESSAGE = 2047;

    private final byte[] message = new byte[MAX_MESSAGE];
    private int fill;
    private int code = -1;
    private Reply reply;

    /** Consumes {@code in[off, end)} up to the end of one reply; returns the offset after what it consumed. */
    int read(byte[] in, int off, int end) {
        while (off < end && reply == null) {
            byte c = in[off++];
            if (code < 0) {
                if (c == 0) {
                    reply = Reply.OK;
                } else if (c == 1 || c == 2) {
                    code = c;
                    fill = 0;
                } else {
                    code = 2;
                    message[0] = c;
                    fill = 1;
                }
            } else {
                message[fill++] = c;
                if (c == '\n' || fill == MAX_MESSAGE) {
                    int length = c == '\n' ? fill - 1 : fill;
                    reply = new Reply(code, new String(message, 0, length, StandardCharsets.UTF_8));
                    code = -1;
                }
            }
        }
        return off;
    }

    /** The reply completed by the last {@link #read}, once, or null. */
    Reply take() {
        Reply r = reply;
        reply = null;
        return r;
    }
}
