package dev.portier.recorder.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the index stores instead of content. A gram becomes the first {@value #TERM_BYTES} bytes of its
 * HMAC-SHA256 under the term key, base64url: equal grams give equal terms (so a search can look them up), and
 * nothing else about the gram can be learnt without the key; 96 bits make a collision negligible, and a collision
 * would only add a candidate that the exact check drops. A line is sealed with AES-256-GCM as
 * {@code salt(16) | nonce(12) | ciphertext | tag(16)}: the key is HMAC(text key, salt), with a random salt per
 * sealer (one per recording added), so that no key meets the random-nonce limit of GCM (2^32 messages) however
 * often the index is rebuilt; the AAD names the line's recording, kind and offset, so a line moved to another
 * place of the index does not decrypt. Not thread-safe: one per add or search.
 */
final class BlindCodec {
    static final int TERM_BYTES = 12;
    static final int SALT_BYTES = 16;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final Base64.Encoder TERMS = Base64.getUrlEncoder().withoutPadding();

    private final Mac terms;
    private final SecretKeySpec textKey;
    private final SecureRandom random;
    private final Cipher cipher;
    private byte[] salt;
    private SecretKeySpec lineKey;

    BlindCodec(SecretKeySpec termKey, SecretKeySpec textKey, SecureRandom random) {
        this.terms = IndexKey.hmac(termKey);
        this.textKey = textKey;
        this.random = random;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /** The terms standing for {@code grams}, in the same order. */
    Set<String> terms(Set<String> grams) {
        Set<String> out = new LinkedHashSet<>(grams.size() * 2);
        for (String gram : grams) {
            byte[] mac = terms.doFinal(gram.getBytes(StandardCharsets.UTF_8));
            out.add(TERMS.encodeToString(Arrays.copyOf(mac, TERM_BYTES)));
        }
        return out;
    }

    /** {@code text} sealed under this codec's salt (drawn on first use). */
    byte[] seal(String aad, String text) {
        if (salt == null) {
            useSalt(randomBytes(SALT_BYTES));
        }
        byte[] nonce = randomBytes(NONCE_BYTES);
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[SALT_BYTES + NONCE_BYTES + plain.length + TAG_BYTES];
        System.arraycopy(salt, 0, out, 0, SALT_BYTES);
        System.arraycopy(nonce, 0, out, SALT_BYTES, NONCE_BYTES);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, lineKey, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(plain, 0, plain.length, out, SALT_BYTES + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to encrypt a line", e);
        }
        return out;
    }

    /**
     * The text {@link #seal} sealed with the same {@code aad}.
     *
     * @throws IOException when it does not decrypt: the index file was altered (the key is checked at open)
     */
    String open(String aad, byte[] sealed) throws IOException {
        if (sealed == null || sealed.length < SALT_BYTES + NONCE_BYTES + TAG_BYTES) {
            throw damaged();
        }
        byte[] s = Arrays.copyOf(sealed, SALT_BYTES);
        if (!Arrays.equals(s, salt)) {
            useSalt(s);
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, lineKey,
                    new GCMParameterSpec(TAG_BYTES * 8, sealed, SALT_BYTES, NONCE_BYTES));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            int at = SALT_BYTES + NONCE_BYTES;
            return new String(cipher.doFinal(sealed, at, sealed.length - at), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw damaged();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to decrypt a line", e);
        }
    }

    private static IOException damaged() {
        return new IOException("a line of the search index does not decrypt: the index was altered; stop the"
                + " gateway and delete <data>/index to rebuild it from the recordings");
    }

    private void useSalt(byte[] s) {
        byte[] k = IndexKey.hmac(textKey).doFinal(s);
        try {
            salt = s;
            lineKey = new SecretKeySpec(k, "AES");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
