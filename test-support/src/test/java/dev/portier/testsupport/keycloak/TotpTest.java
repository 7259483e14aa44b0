package dev.portier.testsupport.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 appendix B, SHA-1 rows, cut to the 6 digits Keycloak uses (the low digits of the 8-digit codes). */
    @Test
    void matchesRfc6238Vectors() {
        String key = "12345678901234567890";
        assertEquals("287082", Totp.at(key, Instant.ofEpochSecond(59)));
        assertEquals("081804", Totp.at(key, Instant.ofEpochSecond(1111111109)));
        assertEquals("050471", Totp.at(key, Instant.ofEpochSecond(1111111111)));
        assertEquals("005924", Totp.at(key, Instant.ofEpochSecond(1234567890)));
        assertEquals("279037", Totp.at(key, Instant.ofEpochSecond(2000000000)));
    }

    @Test
    void matchesRfc4226CounterVectors() {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertEquals("755224", Totp.code(key, 0));
        assertEquals("520489", Totp.code(key, 9));
    }
}
