package dev.portier.gateway.transfer;

import java.util.Objects;

/**
 * SHA-256 of the file bytes that crossed the proxy for one open file, or why there is none. A digest is only
 * computed when the bytes crossed at strictly sequential offsets; the gateway never buffers file data to
 * reorder it, so a digest it cannot compute is marked unavailable rather than wrong.
 *
 * @param sha256            lower-case hex, or null when unavailable
 * @param offset            file offset of the first byte covered (0 unless the transfer resumed mid-file)
 * @param unavailableReason why there is no digest ({@link #NON_SEQUENTIAL}, ...), or null when available
 */
public record ContentDigest(String sha256, long offset, String unavailableReason) {
    /** Reads or writes did not follow each other at strictly increasing, contiguous offsets. */
    public static final String NON_SEQUENTIAL = "non-sequential";
    /** The same handle both read and wrote data: no single stream of bytes to digest. */
    public static final String READ_AND_WRITE = "read and write";
    /** The observer stopped following the protocol while the file was open. */
    public static final String SYNC_LOST = "observer lost sync";

    public ContentDigest {
        if ((sha256 == null) == (unavailableReason == null)) {
            throw new IllegalArgumentException("exactly one of sha256 and unavailableReason must be set");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
    }

    public static ContentDigest of(String sha256, long offset) {
        return new ContentDigest(Objects.requireNonNull(sha256, "sha256"), offset, null);
    }

    public static ContentDigest unavailable(String reason) {
        return new ContentDigest(null, 0, Objects.requireNonNull(reason, "reason"));
    }

    public boolean available() {
        return sha256 != null;
    }
}
