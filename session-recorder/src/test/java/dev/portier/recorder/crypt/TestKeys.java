package dev.portier.recorder.crypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recording keys wrapped by a test master key (AES-GCM, the recording id as AAD), as the vault does; remembers every
 * data key it wrapped, so that tests can look for it where it must not be.
 */
public final class TestKeys implements RecordingKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec master;
    private final List<byte[]> wrapped = new ArrayList<>();

    public TestKeys() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        this.master = new SecretKeySpec(key, "AES");
    }

    @Override
    public synchronized String wrap(String recordingId, byte[] dataKey) {
        wrapped.add(dataKey.clone());
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, nonce, recordingId, dataKey);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(nonce) + "." + b64.encodeToString(sealed);
    }

    @Override
    public byte[] unwrap(String recordingId, String wrappedKey) throws RecordingCryptoException {
        String[] parts = wrappedKey.split("\\.");
        try {
            return gcm(Cipher.DECRYPT_MODE, Base64.getUrlDecoder().decode(parts[0]), recordingId,
                    Base64.getUrlDecoder().decode(parts[1]));
        } catch (RuntimeException e) {
            throw new RecordingCryptoException("test keys: cannot unwrap the key of recording " + recordingId);
        }
    }

    /** Copies of every data key wrapped so far. */
    public synchronized List<byte[]> dataKeys() {
        return wrapped.stream().map(byte[]::clone).toList();
    }

    private byte[] gcm(int mode, byte[] nonce, String id, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, master, new GCMParameterSpec(128, nonce));
            c.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test keys: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String toString() {
        return "TestKeys[" + wrapped.size() + " keys wrapped]";
    }
}
