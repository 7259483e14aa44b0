package dev.portier.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrapping and unwrapping the data keys of recordings with the master key. */
class RecordingKeyTest {
    private static final String ID = "20261127T173501Z-9f3a61c2";

    @TempDir
    Path data;

    private static byte[] dataKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String masterKey() {
        return Base64.getEncoder().encodeToString(dataKey());
    }

    @Test
    void wrappedKeyUnwrapsForItsRecording() throws Exception {
        Vault v = Vault.open(data, Optional.empty());
        byte[] key = dataKey();
        String wrapped = v.wrapRecordingKey(ID, key);
        assertArrayEquals(key, Vault.open(data, Optional.empty()).unwrapRecordingKey(ID, wrapped));
    }

    @Test
    void wrappedKeyHoldsNeitherTheKeyNorItsEncodings() throws Exception {
        byte[] key = dataKey();
        String wrapped = Vault.open(data, Optional.empty()).wrapRecordingKey(ID, key);
        assertFalse(wrapped.contains(Base64.getEncoder().withoutPadding().encodeToString(key).substring(0, 12)));
        assertFalse(wrapped.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(key).substring(0, 12)));
        assertFalse(wrapped.contains(HexFormat.of().formatHex(key).substring(0, 16)));
    }

    @Test
    void keyMovedToAnotherRecordingDoesNotUnwrap() throws Exception {
        Vault v = Vault.open(data, Optional.empty());
        String wrapped = v.wrapRecordingKey(ID, dataKey());
        VaultException e = assertThrows(VaultException.class,
                () -> v.unwrapRecordingKey("20261127T173501Z-00000000", wrapped));
        assertTrue(e.getMessage().contains("altered or belongs to another recording"), e.getMessage());
    }

    @Test
    void anotherMasterKeyIsNamedAsSuch() throws Exception {
        String wrapped = Vault.open(data, Optional.of(masterKey())).wrapRecordingKey(ID, dataKey());
        Vault other = Vault.open(data, Optional.of(masterKey()));
        VaultException e = assertThrows(VaultException.class, () -> other.unwrapRecordingKey(ID, wrapped));
        assertTrue(e.getMessage().startsWith("recording " + ID + " was encrypted under another master key (key id "),
                e.getMessage());
        assertTrue(e.getMessage().contains("use the master key of the gateway that wrote it"), e.getMessage());
    }

    @Test
    void everyAlteredCharacterIsRefused() throws Exception {
        Vault v = Vault.open(data, Optional.empty());
        String wrapped = v.wrapRecordingKey(ID, dataKey());
        for (int i = 0; i < wrapped.length(); i++) {
            char c = wrapped.charAt(i);
            String altered = wrapped.substring(0, i) + (c == 'A' ? 'B' : 'A') + wrapped.substring(i + 1);
            if (!altered.equals(wrapped)) {
                int at = i;
                assertThrows(VaultException.class, () -> v.unwrapRecordingKey(ID, altered), "position " + at);
            }
        }
        assertThrows(VaultException.class, () -> v.unwrapRecordingKey(ID, "not a key"));
        assertThrows(VaultException.class, () -> v.unwrapRecordingKey(ID, null));
    }

    @Test
    void twoWrapsOfOneKeyDiffer() throws Exception {
        Vault v = Vault.open(data, Optional.empty());
        byte[] key = dataKey();
        assertNotEquals(v.wrapRecordingKey(ID, key), v.wrapRecordingKey(ID, key), "a fresh nonce each time");
    }

    @Test
    void badRecordingIdsAndKeyLengthsAreRefused() throws Exception {
        Vault v = Vault.open(data, Optional.empty());
        assertThrows(VaultException.class, () -> v.wrapRecordingKey("../x", dataKey()));
        assertThrows(VaultException.class, () -> v.wrapRecordingKey("a\nb", dataKey()));
        assertThrows(VaultException.class, () -> v.wrapRecordingKey(ID, new byte[16]));
    }

    @Test
    void openExistingNeverCreatesAMasterKey() throws Exception {
        VaultException e = assertThrows(VaultException.class, () -> Vault.openExisting(data));
        assertTrue(e.getMessage().startsWith("there is no master key: "), e.getMessage());
        assertFalse(Files.exists(data.resolve("master.key")));
        String wrapped = Vault.open(data, Optional.empty()).wrapRecordingKey(ID, dataKey());
        assertEquals(32, Vault.openExisting(data).unwrapRecordingKey(ID, wrapped).length);
    }
}
