package dev.portier.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM envelope encryption: every secret gets its own data key, and only data keys are encrypted
 * with the master key, so the master key never touches secret bytes and a key rotation re-wraps 32 bytes
 * per secret. Both layers authenticate the secret's name, kind and time (the AAD): a file copied or
 * renamed to another {@code target/account}, or edited, fails to decrypt.
 *
 * <p>Data keys that Portier keeps elsewhere (a recording's) are wrapped alone, as the text
 * {@code mk1.<key id>.<nonce>.<wrapped key>} (base64url without padding), with an AAD that binds their purpose and
 * name. The key id names the master key without revealing it, so that a wrong master key is told apart from an
 * altered wrapped key.
 */
final class EnvelopeCipher {
    static final int VERSION = 1;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    static final String WRAP_PREFIX = "mk1";

    private final SecretKey masterKey;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    EnvelopeCipher(SecretKey masterKey) {
        this.masterKey = masterKey;
        this.keyId = keyIdOf(masterKey);
    }

    /** 16 hex digits naming the master key: HMAC-SHA256(master key, "portier master key id"), first 8 bytes. */
    String keyId() {
        return keyId;
    }

    /** @return {@code mk1.<key id>.<nonce>.<wrapped>}; {@code purpose} and {@code name} hold no {@code '\n'} */
    String wrapKey(String purpose, String name, byte[] key) {
        byte[] nonce = randomNonce();
        try {
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, masterKey, nonce, keyAad(purpose, name, keyId), key);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return WRAP_PREFIX + "." + keyId + "." + b64.encodeToString(nonce) + "." + b64.encodeToString(wrapped);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @param parts the four dot-separated parts of a wrapped key, already checked for shape and key id
     * @return the key, or null when the wrapped key was altered or belongs to another purpose or name
     */
    byte[] unwrapKey(String purpose, String name, String[] parts) {
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            return gcm(Cipher.DECRYPT_MODE, masterKey, b64.decode(parts[2]), keyAad(purpose, name, parts[1]),
                    b64.decode(parts[3]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    SealedSecret seal(String target, String account, String kind, String updated, byte[] plaintext) {
        byte[] dataKey = new byte[KEY_BYTES];
        random.nextBytes(dataKey);
        byte[] nonce = randomNonce();
        byte[] keyNonce = randomNonce();
        try {
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), nonce,
                    aad("data", target, account, kind, updated), plaintext);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, masterKey, keyNonce,
                    aad("key", target, account, kind, updated), dataKey);
            Base64.Encoder b64 = Base64.getEncoder();
            return new SealedSecret(VERSION, kind, b64.encodeToString(wrapped), b64.encodeToString(keyNonce),
                    b64.encodeToString(nonce), b64.encodeToString(ciphertext), updated);
        } catch (GeneralSecurityException e) {
            // Encryption with a valid AES key and fresh nonce cannot fail on a conforming JCE provider.
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** @return the plaintext, or null when the key is wrong or the file was altered (the caller words the error) */
    byte[] open(String target, String account, SealedSecret sealed) {
        byte[] dataKey = null;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            dataKey = gcm(Cipher.DECRYPT_MODE, masterKey, b64.decode(sealed.keyNonce()),
                    aad("key", target, account, sealed.kind(), sealed.updated()), b64.decode(sealed.wrappedKey()));
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), b64.decode(sealed.nonce()),
                    aad("data", target, account, sealed.kind(), sealed.updated()), b64.decode(sealed.ciphertext()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Deliberately no detail: a tag mismatch is the only thing an attacker could learn from.
            return null;
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
    }

    private byte[] randomNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        if (nonce.length != NONCE_BYTES) {
            throw new GeneralSecurityException("bad nonce length");
        }
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private static byte[] keyAad(String purpose, String name, String keyId) {
        return ("portier-vault\nv" + VERSION + "\nkey\n" + purpose + "\n" + name + "\n" + keyId)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String keyIdOf(SecretKey masterKey) {
        byte[] raw = masterKey.getEncoded();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            byte[] id = mac.doFinal("portier master key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(id, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Names cannot hold {@code '\n'}, so the fields cannot be shifted into one another. */
    private static byte[] aad(String layer, String target, String account, String kind, String updated) {
        String text = "portier-vault\nv" + VERSION + "\n" + layer + "\n" + kind + "\n" + target + "/" + account
                + "\n" + updated;
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
