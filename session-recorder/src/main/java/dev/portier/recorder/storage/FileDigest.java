package dev.portier.recorder.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Size and checksums of a file as it is uploaded: MD5 because every S3 implementation checks {@code Content-MD5}
 * on receipt (so a corrupted transfer is refused), SHA-256 because it is what Portier keeps and checks again on
 * every download.
 *
 * @param md5Base64 as the {@code Content-MD5} header wants it
 */
public record FileDigest(long size, String sha256Hex, String md5Base64) {

    public static FileDigest of(Path file) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha256.update(buf, 0, n);
                md5.update(buf, 0, n);
                size += n;
            }
        }
        return new FileDigest(size, HexFormat.of().formatHex(sha256.digest()),
                Base64.getEncoder().encodeToString(md5.digest()));
    }

    /** The MD5 as lower-case hex: what a plain (not multipart, not KMS-encrypted) upload's ETag holds. */
    public String md5Hex() {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(md5Base64));
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
