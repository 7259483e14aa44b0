package dev.portier.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {
    private static final String SECRET = "s3cr3t-Pässword!";
    private static final String PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";

    @TempDir
    Path data;

    private Vault vault() throws VaultException {
        return Vault.open(data, Optional.empty());
    }

    private Path fileOf(String target, String account) {
        return data.resolve("vault").resolve(target).resolve(account + ".json");
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void passwordRoundTrips() throws Exception {
        vault().put("rtr-bru-01", "admin", new Credential.Password(SECRET));
        Credential back = vault().credential("rtr-bru-01", "admin");
        assertEquals(new Credential.Password(SECRET), back);
    }

    @Test
    void privateKeyRoundTrips() throws Exception {
        vault().put("srv1.lab", "root", new Credential.PrivateKey(PEM));
        assertEquals(new Credential.PrivateKey(PEM), vault().credential("srv1.lab", "root"));
    }

    @Test
    void putReplacesThePreviousCredential() throws Exception {
        Vault v = vault();
        v.put("t", "a", new Credential.Password("old"));
        v.put("t", "a", new Credential.PrivateKey(PEM));
        assertEquals(new Credential.PrivateKey(PEM), v.credential("t", "a"));
        try (var files = Files.list(fileOf("t", "a").getParent())) {
            assertEquals(List.of(fileOf("t", "a")), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void storedFileHoldsNeitherTheSecretNorItsBase64() throws Exception {
        vault().put("t", "a", new Credential.Password(SECRET));
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        String stored = Files.readString(fileOf("t", "a"), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains(new String(secret, StandardCharsets.ISO_8859_1)));
        assertFalse(stored.contains(Base64.getEncoder().encodeToString(secret)));
        assertFalse(stored.contains(Base64.getEncoder().withoutPadding().encodeToString(secret)));
        assertFalse(stored.contains(SECRET.substring(0, 6)));
    }

    @Test
    void storedFileHasTheDocumentedFields() throws Exception {
        vault().put("t", "a", new Credential.Password(SECRET));
        var node = new ObjectMapper().readTree(fileOf("t", "a").toFile());
        assertEquals(1, node.get("version").asInt());
        assertEquals("password", node.get("kind").asText());
        assertEquals(12, Base64.getDecoder().decode(node.get("nonce").asText()).length);
        assertEquals(12, Base64.getDecoder().decode(node.get("keyNonce").asText()).length);
        assertEquals(32 + 16, Base64.getDecoder().decode(node.get("wrappedKey").asText()).length);
        assertNotNull(Base64.getDecoder().decode(node.get("ciphertext").asText()));
        assertNotNull(Instant.parse(node.get("updated").asText()));
    }

    @Test
    void masterKeyFileIsCreatedOwnerOnlyAndReused() throws Exception {
        vault().put("t", "a", new Credential.Password(SECRET));
        Path keyFile = data.resolve("master.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(keyFile).strip()).length);
        byte[] before = Files.readAllBytes(keyFile);
        assertEquals(new Credential.Password(SECRET), vault().credential("t", "a"));
        assertArrayEquals(before, Files.readAllBytes(keyFile));
    }

    @Test
    void secretFilesAndDirectoriesAreOwnerOnly() throws Exception {
        vault().put("t", "a", new Credential.Password(SECRET));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fileOf("t", "a"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("vault"))));
        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("vault").resolve("t"))));
    }

    @Test
    void groupReadableMasterKeyRefusesToStart() throws Exception {
        vault();
        Path keyFile = data.resolve("master.key");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----"));
        VaultException e = assertThrows(VaultException.class, this::vault);
        assertTrue(e.getMessage().contains("readable by group or others"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void masterKeyFileOfWrongLengthIsRejected() throws Exception {
        Files.writeString(data.resolve("master.key"), Base64.getEncoder().encodeToString(new byte[16]));
        Files.setPosixFilePermissions(data.resolve("master.key"), PosixFilePermissions.fromString("rw-------"));
        VaultException e = assertThrows(VaultException.class, this::vault);
        assertTrue(e.getMessage().contains("holds 16 bytes"), e.getMessage());
    }

    @Test
    void tamperedCiphertextIsRefused() throws Exception {
        vault().put("t", "a", new Credential.Password(SECRET));
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(fileOf("t", "a").toFile());
        byte[] ct = Base64.getDecoder().decode(node.get("ciphertext").asText());
        ct[0] ^= 1;
        node.put("ciphertext", Base64.getEncoder().encodeToString(ct));
        json.writeValue(fileOf("t", "a").toFile(), node);
        assertDecryptRefused("t", "a");
    }

    @Test
    void tamperedKindIsRefused() throws Exception {
        vault().put("t", "a", new Credential.Password(SECRET));
        String text = Files.readString(fileOf("t", "a")).replace("\"password\"", "\"private-key\"");
        Files.writeString(fileOf("t", "a"), text);
        assertDecryptRefused("t", "a");
    }

    @Test
    void fileRenamedToAnotherAccountIsRefused() throws Exception {
        vault().put("t", "admin", new Credential.Password(SECRET));
        Files.move(fileOf("t", "admin"), fileOf("t", "backup"));
        assertDecryptRefused("t", "backup");
    }

    @Test
    void fileCopiedToAnotherTargetIsRefused() throws Exception {
        vault().put("t1", "admin", new Credential.Password(SECRET));
        vault().put("t2", "admin", new Credential.Password("other"));
        Files.copy(fileOf("t1", "admin"), fileOf("t2", "admin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertDecryptRefused("t2", "admin");
    }

    @Test
    void wrongMasterKeyIsRefused() throws Exception {
        Vault.open(data, Optional.of(randomKey())).put("t", "a", new Credential.Password(SECRET));
        VaultException e = assertThrows(VaultException.class,
                () -> Vault.open(data, Optional.of(randomKey())).credential("t", "a"));
        assertEquals("cannot decrypt the credential for t/a: wrong master key or tampered file", e.getMessage());
    }

    @Test
    void environmentKeyIsUsedInsteadOfAKeyFile() throws Exception {
        String key = randomKey();
        Vault.open(data, Optional.of(key)).put("t", "a", new Credential.Password(SECRET));
        assertFalse(Files.exists(data.resolve("master.key")), "no key file when the key comes from the environment");
        assertEquals(new Credential.Password(SECRET), Vault.open(data, Optional.of(key)).credential("t", "a"));
        assertThrows(VaultException.class, () -> vault().credential("t", "a"), "the generated file key differs");
    }

    @Test
    void environmentKeyOfWrongLengthIsRejected() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        VaultException e = assertThrows(VaultException.class, () -> Vault.open(data, Optional.of(shortKey)));
        assertTrue(e.getMessage().startsWith("PORTIER_MASTER_KEY holds 31 bytes"), e.getMessage());
        VaultException notBase64 = assertThrows(VaultException.class, () -> Vault.open(data, Optional.of("!!nope!!")));
        assertTrue(notBase64.getMessage().contains("not valid base64"), notBase64.getMessage());
    }

    @Test
    void invalidNamesAreRejectedAndNothingIsWritten() throws Exception {
        Vault v = vault();
        List<String> bad = java.util.Arrays.asList("../etc", "a/b", "", ".hidden", "-x", "a b", "x\n", "ä", null,
                "x".repeat(129), "..");
        for (String name : bad) {
            VaultException asTarget = assertThrows(VaultException.class,
                    () -> v.put(name, "a", new Credential.Password(SECRET)), String.valueOf(name));
            assertTrue(asTarget.getMessage().startsWith("invalid target name"), asTarget.getMessage());
            VaultException asAccount = assertThrows(VaultException.class, () -> v.credential("t", name));
            assertTrue(asAccount.getMessage().startsWith("invalid account name"), asAccount.getMessage());
            assertThrows(VaultException.class, () -> v.remove(name, "a"));
        }
        assertFalse(Files.exists(data.resolve("vault")));
        assertFalse(Files.exists(data.resolve("etc")));
    }

    @Test
    void missingCredentialNamesTheCommandToStoreIt() throws Exception {
        VaultException e = assertThrows(VaultException.class, () -> vault().credential("rtr-bru-01", "admin"));
        assertEquals("no credential in the vault for rtr-bru-01/admin; "
                + "run: portier vault put rtr-bru-01/admin --password-stdin", e.getMessage());
    }

    @Test
    void listShowsKindsAndTimesSortedWithoutSecrets() throws Exception {
        Vault v = vault();
        Instant before = Instant.now().minus(Duration.ofSeconds(1));
        v.put("sw2", "admin", new Credential.PrivateKey(PEM));
        v.put("rtr1", "admin", new Credential.Password(SECRET));
        v.put("rtr1", "Backup", new Credential.Password(SECRET));
        List<VaultEntry> entries = v.list();
        assertEquals(List.of("rtr1/Backup", "rtr1/admin", "sw2/admin"),
                entries.stream().map(x -> x.target() + "/" + x.account()).toList());
        assertEquals(List.of("password", "password", "private-key"), entries.stream().map(VaultEntry::kind).toList());
        assertTrue(entries.stream().allMatch(x -> x.updated().isAfter(before)));
        assertFalse(entries.toString().contains(SECRET));
    }

    @Test
    void listOfAnEmptyVaultIsEmpty() throws Exception {
        assertEquals(List.of(), vault().list());
    }

    @Test
    void malformedFileIsListedAsUnreadableAndRefusedClearly() throws Exception {
        Vault v = vault();
        v.put("t", "a", new Credential.Password(SECRET));
        Files.writeString(fileOf("t", "a"), "{ not json");
        assertEquals(List.of(new VaultEntry("t", "a", "unreadable", null)), v.list());
        VaultException e = assertThrows(VaultException.class, () -> v.credential("t", "a"));
        assertTrue(e.getMessage().startsWith("the credential file for t/a is malformed"), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void removeDeletesOnlyTheNamedCredential() throws Exception {
        Vault v = vault();
        v.put("t", "a", new Credential.Password(SECRET));
        v.put("t", "b", new Credential.Password(SECRET));
        assertTrue(v.remove("t", "a"));
        assertFalse(v.remove("t", "a"));
        assertEquals(List.of("b"), v.list().stream().map(VaultEntry::account).toList());
        assertThrows(VaultException.class, () -> v.credential("t", "a"));
    }

    @Test
    void credentialToStringRedactsTheSecret() {
        assertFalse(new Credential.Password(SECRET).toString().contains(SECRET));
        assertFalse(new Credential.PrivateKey(PEM).toString().contains("b3Bl"));
    }

    private void assertDecryptRefused(String target, String account) throws VaultException {
        Vault v = vault();
        VaultException e = assertThrows(VaultException.class, () -> v.credential(target, account));
        assertEquals("cannot decrypt the credential for " + target + "/" + account
                + ": wrong master key or tampered file", e.getMessage());
        assertNull(e.getCause(), "no cause that could carry data");
    }
}
