package dev.portier.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemSecretTest {
    @TempDir
    Path dir;

    @Test
    void systemSecretRoundTripsAndStaysOutOfTheCredentialList() throws Exception {
        Vault v = Vault.open(dir, Optional.empty());
        byte[] key = "signing-key-material-0123456789".getBytes(StandardCharsets.UTF_8);
        v.putSystemSecret("grant-signing-key", key);
        assertArrayEquals(key, Vault.open(dir, Optional.empty()).systemSecret("grant-signing-key").orElseThrow());
        assertTrue(v.list().isEmpty());
        String stored = Files.readString(dir.resolve("vault/.system/grant-signing-key.json"));
        assertFalse(stored.contains("signing-key-material"));
    }

    @Test
    void missingSystemSecretIsEmpty() throws Exception {
        assertTrue(Vault.open(dir, Optional.empty()).systemSecret("nothing").isEmpty());
    }
}
