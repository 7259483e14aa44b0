package dev.portier.recorder.index;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the blind index: the index never holds a line's text or its grams in the clear, so that it does not
 * undo the encryption of recordings at rest ({@code docs/search.md}, "What the index reveals"). The gateway keeps
 * the 32 random bytes in the vault and hands them over; the recorder does not depend on the vault. Two subkeys are
 * derived with HMAC-SHA256 under distinct labels, so that a gram's hash and a line's cipher never share a key:
 * one keys the hashes that replace grams ({@link BlindCodec#terms}), the other the AES-256-GCM encryption of each
 * stored line. The raw key is not kept. Immutable and thread-safe.
 */
public final class IndexKey {
    public static final int KEY_BYTES = 32;
    static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec termKey;
    private final SecretKeySpec textKey;
    private final String id;

    private IndexKey(byte[] termKey, byte[] textKey, String id) {
        this.termKey = new SecretKeySpec(termKey, HMAC);
        this.textKey = new SecretKeySpec(textKey, HMAC);
        this.id = id;
    }

    /** @param key 32 bytes (see {@link #newKey}); copied into derived keys, so the caller may wipe it at once */
    public static IndexKey of(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a search index key has " + KEY_BYTES + " bytes");
        }
        byte[] terms = derive(key, "portier-index-terms");
        byte[] text = derive(key, "portier-index-text");
        byte[] id = derive(key, "portier-index-key-id");
        try {
            return new IndexKey(terms, text, HexFormat.of().formatHex(id, 0, 8));
        } finally {
            Arrays.fill(terms, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
    }

    /** 32 fresh random bytes, for a new index key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /**
     * Names the key without revealing it (a derived value, 16 hex digits), stored in the index's commit data: an
     * index written under another key (or in the clear, before keys) is recognised and rebuilt.
     */
    public String id() {
        return id;
    }

    /** Hashes, encrypts and decrypts for one thread (one add, one search). */
    BlindCodec codec() {
        return new BlindCodec(termKey, textKey, RANDOM);
    }

    static byte[] derive(byte[] key, String label) {
        return hmac(new SecretKeySpec(key, HMAC)).doFinal(label.getBytes(StandardCharsets.UTF_8));
    }

    static Mac hmac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "IndexKey[" + id + "]";
    }
}
