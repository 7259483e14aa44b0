package dev.portier.testsupport.keycloak;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 TOTP codes as an authenticator app computes them: HMAC-SHA1, 6 digits, 30-second steps (the
 * test realms' OTP policy). Keycloak keeps a user's OTP secret as text and uses its UTF-8 bytes as the key.
 */
public final class Totp {
    private static final int DIGITS = 6;
    private static final long STEP_SECONDS = 30;

    private Totp() {
    }

    /** The code for {@code secret} now. */
    public static String now(String secret) {
        return at(secret, Instant.now());
    }

    /** The code for {@code secret} at {@code time}. */
    public static String at(String secret, Instant time) {
        return code(secret.getBytes(StandardCharsets.UTF_8), Math.floorDiv(time.getEpochSecond(), STEP_SECONDS));
    }

    /** RFC 4226 HOTP of {@code counter}: dynamic truncation of the HMAC, modulo 10^6. */
    static String code(byte[] key, long counter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            return String.format("%0" + DIGITS + "d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
