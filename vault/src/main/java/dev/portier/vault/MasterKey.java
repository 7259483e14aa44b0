package dev.portier.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Finds the 256-bit master key: the environment (for deployments that inject secrets) wins over
 * {@code <data>/master.key}, which is generated on first start.
 */
final class MasterKey {
    static final String ENV_VARIABLE = "PORTIER_MASTER_KEY";
    static final String FILE_NAME = "master.key";
    static final int LENGTH = 32;

    private MasterKey() {
    }

    static SecretKey load(Path dataDir, Optional<String> fromEnvironment) throws VaultException {
        return load(dataDir, fromEnvironment, true);
    }

    /** @param create whether to generate the key file when there is none (a gateway's first start) */
    static SecretKey load(Path dataDir, Optional<String> fromEnvironment, boolean create) throws VaultException {
        if (fromEnvironment.isPresent()) {
            return decode(fromEnvironment.get(), ENV_VARIABLE);
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (!create && !Files.exists(file)) {
            throw new VaultException("there is no master key: " + file + " does not exist and " + ENV_VARIABLE
                    + " is not set; point --data at the gateway's data directory or set " + ENV_VARIABLE);
        }
        try {
            if (!Files.exists(file)) {
                SecureFiles.createPrivateDirectories(dataDir);
                create(file);
            }
            return read(file);
        } catch (IOException e) {
            throw new VaultException("cannot read or create the master key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the new key to a private temporary file, then hard-links it into place: the link either
     * appears complete and 0600 or fails because another process created the key first, in which case
     * that key is used (two keys must never both encrypt secrets).
     */
    private static void create(Path file) throws IOException {
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(key, (byte) 0);
        Path tmp = SecureFiles.tempSibling(file);
        try {
            SecureFiles.writeNew(tmp, text);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // Lost the race against a concurrent first start: read the winner's key.
        } finally {
            Arrays.fill(text, (byte) 0);
            Files.deleteIfExists(tmp);
        }
        SecureFiles.syncDirectory(file.getParent());
    }

    private static SecretKey read(Path file) throws IOException, VaultException {
        if (!Files.isRegularFile(file)) {
            throw new VaultException("the master key " + file + " is not a regular file; remove it or restore the key file");
        }
        String open = SecureFiles.groupOrOtherAccess(file);
        if (open != null) {
            throw new VaultException("the master key " + file + " is readable by group or others (" + open
                    + "); refusing to start: run chmod 600 " + file + " and consider rotating the key");
        }
        byte[] raw = Files.readAllBytes(file);
        try {
            return decode(new String(raw, StandardCharsets.US_ASCII), "the master key file " + file);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static SecretKey decode(String base64, String source) throws VaultException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new VaultException(source + " is not valid base64; it must hold the base64 of " + LENGTH
                    + " random bytes (openssl rand -base64 32)");
        }
        try {
            if (key.length != LENGTH) {
                throw new VaultException(source + " holds " + key.length + " bytes; it must hold the base64 of exactly "
                        + LENGTH + " random bytes (openssl rand -base64 32)");
            }
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
