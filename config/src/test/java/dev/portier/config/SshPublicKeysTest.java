package dev.portier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshPublicKeysTest {

    /** A key blob: SSH string {@code type} followed by some key bytes. */
    private static String blob(String type, int keyBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(type.length());
        out.write(type.getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[keyBytes]);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @Test
    void keysOfEveryAcceptedTypeAreAccepted() throws IOException {
        assertEquals("ssh-rsa", SshPublicKeys.check(ConfigAssertions.RSA_KEY));
        assertEquals("ssh-ed25519", SshPublicKeys.check(ConfigAssertions.ALICE_KEY));
        for (String type : SshPublicKeys.KEY_TYPES) {
            assertEquals(type, SshPublicKeys.check(type + " " + blob(type, 32) + " a comment with spaces"));
        }
    }

    @Test
    void typeDeclaredDifferentlyFromTheKeyDataIsRefused() throws IOException {
        String line = "ecdsa-sha2-nistp256 " + blob("ecdsa-sha2-nistp384", 32);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshPublicKeys.check(line)).getMessage()
                .endsWith("declared as ecdsa-sha2-nistp256 but the key data is \"ecdsa-sha2-nistp384\""));
    }

    @Test
    void keyDataWithOnlyTheTypeIsTruncated() throws IOException {
        String line = "ssh-ed25519 " + blob("ssh-ed25519", 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshPublicKeys.check(line)).getMessage()
                .endsWith("the key data is truncated"));
    }

    @Test
    void typeLengthBeyondTheDataIsTruncated() {
        String line = "ssh-ed25519 " + Base64.getEncoder().encodeToString(new byte[] {0x7f, 0, 0, 0, 1});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshPublicKeys.check(line)).getMessage()
                .endsWith("the key data is truncated"));
    }

    @Test
    void lineWithoutKeyDataIsRefused() {
        assertEquals("\"ssh-ed25519\" is not an OpenSSH public key: expected \"type base64 [comment]\"",
                assertThrows(IllegalArgumentException.class, () -> SshPublicKeys.check("ssh-ed25519")).getMessage());
    }
}
