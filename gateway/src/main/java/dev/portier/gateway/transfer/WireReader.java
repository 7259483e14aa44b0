package dev.portier.gateway.transfer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Bounds-checked reader of SFTP wire fields (big-endian integers, length-prefixed strings) over a byte range. */
final class WireReader {
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] buf;
    private final int end;
    private int pos;

    WireReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    static int u32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    boolean hasRemaining() {
        return pos < end;
    }

    int u32() throws ProtocolViolation {
        need(4);
        int v = u32(buf, pos);
        pos += 4;
        return v;
    }

    long u32Unsigned() throws ProtocolViolation {
        return Integer.toUnsignedLong(u32());
    }

    long u64() throws ProtocolViolation {
        long high = u32Unsigned();
        return high << 32 | u32Unsigned();
    }

    /** A string field decoded as UTF-8 (invalid sequences become U+FFFD). */
    String string() throws ProtocolViolation {
        int len = stringLength();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A string field as lower-case hex, for opaque handles. */
    String hex() throws ProtocolViolation {
        int len = stringLength();
        String s = HEX.formatHex(buf, pos, pos + len);
        pos += len;
        return s;
    }

    private int stringLength() throws ProtocolViolation {
        long len = u32Unsigned();
        if (len > end - pos) {
            throw new ProtocolViolation("string of " + len + " bytes overruns its packet");
        }
        return (int) len;
    }

    private void need(int n) throws ProtocolViolation {
        if (end - pos < n) {
            throw new ProtocolViolation("packet too short");
        }
    }
}
