package dev.portier.gateway.transfer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Byte count and running SHA-256 of one direction of one file. Data is fed in pieces as it crosses; each
 * request or reply first announces its file offset, and a gap or overlap gives the digest up.
 */
final class RunningDigest {
    private MessageDigest sha;
    private long start = -1;
    private long next;
    private long bytes;
    private String unavailable;

    /** The next bytes are for this file offset. */
    void at(long offset) {
        if (unavailable != null) {
            return;
        }
        if (start < 0) {
            start = offset;
            next = offset;
        } else if (offset != next) {
            giveUp(ContentDigest.NON_SEQUENTIAL);
        }
    }

    void update(byte[] buf, int off, int len) {
        bytes += len;
        if (unavailable == null) {
            sha().update(buf, off, len);
            next += len;
        }
    }

    long bytes() {
        return bytes;
    }

    void giveUp(String reason) {
        if (unavailable == null) {
            unavailable = reason;
            sha = null;
        }
    }

    /** The digest so far; call once, when the file closes. */
    ContentDigest result() {
        if (unavailable != null) {
            return ContentDigest.unavailable(unavailable);
        }
        return ContentDigest.of(HexFormat.of().formatHex(sha().digest()), Math.max(start, 0));
    }

    private MessageDigest sha() {
        if (sha == null) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime provides SHA-256", e);
            }
        }
        return sha;
    }
}
