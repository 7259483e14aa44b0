package dev.portier.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Checks OpenSSH public key lines ({@code type base64 [comment]}), as in {@code authorized_keys} without
 * options and in {@code known_hosts} without the host field. Only the form is checked; the key itself is
 * parsed by whoever uses it.
 */
public final class SshPublicKeys {
    /** Key types accepted; DSA and certificates are not. */
    public static final List<String> KEY_TYPES = List.of(
            "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    private SshPublicKeys() {
    }

    /**
     * Checks one key line and answers its key type.
     *
     * @throws IllegalArgumentException saying what is wrong; never quotes a private key
     */
    public static String check(String line) {
        if (line.contains("PRIVATE KEY")) {
            // Quoting it would copy a secret into logs; say only what to do.
            throw new IllegalArgumentException("is a private key; use the public key line (the .pub file) and delete the private key from this file");
        }
        String[] parts = line.strip().split("\\s+", 3);
        String prefix = Problems.quote(line) + " is not an OpenSSH public key: ";
        if (parts.length < 2) {
            throw new IllegalArgumentException(prefix + "expected \"type base64 [comment]\"");
        }
        String type = parts[0];
        if (type.startsWith("rsa-sha2-")) {
            throw new IllegalArgumentException(prefix + type + " is a signature algorithm, not a key type; RSA keys are written ssh-rsa");
        }
        if (!KEY_TYPES.contains(type)) {
            throw new IllegalArgumentException(prefix + "unknown key type " + Problems.quote(type) + " (allowed: " + String.join(", ", KEY_TYPES) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "the key data is not valid base64", e);
        }
        if (blob.length < 4) {
            throw new IllegalArgumentException(prefix + "the key data is truncated");
        }
        long length = ((blob[0] & 0xFFL) << 24) | ((blob[1] & 0xFFL) << 16) | ((blob[2] & 0xFFL) << 8) | (blob[3] & 0xFFL);
        if (length >= blob.length - 4) {
            // The type string must be followed by key material.
            throw new IllegalArgumentException(prefix + "the key data is truncated");
        }
        String embedded = new String(blob, 4, (int) length, StandardCharsets.US_ASCII);
        if (!embedded.equals(type)) {
            throw new IllegalArgumentException(prefix + "declared as " + type + " but the key data is " + Problems.quote(embedded));
        }
        return type;
    }
}
